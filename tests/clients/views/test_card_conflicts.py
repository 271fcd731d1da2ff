"""No lost updates on the client card (issue 11, F15): a save compares read / current / typed field by field. A field
both users changed is a conflict — nothing is saved, and the form shows who changed it, when and to what, beside the
user's value, to choose; different fields (different tabs) never conflict."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.models import Client, ClientBankAccount, ClientMailingAddress, ClientRegistration, ContactPerson
from tests.clients.factories import ClientFactory
from tests.clients.support import SBER_BIK, SBER_CORR, card_page_data, card_submit, settlement_account
from tests.support.forms import form_data
from tests.support.http import html, signed_in

HX = {"HTTP_HX_REQUEST": "true"}  # the contact's form is a modal


@pytest.fixture
def card(curator: Any) -> Client:
    return ClientFactory(curator=curator, short_name="Ромашка", phone="+7 495 111-22-33", notes="")


def _refused_page(response: Any) -> Any:
    assert response.status_code == 200
    return form_data(html(response), "client-card-form")


@pytest.mark.feature("CLI-01")
def test_a_field_both_users_changed_saves_nothing_and_shows_the_other_value_to_choose(
    curator: Any, card: Client, admin_user: Any,
) -> None:
    # given the curator who opened the card
    browser = signed_in(curator)
    read = card_page_data(browser, card)
    # when meanwhile the administrator changes the phone and saves
    assert card_submit(signed_in(admin_user), card, {"phone": "+7 495 999-00-00"}).status_code == 302
    # and the curator, on the page he read, changes the phone too, and the notes
    response = card_submit(browser, card, {"phone": "+7 495 222-33-44", "notes": "Перезвонить"}, data=read)
    # then nothing of his is saved
    card.refresh_from_db()
    assert (card.phone, card.notes) == ("+7 495 999-00-00", "")
    # and the page says who changed the phone, to what, beside his own value kept in the field
    page = html(response)
    assert 'data-testid="conflict-phone"' in page and str(admin_user) in page
    assert '<strong data-testid="theirs-phone">+7 495 999-00-00</strong>' in page
    assert "ничего не сохранено" in page
    again = _refused_page(response)
    assert again.get("phone") == "+7 495 222-33-44" and again.get("notes") == "Перезвонить"
    assert 'data-testid="conflict-notes"' not in page
    # when he saves again as it stands: his value wins, now knowingly, and his note is saved with it
    assert card_submit(browser, card, data=again).status_code == 302
    card.refresh_from_db()
    assert (card.phone, card.notes) == ("+7 495 222-33-44", "Перезвонить")


@pytest.mark.feature("CLI-01")
def test_take_theirs_keeps_the_other_value_and_saves_the_rest(curator: Any, card: Client, admin_user: Any) -> None:
    # given a save of the curator refused by the administrator's change of the phone
    browser = signed_in(curator)
    read = card_page_data(browser, card)
    assert card_submit(signed_in(admin_user), card, {"phone": "+7 495 999-00-00"}).status_code == 302
    again = _refused_page(card_submit(browser, card, {"phone": "+7 495 222-33-44", "notes": "Он"}, data=read))
    # when he ticks "take theirs" beside the phone and saves
    response = card_submit(browser, card, {"card-read-theirs": ["phone"]}, data=again)
    # then the administrator's phone stays and the curator's note is saved
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.phone, card.notes) == ("+7 495 999-00-00", "Он")


@pytest.mark.feature("CLI-01")
def test_the_same_value_typed_by_both_is_no_conflict(curator: Any, card: Client, admin_user: Any) -> None:
    browser = signed_in(curator)
    read = card_page_data(browser, card)
    assert card_submit(signed_in(admin_user), card, {"phone": "+7 495 999-00-00"}).status_code == 302
    # when the curator typed the very value the administrator saved
    response = card_submit(browser, card, {"phone": "+7 495 999-00-00", "notes": "Сверено"}, data=read)
    # then his save goes through
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.notes == "Сверено"


@pytest.mark.feature("CLI-01", "CLI-06")
def test_a_part_field_both_changed_is_a_conflict_in_its_pane(curator: Any, card: Client, admin_user: Any) -> None:
    # given the curator and the administrator both with Registration data opened
    ClientRegistration.objects.create(client=card, director="Иванов И. И.")
    browser = signed_in(curator)
    read = card_page_data(browser, card, tabs=["registration"])
    # when the administrator changes the director, and the curator, on his page, the director too
    assert card_submit(signed_in(admin_user), card, {"reg-director": "Петров П. П."},
                       tabs=["registration"]).status_code == 302
    response = card_submit(browser, card, {"reg-director": "Сидоров С. С.", "phone": "+7 495 000-00-01"}, data=read)
    # then nothing is saved and the pane drawn with the page marks the director with the administrator's value
    page = html(response)
    assert '<strong data-testid="theirs-director">Петров П. П.</strong>' in page
    card.refresh_from_db()
    assert card.phone == "+7 495 111-22-33"
    assert ClientRegistration.objects.get(client=card).director == "Петров П. П."


@pytest.mark.feature("CLI-01")
def test_two_tabs_of_one_user_are_two_readings(curator: Any, card: Client) -> None:
    # given the curator with the card open in two browser tabs
    browser = signed_in(curator)
    first, second = card_page_data(browser, card), card_page_data(browser, card)
    # when the first tab saves a new phone
    assert card_submit(browser, card, {"phone": "+7 495 999-00-00"}, data=first).status_code == 302
    # then the stale second tab may not overwrite it unseen
    response = card_submit(browser, card, {"phone": "+7 495 555-55-55"}, data=second)
    assert 'data-testid="conflict-phone"' in html(response)
    card.refresh_from_db()
    assert card.phone == "+7 495 999-00-00"
    # and a change of another field from the stale tab goes through, leaving the phone as the first tab saved it
    assert card_submit(browser, card, {"notes": "Из второй вкладки"}, data=second).status_code == 302
    card.refresh_from_db()
    assert (card.phone, card.notes) == ("+7 495 999-00-00", "Из второй вкладки")


def _contact(card: Client) -> tuple[str, str, str, str]:
    row = ContactPerson.objects.create(client=card, full_name="Иванов Иван", position="Менеджер")
    return f"/clients/{card.pk}/contacts/{row.pk}/", "position", "phone_office", "+7 495 000-00-00"


def _bank_account(card: Client) -> tuple[str, str, str, str]:
    row = ClientBankAccount.objects.create(client=card, bik=SBER_BIK, bank_name="ПАО Сбербанк",
                                           correspondent_account=SBER_CORR, account=settlement_account(SBER_BIK))
    return f"/clients/{card.pk}/bank/{row.pk}/", "bank-notes", "bank-bank_name", "Новый банк"


def _mailing_address(card: Client) -> tuple[str, str, str, str]:
    row = ClientMailingAddress.objects.create(client=card, kind=ClientMailingAddress.Kind.EMAIL,
                                              value="info@romashka.ru", value_key="info@romashka.ru")
    return f"/clients/{card.pk}/mailing/{row.pk}/", "me-owner_name", "me-value", "new@romashka.ru"


@pytest.mark.feature("CLI-05", "CLI-07", "CLI-09")
@pytest.mark.parametrize("journal_row", [_contact, _bank_account, _mailing_address],
                         ids=["contact", "bank account", "mailing address"])
def test_a_journal_rows_form_refuses_a_change_over_another_users_change_of_the_same_field(
    curator: Any, card: Client, admin_user: Any, journal_row: Any,
) -> None:
    # given a row of a card's journal and the curator with its form open
    url, field, other_field, other_value = journal_row(card)
    browser = signed_in(curator)
    read = form_data(html(browser.get(url, **HX)))
    # when the administrator changes a field, and the curator, on his form, the same field and another one
    theirs = form_data(html(signed_in(admin_user).get(url, **HX)))
    theirs.setlist(field, ["Администратор"])
    assert signed_in(admin_user).post(url, dict(theirs.lists()), **HX).status_code == 200
    mine = read.copy()
    mine.setlist(field, ["Куратор"])
    mine.setlist(other_field, [other_value])
    response = browser.post(url, dict(mine.lists()), **HX)
    # then nothing of his is saved and the form shows the administrator's value beside his own, to choose
    name = field.rpartition("-")[2]
    assert f'<strong data-testid="theirs-{name}">Администратор</strong>' in html(response)
    assert other_value not in _shown(url, admin_user)
    # when he changes only the other field on his old form, it is saved and the administrator's value stays
    mine = read.copy()
    mine.setlist(other_field, [other_value])
    assert browser.post(url, dict(mine.lists()), **HX).status_code == 200
    now = _shown(url, admin_user)
    assert other_value in now and "Администратор" in now


def _shown(url: str, user: Any) -> list[str]:
    return [value for values in form_data(html(signed_in(user).get(url, **HX))).lists() for value in values[1]]
