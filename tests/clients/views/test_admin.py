"""Administration over client access: change curator/specialist (ACL-05) and "why does a user see a client" (ACL-06)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from django.utils import timezone

from kontora.accounts.models import ClientScope
from kontora.clients.models import Client
from kontora.core.audit import audit_record
from kontora.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.support.http import PASSWORD, html, signed_in

CHANGE = "/administration/change-curator/"
EXPLAIN = "/administration/why-visible/"


def _panel(page: str) -> str:
    """The page's own panel, without the per-request CSRF token and menu of the surrounding layout."""
    start = page.index('data-testid="explain-access"')
    return page[start:page.index("</main>", start)]


KEPT_WORKING = ("Приватные клиенты куратора Уходящий Куратор (1) остаются у своего куратора: приватные клиенты "
                "работающего пользователя никогда не передаются действием администратора. Когда сотрудник будет "
                "отмечен уволенным, их можно будет передать другому работающему пользователю.")


@pytest.mark.feature("ACL-03", "ACL-05")
def test_change_moves_the_clients_of_the_old_curator_and_specialist_but_a_working_curators_private_ones(
    admin_client: Any, admin_user: Any, staff: dict[str, Any]
) -> None:
    # given clients of the leaving (still working) curator, one private, of the old specialist, and of someone else
    s = staff
    ordinary = ClientFactory(short_name="Альфа", curator=s["leaving"])
    private = ClientFactory(short_name="Бета", curator=s["leaving"], private=True)
    specialised = ClientFactory(short_name="Гамма", curator=s["other"], specialist=s["spec_old"])
    untouched = ClientFactory(short_name="Дельта", curator=s["other"], specialist=s["spec_new"])

    # when the administrator confirms the change of both pairs
    response = admin_client.post(CHANGE, {
        "old_curator": s["leaving"].pk, "new_curator": s["coming"].pk,
        "old_specialist": s["spec_old"].pk, "new_specialist": s["spec_new"].pk, "confirm": "1",
    }, follow=True)

    # then the ordinary client of the curator and the specialist's client moved, the private one stayed
    page = html(response)
    assert "Клиенты переданы: куратор сменён у 1, специалист сменён у 1." in page
    assert KEPT_WORKING in page
    for client in (ordinary, private, specialised, untouched):
        client.refresh_from_db()
    assert (ordinary.curator, private.curator, private.is_private) == (s["coming"], s["leaving"], True)
    assert (specialised.curator, specialised.specialist) == (s["other"], s["spec_new"])
    assert (untouched.curator, untouched.specialist) == (s["other"], s["spec_new"])
    assert ordinary.changed_by == admin_user
    # and the page offers to close the system to the old users
    assert f'href="/administration/users/{s["leaving"].pk}/"' in page
    assert "Отключить учётную запись и отметить увольнение: Уходящий Куратор" in page
    assert "Отключить учётную запись и отметить увольнение: Старый Специалист" in page


@pytest.mark.feature("ACL-03", "ACL-05")
def test_the_preview_counts_private_clients_apart_and_says_a_working_curators_stay(
    admin_client: Any, staff: dict[str, Any]
) -> None:
    # given three clients of the leaving curator, one of them private
    s = staff
    ClientFactory(short_name="Альфа", curator=s["leaving"])
    ClientFactory(short_name="Бета", curator=s["leaving"])
    ClientFactory(short_name="Вега", curator=s["leaving"], private=True)

    # when the administrator asks for the count
    response = admin_client.post(CHANGE, {
        "old_curator": s["leaving"].pk, "new_curator": s["coming"].pk, "preview": "1",
    })

    # then the two ordinary clients are counted to move, the private one apart, to stay; none is named
    page = html(response)
    assert "2 клиента перейдут от куратора Уходящий Куратор к Новый Куратор." in page
    assert KEPT_WORKING in page
    assert "Вега" not in page
    assert Client.objects.filter(curator=s["leaving"]).count() == 3


@pytest.mark.feature("ACL-03", "ACL-05")
def test_the_preview_says_a_dismissed_employees_private_clients_go_to_the_new_curator_never_to_the_admin(
    admin_client: Any, admin_user: Any, staff: dict[str, Any]
) -> None:
    # given a dismissed employee with an ordinary and a private client
    s = staff
    s["leaving"].dismissed = s["leaving"].disabled = True
    s["leaving"].save(update_fields=["dismissed", "disabled"])
    ClientFactory(short_name="Альфа", curator=s["leaving"])
    ClientFactory(short_name="Вега", curator=s["leaving"], private=True)

    # when the administrator counts a hand-over to a colleague, and one to himself
    to_colleague = html(admin_client.post(CHANGE, {
        "old_curator": s["leaving"].pk, "new_curator": s["coming"].pk, "preview": "1"}))
    to_himself = html(admin_client.post(CHANGE, {
        "old_curator": s["leaving"].pk, "new_curator": admin_user.pk, "preview": "1"}))

    # then to the colleague both go, the private one said apart; to himself only the ordinary one
    assert "2 клиента перейдут от куратора Уходящий Куратор к Новый Куратор." in to_colleague
    assert ("Из них приватных клиентов уволенного сотрудника Уходящий Куратор: 1. Они переходят к Новый Куратор, "
            "который становится их единственным куратором; передача записывается в журнал аудита, а Новый Куратор "
            "получает уведомление.") in to_colleague
    assert "1 клиент перейдёт от куратора Уходящий Куратор к Администратор Системы." in to_himself
    assert ("Приватные клиенты куратора Уходящий Куратор (1) остаются у своего куратора: администратор никогда "
            "не становится куратором чужих приватных клиентов. Передайте их другому работающему пользователю."
            ) in to_himself
    assert "Вега" not in to_colleague + to_himself


@pytest.mark.feature("ACL-05")
def test_the_change_refuses_a_half_filled_pair_the_same_user_and_an_empty_form(
    admin_client: Any, staff: dict[str, Any]
) -> None:
    s = staff
    # when the new curator is missing, or equals the old one, or nothing is chosen
    half = admin_client.post(CHANGE, {"old_curator": s["leaving"].pk, "preview": "1"}).content.decode()
    same = admin_client.post(CHANGE, {
        "old_specialist": s["spec_old"].pk, "new_specialist": s["spec_old"].pk, "preview": "1",
    }).content.decode()
    empty = admin_client.post(CHANGE, {"confirm": "1"}).content.decode()

    # then each error stands next to its field
    assert "Укажите, кому передаются клиенты." in half
    assert "Новый пользователь должен отличаться от старого." in same
    assert "Укажите старого и нового куратора или старого и нового специалиста." in empty


@pytest.mark.feature("ACL-05", "ACL-06")
def test_non_administrators_get_403_and_anonymous_the_login_page(
    manager_client: Any, supervisor_user: Any, client: Any
) -> None:
    # given a manager, a supervisor and an anonymous visitor
    supervisor = signed_in(supervisor_user)

    # when each opens both administration pages
    statuses = [http.get(path).status_code for http in (manager_client, supervisor) for path in (CHANGE, EXPLAIN)]
    anonymous = client.get(CHANGE)

    # then the staff are refused and the visitor is sent to sign in
    assert statuses == [403, 403, 403, 403]
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


@pytest.mark.feature("ACL-05", "ACL-06")
def test_the_administration_menu_offers_both_pages_to_administrators_only(
    admin_client: Any, manager_client: Any
) -> None:
    # when an administrator and a manager open the main window
    admin_page = admin_client.get("/").content.decode()
    manager_page = manager_client.get("/").content.decode()

    # then only the administrator's menu has the items
    for label, url in (("Смена куратора/специалиста", CHANGE), ("Почему пользователь видит клиента", EXPLAIN)):
        assert label in admin_page and f'href="{url}"' in admin_page
        assert label not in manager_page


@pytest.mark.feature("ACL-06")
@pytest.mark.parametrize(("mode", "mode_text", "seen"), [
    (ClientScope.OWN, "Видит и работает только со своими клиентами",
     "Видит клиента в списках: нет. Открывает карточку: нет."),
    (ClientScope.LIST_ALL, "Видит список всех клиентов, входить может только в карточки своих",
     "Видит клиента в списках: да. Открывает карточку: нет."),
    (ClientScope.OPEN_ALL, "Входит в карточки всех клиентов, редактирует всё, кроме основных данных чужих",
     "Видит клиента в списках: да. Открывает карточку: да."),
    (ClientScope.FULL, "Видит всех клиентов и работает со всеми",
     "Видит клиента в списках: да. Открывает карточку: да."),
])
def test_the_page_explains_a_foreign_client_in_each_working_mode(
    admin_client: Any, staff: dict[str, Any], mode: str, mode_text: str, seen: str
) -> None:
    # given a manager in the working mode and a client of someone else
    user = UserFactory(login="subject", full_name="Проверяемый Сотрудник", client_scope=mode)
    ClientFactory(code=77, short_name="Омега", curator=staff["other"])

    # when the administrator asks why
    page = admin_client.get(EXPLAIN, {"user": user.pk, "code": 77}).content.decode()

    # then the page names the mode and the outcome
    assert f"<li>Режим работы: {mode_text}.</li>" in page
    assert f"<li>{seen}</li>" in page


@pytest.mark.feature("ACL-03", "ACL-06")
def test_another_curators_private_client_is_as_unknown_as_a_missing_code(
    admin_client: Any, admin_user: Any, staff: dict[str, Any]
) -> None:
    # given a private client of a manager and the administrator's own private client
    ClientFactory(code=5, short_name="Секрет", curator=staff["other"], private=True)
    ClientFactory(code=6, short_name="Мой секрет", curator=admin_user, private=True)

    # when the administrator asks about the manager's private client, a missing code and his own private client
    foreign = admin_client.get(EXPLAIN, {"user": staff["other"].pk, "code": 5}).content.decode()
    missing = admin_client.get(EXPLAIN, {"user": staff["other"].pk, "code": 9999}).content.decode()
    own = admin_client.get(EXPLAIN, {"user": staff["other"].pk, "code": 6}).content.decode()

    # then the first two read the same and reveal nothing; his own client is explained
    assert "Доступного вам клиента с таким кодом нет." in foreign
    assert "Секрет" not in foreign
    assert _panel(foreign).replace('name="code" value="5"', "") == _panel(missing).replace(
        'name="code" value="9999"', "")
    assert 'data-testid="explanation"' not in foreign
    assert "Клиент приватный: его видит только куратор, даже администраторы не видят." in own


def _shown_at(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def _sign_in_page(user: Any) -> str:
    """The first page after `user` signs in through the sign-in page."""
    return html(HttpClient().post("/login/", {"login": user.login, "password": PASSWORD}, follow=True))


@pytest.mark.feature("ACL-03", "ACL-05")
def test_the_old_curator_is_told_of_a_hand_over_of_his_clients_at_his_next_sign_in(
    admin_client: Any, staff: dict[str, Any]
) -> None:
    # given the curator's ordinary and private clients, handed over while he was away
    s = staff
    ClientFactory(short_name="Альфа", curator=s["leaving"])
    ClientFactory(short_name="Вега", curator=s["leaving"], private=True)
    admin_client.post(CHANGE, {"old_curator": s["leaving"].pk, "new_curator": s["coming"].pk, "confirm": "1"})
    row = AuditEvent.objects.get(event="clients.hand_over")

    # when he signs in (for the first time), and again
    page, again = _sign_in_page(s["leaving"]), _sign_in_page(s["leaving"])

    # then he reads who handed over what and when, once
    told = (f"{_shown_at(row.at)} — Администратор Системы: передача ваших клиентов (вы — куратор) пользователю "
            "Новый Куратор: 1; приватных клиентов оставлено как было: 1")
    assert "До вашего первого входа другие пользователи сделали с вашей учётной записью или клиентами" in page
    assert told in page
    assert "передача ваших клиентов" not in again
    # and the colleague who did not lose clients is told nothing
    assert "передача ваших клиентов" not in _sign_in_page(s["other"])


@pytest.mark.feature("ACL-03")
def test_a_backup_download_is_told_to_the_curators_of_private_clients_only(
    admin_user: Any, staff: dict[str, Any]
) -> None:
    # given a curator of a private client and a colleague with an ordinary one, both signed in before
    s = staff
    ClientFactory(short_name="Вега", curator=s["leaving"], private=True)
    ClientFactory(short_name="Альфа", curator=s["other"])
    _sign_in_page(s["leaving"]), _sign_in_page(s["other"])
    # and then an administrator downloaded a backup (the backups page writes this row)
    with transaction.atomic():
        row = audit_record(actor=admin_user, event="backup.download", summary="Backup downloaded",
                           extra={"name": "kontora-2026-12-05.tar"})

    # when both sign in
    private_owner, colleague = _sign_in_page(s["leaving"]), _sign_in_page(s["other"])

    # then the curator of the private client is told who downloaded the whole base and when; the colleague not
    told = (f"{_shown_at(row.at)} — Администратор Системы: скачивание архива резервной копии: это вся база, "
            "включая ваших приватных клиентов")
    assert told in private_owner
    assert "С вашего предыдущего входа" in private_owner
    assert "скачивание архива" not in colleague
    # and an administrator's own download is not told to himself
    ClientFactory(short_name="Свой", curator=admin_user, private=True)
    assert "скачивание архива" not in _sign_in_page(admin_user)
