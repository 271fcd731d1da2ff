"""Free texts of the card are capped (issue 11, F10: 1 MB notes were taken): a note or a security text past
`core.forms.base.TEXT_CAP` is refused next to its field with a message, nothing of the save is kept; a longer text
kept from before stays readable, and the card is saved when the user changes another field."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.models import Client, ClientSecurity
from kontora.core.forms.base import TEXT_CAP
from tests.clients.factories import ClientFactory
from tests.clients.support import card_submit
from tests.support.http import html, signed_in

MESSAGE = "Не более 20 000 символов, введено 20 001: сократите текст."


@pytest.fixture
def card(curator: Any) -> Client:
    return ClientFactory(curator=curator, short_name="Ромашка", phone="+7 495 111-22-33")


@pytest.mark.feature("CLI-01", "CLI-11")
def test_a_note_past_the_cap_is_refused_next_to_it_and_nothing_is_saved(curator: Any, card: Client) -> None:
    # when the curator types a note one character past the cap, a security text past it too, and a new phone
    browser = signed_in(curator)
    response = card_submit(browser, card, {"notes": "я" * (TEXT_CAP + 1), "phone": "+7 495 999-00-00",
                                           "si-reputation": "ы" * (TEXT_CAP + 1)}, tabs=["security"])
    # then the card comes back with the message beside each field, and nothing is kept
    page = html(response).replace("\u00a0", " ")
    assert response.status_code == 200
    assert page.count(MESSAGE) == 2
    card.refresh_from_db()
    assert (card.notes, card.phone) == ("", "+7 495 111-22-33")
    assert not ClientSecurity.objects.filter(client=card).exclude(reputation="").exists()


@pytest.mark.feature("CLI-01", "CLI-11")
def test_a_note_at_the_cap_is_saved(curator: Any, card: Client) -> None:
    # positive control: exactly the cap is taken
    response = card_submit(signed_in(curator), card, {"notes": "я" * TEXT_CAP})
    assert response.status_code == 302
    card.refresh_from_db()
    assert len(card.notes) == TEXT_CAP


@pytest.mark.feature("CLI-01", "CLI-11")
def test_a_card_with_an_older_longer_note_is_saved_when_another_field_changes(curator: Any, card: Client) -> None:
    # given a card whose note was kept before the cap, longer than it
    long_note = "старая заметка " * 3000
    Client.objects.filter(pk=card.pk).update(notes=long_note)
    browser = signed_in(curator)
    # when the curator opens it (the note is shown whole) and changes only the phone
    assert long_note.strip() in html(browser.get(f"/clients/{card.pk}/"))
    response = card_submit(browser, card, {"phone": "+7 495 999-00-00"})
    # then the card is saved, the note as it was
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.phone, card.notes) == ("+7 495 999-00-00", long_note)
    # while changing that note (still past the cap) is refused
    refused = card_submit(browser, card, {"notes": long_note + "!"})
    assert refused.status_code == 200 and "Не более 20 000 символов" in html(refused).replace("\u00a0", " ")
