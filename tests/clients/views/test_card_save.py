"""The card's one save model (issue 10 item 4; the daily-use issue's "silent data loss"): the card is one form whose
tabs load when shown; OK / Apply save every changed part in one transaction, each through its own service; what the
user did not open or did not change is left as it is kept now."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from kontora.clients.models import (
    Client,
    ClientMailing,
    ClientRegistration,
    ClientSecurity,
    ClientShipping,
)
from kontora.core.models import AuditEvent
from kontora.directories.models import Direction
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import OKPO, VALID_INN, card_history, card_page_data, card_submit
from tests.support.http import html, signed_in

EVERY_PART = ["operational", "registration", "access", "mailing", "security", "shipping"]


@pytest.fixture
def card(curator: Any) -> Client:
    return ClientFactory(curator=curator, short_name="Ромашка", full_name="ООО «Ромашка»", inn=VALID_INN,
                         phone="+7 495 111-22-33")


def _summaries(client: Client) -> list[str]:
    return list(card_history(client).order_by("id").values_list("summary", flat=True))


@pytest.mark.feature("CLI-01", "CLI-04", "CLI-06", "CLI-09", "CLI-10", "CLI-11")
def test_one_apply_saves_the_changed_fields_of_every_part(curator: Any, card: Client) -> None:
    # given the curator with every part's tab opened
    browser = signed_in(curator)
    # when he types on the General tab, Operational work, Registration data (КПП among the codes), Mailing,
    # Security and Shipping, and presses Apply once
    response = card_submit(browser, card, {
        "notes": "Звонить после обеда", "next_contact_date": "2030-01-15",
        "kpp": "770701001", "reg-okpo": OKPO, "reg-okved": "62.01", "reg-legal_address": "Москва, ул. Ленина, 1",
        "reg-director": "Иванов И. И.", "ms-exclude_email": True, "si-reputation": "Платит в срок",
        "sh-carrier": "ТК «Быстро»",
    }, tabs=EVERY_PART)
    # then every value is kept
    assert response.status_code == 302 and response["Location"] == f"/clients/{card.pk}/"
    card.refresh_from_db()
    assert (card.notes, card.next_contact_date, card.kpp) == (
        "Звонить после обеда", datetime.date(2030, 1, 15), "770701001")
    registration = ClientRegistration.objects.get(client=card)
    assert (registration.okpo, registration.okved, registration.legal_address, registration.director) == (
        OKPO, "62.01", "Москва, ул. Ленина, 1", "Иванов И. И.")
    assert ClientMailing.objects.get(client=card).exclude_email is True
    assert ClientSecurity.objects.get(client=card).reputation == "Платит в срок"
    assert ClientShipping.objects.get(client=card).carrier == "ТК «Быстро»"
    # and the history has one row per part that changed, naming only the changed fields
    assert _summaries(card) == [
        "Карточка изменена", "Регистрационные данные изменены", "Изменены параметры рассылки",
        "Изменены данные безопасности", "Изменены отгрузочные реквизиты",
    ]
    main = card_history(card).get(summary="Карточка изменена")
    assert {item["field"] for item in main.changes} == {"Заметки", "Дата следующего контакта", "КПП"}
    registration_row = card_history(card).get(summary="Регистрационные данные изменены")
    assert {item["field"] for item in registration_row.changes} == {
        "ОКПО", "ОКВЭД", "Юридический адрес", "Руководитель"}


@pytest.mark.feature("CLI-06", "CLI-11")
def test_a_refused_part_leaves_every_part_unsaved_and_shows_the_error_in_its_pane(curator: Any, card: Client) -> None:
    # given the curator who changes the notes, a good OKPO, the mailing switch and a shipping INN with a wrong check
    # digit (refused by the shipping service, after the registration's service has written its row)
    browser = signed_in(curator)
    events = AuditEvent.objects.count()
    response = card_submit(browser, card, {
        "notes": "Звонить после обеда", "reg-okpo": OKPO, "ms-exclude_email": True,
        "sh-consignee_inn": "7707083894", "sh-carrier": "ТК «Быстро»",
    }, tabs=EVERY_PART)
    # then the card comes back with the message under the field, in the Shipping pane drawn into the page
    page = html(response)
    assert response.status_code == 200
    error = 'data-testid="error-consignee_inn">ИНН: неверное контрольное число</div>'
    assert error in page
    assert page.index(' id="tab-shipping"') < page.index(error) < page.index(' id="tab-service"')
    # and what was typed on every tab is still there to correct and save again
    assert "Звонить после обеда" in page and f'value="{OKPO}"' in page and "ТК «Быстро»" in page.replace(
        "&laquo;", "«").replace("&raquo;", "»")
    switch = re.search(r'<input[^>]*name="ms-exclude_email"[^>]*>', page)
    assert switch is not None and " checked" in switch.group(0)
    # and nothing at all was saved: no part, no history row
    card.refresh_from_db()
    assert card.notes == ""
    assert not ClientRegistration.objects.exists() and not ClientMailing.objects.exists()
    assert not ClientShipping.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.feature("CLI-06")
def test_the_fields_of_a_pane_never_opened_are_not_touched(curator: Any, card: Client) -> None:
    # given a client with registration data, security texts and shipping requisites
    ClientRegistration.objects.create(client=card, okpo=OKPO, director="Иванов И. И.")
    ClientSecurity.objects.create(client=card, reputation="Хорошая")
    ClientShipping.objects.create(client=card, carrier="ТК «Быстро»")
    browser = signed_in(curator)
    # when the curator changes the notes without opening any other tab, and presses OK
    data = card_page_data(browser, card)
    assert not any(name.startswith(("reg-", "si-", "sh-", "ms-")) for name in data)
    response = card_submit(browser, card, {"notes": "Только заметки"}, data=data, ok=True)
    # then the notes are saved and every other part is as it was, with one history row
    assert response.status_code == 302 and response["Location"] == f"/?focus={card.pk}"
    card.refresh_from_db()
    assert card.notes == "Только заметки"
    registration = ClientRegistration.objects.get(client=card)
    assert (registration.okpo, registration.director) == (OKPO, "Иванов И. И.")
    assert ClientSecurity.objects.get(client=card).reputation == "Хорошая"
    assert ClientShipping.objects.get(client=card).carrier == "ТК «Быстро»"
    assert not ClientMailing.objects.exists()
    assert _summaries(card) == ["Карточка изменена"]


@pytest.mark.feature("CLI-01", "CLI-06")
def test_a_field_the_user_did_not_change_keeps_what_another_user_saved_meanwhile(
    curator: Any, card: Client, admin_user: Any,
) -> None:
    # given the curator who opened the card with Registration data and Shipping (his page holds what he read)
    direction = Direction.objects.create(name="Опт")
    ClientRegistration.objects.create(client=card, okpo="", director="Иванов И. И.")
    browser = signed_in(curator)
    read = card_page_data(browser, card, tabs=["registration", "shipping"])
    # when meanwhile the administrator changes the phone, a direction, the OKPO and the carrier, and saves
    other = signed_in(admin_user)
    assert card_submit(other, card, {
        "phone": "+7 495 999-00-00", "directions": [direction.pk], "reg-okpo": OKPO, "sh-carrier": "ТК «Быстро»",
    }, tabs=["registration", "shipping"]).status_code == 302
    # and the curator, on the page he read before, changes only the notes, the director and the transport
    response = card_submit(browser, card, {
        "notes": "Проверено", "reg-director": "Петров П. П.", "sh-transport": "Фура 20 т"}, data=read)
    # then his changes are saved and the administrator's stay: each field is compared with what the user read
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.notes, card.phone) == ("Проверено", "+7 495 999-00-00")
    assert list(card.directions.all()) == [direction]
    registration = ClientRegistration.objects.get(client=card)
    assert (registration.okpo, registration.director) == (OKPO, "Петров П. П.")
    shipping = ClientShipping.objects.get(client=card)
    assert (shipping.carrier, shipping.transport) == ("ТК «Быстро»", "Фура 20 т")
    # and the curator's history row names only what he changed
    last = card_history(card).filter(actor=curator, summary="Регистрационные данные изменены").get()
    assert [item["field"] for item in last.changes] == ["Руководитель"]


@pytest.mark.feature("CLI-01")
def test_a_forged_snapshot_of_what_was_read_is_not_trusted(curator: Any, card: Client) -> None:
    # given the curator's page, its snapshot of the main part replaced by one he made up
    browser = signed_in(curator)
    data = card_page_data(browser, card)
    data.setlist("card-read", ["forged"])
    # when he posts the phone he read unchanged with a new note
    response = card_submit(browser, card, {"notes": "Новая"}, data=data)
    # then the post is compared with the values as kept (nothing else changes), and the save goes through
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.notes, card.phone) == ("Новая", "+7 495 111-22-33")
    assert [item["field"] for item in card_history(card).get().changes] == ["Заметки"]


@pytest.mark.feature("ACL-02", "CLI-06")
def test_a_part_the_user_may_only_read_is_shown_as_text_and_a_forged_post_of_it_is_refused(
    curator: Any, card: Client,
) -> None:
    # given a colleague who opens all clients: he may change the card's information but not its main data
    colleague = signed_in(UserFactory(login="colleague", client_scope="open_all"))
    ClientRegistration.objects.create(client=card, okpo=OKPO)
    # when he shows Registration data, it is text with nothing to post
    pane = html(colleague.get(f"/clients/{card.pk}/registration/"))
    assert 'data-testid="registration-read-only"' in pane and 'name="reg-okpo"' not in pane
    # and the card he saves as offered keeps his notes (positive control)
    assert card_submit(colleague, card, {"notes": "Видел"}, tabs=["registration"]).status_code == 302
    # when he posts a registration field anyway, the whole save is refused
    data = card_page_data(colleague, card)
    response = card_submit(colleague, card, {"notes": "Подделка", "reg-okpo": ""}, data=data)
    assert response.status_code == 403
    card.refresh_from_db()
    assert card.notes == "Видел" and ClientRegistration.objects.get(client=card).okpo == OKPO


@pytest.mark.feature("CLI-01", "CLI-06", "CLI-09", "CLI-10", "CLI-11")
def test_no_pane_of_the_card_has_a_save_of_its_own(curator: Any, card: Client) -> None:
    """OK / Apply are the card's one save: a tab's own save button (once "Save registration data") saved its tab
    and dropped what was typed elsewhere, so none is drawn."""
    browser = signed_in(curator)
    page = html(browser.get(f"/clients/{card.pk}/"))
    form = page[page.index('id="client-card-form"'):]
    assert form[:form.index("</form>")].count('type="submit"') == 2  # OK and Apply
    for code in EVERY_PART:
        pane = html(browser.get(f"/clients/{card.pk}/{code}/"))
        assert '-read" value="' in pane, code  # positive control: the part's editable fields, with their snapshot
        assert 'type="submit"' not in pane and "Сохранить" not in pane, code
        assert not re.search(r'hx-post="[^"]*/(save|update)/?"', pane), code


@pytest.mark.feature("CLI-02")
def test_ok_answering_the_unsaved_question_goes_on_to_the_page_being_left_for_and_only_on_this_site(
    manager_user: Any,
) -> None:
    # given the card's «Save the changes?» answered Yes on the way to another page (behaviours/unsaved.js posts it)
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    http = signed_in(manager_user)
    # when
    going = card_submit(http, client, {"notes": "Раз", "next": "/settings/parameters/#tab"}, ok=True)
    elsewhere = [card_submit(http, client, {"notes": f"Два {n}", "next": target}, ok=True)["Location"]
                 for n, target in enumerate(("//evil.example/", "https://evil.example/x", "javascript:alert(1)"))]
    plain = card_submit(http, client, {"notes": "Три"}, ok=True)
    applied = card_submit(http, client, {"notes": "Четыре", "next": "/settings/parameters/"})
    # then: saved each time; OK goes to that page of this site, anything else back to the main window
    assert going.status_code == 302 and going["Location"] == "/settings/parameters/#tab"
    home = f"/?focus={client.pk}"  # the main window, on the card's row
    assert elsewhere == [home, home, home] and plain["Location"] == home
    assert applied["Location"] == f"/clients/{client.pk}/"  # Apply stays on the card whatever it was leaving for
    assert Client.objects.get(pk=client.pk).notes == "Четыре"
