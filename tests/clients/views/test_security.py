"""The card's "Security" tab and the economic-security conclusion signed by password (CLI-10, ACL-04)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.accounts.models import LoginFailure
from kontora.clients.models import Client, ClientGrant, ClientSecurity
from kontora.clients.services import security
from kontora.core.selectors.settings import system_settings
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import card_history, card_post, card_submit, grant_right, make_private
from tests.support.http import PASSWORD, html, signed_in


@pytest.fixture
def inspector(db: Any) -> Any:
    user = UserFactory(login="inspector", full_name="Иванов Иван Иванович", client_scope="open_all")
    grant_right(user, "security_decisions")
    return user


@pytest.fixture
def card(curator: Any) -> Client:
    return ClientFactory(curator=curator, short_name="Ромашка")


def sign(browser: Any, client: Client, password: str = PASSWORD, **values: str) -> Any:
    data = {"sc-conclusion": "Надёжный плательщик.", "sc-credit_limit": "150 000,50", "sc-work_mode": "deferred",
            "sc-password": password}
    data.update({f"sc-{name}": value for name, value in values.items()})
    # The signing modal, posted by htmx: the conclusion comes back, or the form with errors.
    return browser.post(f"/clients/{client.pk}/security/sign/", data, HTTP_HX_REQUEST="true")


def forged(browser: Any, client: Client, **values: str) -> Any:
    """The card's form posted with the security texts by someone the page does not offer them to."""
    return browser.post(f"/clients/{client.pk}/", card_post(
        short_name=client.short_name, full_name=client.full_name, **{f"si-{k}": v for k, v in values.items()}))


@pytest.mark.feature("CLI-10", "ACL-04")
def test_an_inspector_signs_with_their_password_and_the_signature_is_fixed(inspector: Any, card: Client) -> None:
    # given an inspector with the right, on a client of someone else
    browser = signed_in(inspector)
    before = timezone.now()
    # when they sign a conclusion with their password
    page = html(sign(browser, card))
    # then the conclusion, limit and mode are saved, the inspector and the moment fixed by the server
    row = ClientSecurity.objects.get(client=card)
    assert (row.conclusion, row.credit_limit, row.work_mode, row.inspector) == (
        "Надёжный плательщик.", Decimal("150000.50"), "deferred", inspector)
    assert row.signed_at is not None and before <= row.signed_at <= timezone.now()
    # and the tab shows it read-only with the signature line
    stamp = timezone.localtime(row.signed_at).strftime("%d.%m.%Y %H:%M")
    assert f"Заключение вынес: Иванов И. И., {stamp}" in page
    assert "Заключение подписано." in page
    # and the history has the signature with the values
    change = card_history(card).get(summary="Подписано заключение по экономической безопасности")
    assert change.actor == inspector
    fields = {item["field"]: item["new"] for item in change.changes}
    assert fields["Режим работы"] == "Отсрочка платежа в пределах кредитного лимита"
    assert fields["Инспектор"] == "Иванов Иван Иванович"


@pytest.mark.feature("CLI-10", "ACL-04")
def test_inspector_and_date_cannot_be_forged_from_the_form(inspector: Any, curator: Any, card: Client) -> None:
    # given an inspector who posts someone else as the inspector and an old date
    browser = signed_in(inspector)
    # when they sign
    sign(browser, card, inspector=str(curator.pk), signed_at="2000-01-01 00:00")
    # then the server's values stand
    row = ClientSecurity.objects.get(client=card)
    assert row.inspector == inspector and row.signed_at is not None
    assert row.signed_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.feature("ACL-04")
def test_without_the_right_signing_is_403_and_nothing_is_saved(curator: Any, card: Client) -> None:
    # given the client's own curator, who may edit the card but has no security right
    browser = signed_in(curator)
    # when they post a signed conclusion with their correct password
    response = sign(browser, card)
    # then it is refused and nothing is stored
    assert response.status_code == 403
    assert not ClientSecurity.objects.exists()
    assert not card_history(card).filter(summary__startswith="Подписано").exists()


@pytest.mark.feature("ACL-04")
@pytest.mark.parametrize(("password", "message"), [
    ("wrong-password", "Неверный пароль. Заключение не подписано."),
    ("", "Введите свой пароль: он служит подписью под заключением."),
])
def test_a_wrong_or_empty_password_signs_nothing(inspector: Any, card: Client, password: str, message: str) -> None:
    # given an inspector
    browser = signed_in(inspector)
    # when they sign with a wrong or no password
    page = html(sign(browser, card, password=password))
    # then the message stands under the password field and nothing is stored
    assert f'data-testid="error-password">{message}</div>' in page
    assert not ClientSecurity.objects.exists()
    assert not card_history(card).filter(summary__startswith="Подписано").exists()


@pytest.mark.feature("CLI-10")
@pytest.mark.parametrize(("values", "field", "message"), [
    ({"credit_limit": "-1"}, "credit_limit", "Кредитный лимит не может быть отрицательным."),
    ({"credit_limit": "много"}, "credit_limit", "Введите кредитный лимит числом, например 150000,00."),
    ({"work_mode": ""}, "work_mode", "Выберите режим работы."),
    ({"conclusion": "  "}, "conclusion", "Напишите заключение."),
])
def test_bad_conclusion_values_are_refused_in_place(
    inspector: Any, card: Client, values: dict[str, str], field: str, message: str,
) -> None:
    # given an inspector
    browser = signed_in(inspector)
    # when they sign with a bad value and the right password
    page = html(sign(browser, card, **values))
    # then the message stands under that field and nothing is stored
    assert f'data-testid="error-{field}">{message}</div>' in page
    assert not ClientSecurity.objects.exists()


@pytest.mark.feature("ACL-04")
def test_five_wrong_passwords_lock_signing_for_a_while(inspector: Any, card: Client) -> None:
    # given an inspector who typed a wrong password five times
    browser = signed_in(inspector)
    for _attempt in range(5):
        assert "Неверный пароль." in html(sign(browser, card, password="guess"))
    # when they then type the right one
    page = html(sign(browser, card))
    # then signing is refused with a message, and nothing is stored
    assert "Слишком много неверных паролей. Подпись заблокирована; попробуйте снова через 15 минут." in page
    assert not ClientSecurity.objects.exists()
    # and the failures are kept in the base, so another web process refuses as well
    assert LoginFailure.objects.filter(login=f"reentry:{inspector.pk}").count() == 5
    # when the window has passed (the failures are forgotten), the right password signs
    security.signature_failures_forget(inspector)
    sign(browser, card)
    assert ClientSecurity.objects.get(client=card).inspector == inspector


@pytest.mark.feature("CLI-10")
def test_the_security_data_is_saved_by_whoever_may_edit_the_card(curator: Any, card: Client) -> None:
    # given the curator (no security right)
    browser = signed_in(curator)
    # when they fill in the four texts on the tab (and slip in a conclusion) and press the card's Apply
    response = card_submit(browser, card, {
        "si-finances": "Оборот 50 млн", "si-property": "Склад в собственности", "si-reputation": "Хорошая",
        "si-connections": "Входит в группу «Луг»", "sc-conclusion": "подделка"}, tabs=["security"])
    # then they are stored, the conclusion untouched, and the history lists the fields
    row = ClientSecurity.objects.get(client=card)
    assert (row.finances, row.property, row.reputation, row.connections, row.conclusion, row.inspector) == (
        "Оборот 50 млн", "Склад в собственности", "Хорошая", "Входит в группу «Луг»", "", None)
    assert response.status_code == 302
    assert "Клиент «1 · Ромашка» сохранён." in html(browser.get(response["Location"]))
    change = card_history(card).get(summary="Изменены данные безопасности")
    assert [item["field"] for item in change.changes] == ["Финансы", "Собственность", "Репутация", "Связи"]


@pytest.mark.feature("CLI-10", "ACL-04")
def test_others_see_the_conclusion_read_only_without_a_signing_form(
    inspector: Any, curator: Any, card: Client,
) -> None:
    # given a signed conclusion and a view-only user
    sign(signed_in(inspector), card)
    reader = UserFactory(login="reader", client_scope="own")
    ClientGrant.objects.create(client=card, user=reader, can_edit=False)
    # when the curator (no right) and the reader open the tab
    for user in (curator, reader):
        page = html(signed_in(user).get(f"/clients/{card.pk}/security/"))
        # then they see the conclusion and who signed it, but nothing to sign with
        assert "Надёжный плательщик." in page and "Заключение вынес: Иванов И. И.," in page
        assert 'data-testid="security-sign-open"' not in page
        assert signed_in(user).get(f"/clients/{card.pk}/security/sign/").status_code == 403
    # and the reader cannot save the texts either
    reader_page = html(signed_in(reader).get(f"/clients/{card.pk}/security/"))
    assert 'data-testid="security-read-only"' in reader_page and 'name="si-finances"' not in reader_page
    assert forged(signed_in(reader), card, finances="x").status_code == 403
    assert ClientSecurity.objects.get(client=card).finances == ""
    # while the inspector gets the form to sign again
    assert 'data-testid="security-sign-open"' in html(signed_in(inspector).get(f"/clients/{card.pk}/security/"))
    assert 'data-testid="security-sign-form"' in html(signed_in(inspector).get(
        f"/clients/{card.pk}/security/sign/", HTTP_HX_REQUEST="true"))


@pytest.mark.feature("CLI-10")
def test_with_the_tab_switched_off_it_is_absent_and_its_urls_are_404(inspector: Any, card: Client) -> None:
    # given the tab is on: the card shows it
    browser = signed_in(inspector)
    assert 'data-testid="tab-security"' in html(browser.get(f"/clients/{card.pk}/"))
    # when the administrator switches it off in Settings → Functionality
    settings_row = system_settings()
    settings_row.security_tab_enabled = False
    settings_row.save()
    # then the card has no Security tab and every URL of it is 404, signing included
    assert 'data-testid="tab-security"' not in html(browser.get(f"/clients/{card.pk}/"))
    assert browser.get(f"/clients/{card.pk}/security/").status_code == 404
    assert sign(browser, card).status_code == 404
    # and the card's form posted with its texts saves the card and leaves them alone
    assert forged(browser, card, finances="x").status_code == 302
    assert not ClientSecurity.objects.exists()


@pytest.mark.feature("CLI-10", "ACL-04")
def test_security_urls_are_404_for_users_who_cannot_open_the_client(
    inspector: Any, card: Client, manager_user: Any, admin_user: Any,
) -> None:
    # given a manager working with own clients only, even with the security right
    grant_right(manager_user, "security_decisions")
    grant_right(admin_user, "security_decisions")
    manager = signed_in(manager_user)
    # then every URL of a foreign client's tab is 404 for them
    assert manager.get(f"/clients/{card.pk}/security/").status_code == 404
    assert forged(manager, card, finances="x").status_code == 404
    assert sign(manager, card).status_code == 404
    # and for a private client of someone else, the administrator (and the inspector) get 404 too
    make_private(card)
    for user in (admin_user, inspector):
        browser = signed_in(user)
        assert browser.get(f"/clients/{card.pk}/security/").status_code == 404
        assert forged(browser, card, finances="x").status_code == 404
        assert sign(browser, card).status_code == 404
    assert not ClientSecurity.objects.exists()


@pytest.mark.feature("CLI-10")
@pytest.mark.parametrize(("typed", "stored"), [
    ("1\xa0500\xa0000,5", Decimal("1500000.50")), ("0", Decimal("0.00")), ("", None), ("12.345", Decimal("12.35")),
])
def test_the_credit_limit_is_read_as_people_type_it(
    inspector: Any, card: Client, typed: str, stored: Decimal | None,
) -> None:
    # when a conclusion is signed with the limit typed with no-break spaces, a comma, or left empty
    sign(signed_in(inspector), card, credit_limit=typed)
    # then it is stored to kopecks (or not at all)
    assert ClientSecurity.objects.get(client=card).credit_limit == stored


@pytest.mark.feature("ACL-04")
@pytest.mark.parametrize(("can_edit", "status"), [(False, 403), (True, 200)], ids=["view-only", "may-edit"])
def test_signing_needs_the_right_to_edit_the_card_not_only_to_open_it(
    curator: Any, card: Client, can_edit: bool, status: int,
) -> None:
    # given an inspector with the signing right who works on his own clients, granted access to this card
    inspector = UserFactory(login="own-inspector", full_name="Петров Пётр Петрович", client_scope="own")
    grant_right(inspector, "security_decisions")
    ClientGrant.objects.create(client=card, user=inspector, can_edit=can_edit)
    browser = signed_in(inspector)
    # when he signs a conclusion with his password
    response = sign(browser, card)
    # then only a grant that lets him edit the card lets him sign (F3); a view-only one stores nothing
    assert response.status_code == status
    assert ClientSecurity.objects.filter(client=card, inspector=inspector).exists() is can_edit
    # and the tab offers the signing button exactly to him who may use it
    pane = html(browser.get(f"/clients/{card.pk}/security/"))
    assert ('data-testid="security-sign-open"' in pane) is can_edit
