"""The card's «История взаимоотношений» tab and the «Событие» form (HIS-01, HIS-02, CLI-14)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kontora.activity.models import Event
from kontora.clients.models import Client, ContactPerson, StageChange
from kontora.directories.models import EventType, LadderStage
from tests.accounts.factories import UserFactory
from tests.activity.factories import EventFactory
from tests.clients.factories import ClientFactory
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

pytestmark = pytest.mark.django_db

ROW = re.compile(r'data-testid="card-event"')
HX = {"HTTP_HX_REQUEST": "true"}


def _type(name: str = "Звонок") -> EventType:
    return EventType.objects.create(name=name, name_key=name.lower())


@pytest.mark.feature("CLI-14")
def test_the_history_tab_is_a_journal_of_the_card(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    page = html(manager_client.get(f"/clients/{client.pk}/"))
    assert f'hx-get="/clients/{client.pk}/events/"' in page
    assert "История взаимоотношений" in page


@pytest.mark.feature("CLI-14", "HIS-01")
def test_the_pane_lists_the_clients_events_newest_first_with_every_column(manager_user: Any,
                                                                           manager_client: Any) -> None:
    # given a client with two events, the later one with every field
    client = ClientFactory(curator=manager_user)
    contact = ContactPerson.objects.create(client=client, full_name="Петров Пётр")
    stage = LadderStage.objects.create(name="Переговоры", name_key="переговоры")
    older = EventFactory(client=client, author=manager_user, description="Первый звонок")
    newer = EventFactory(client=client, author=manager_user, description="Встреча в офисе", contact=contact,
                         stage=stage, next_contact_date="2026-12-24", event_type=_type("Встреча"))
    Event.objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2025))
    EventFactory(description="Чужой клиент")  # another client's
    # when the manager opens the History tab
    pane = html(manager_client.get(f"/clients/{client.pk}/events/"))
    # then it lists the client's events, newest first, with the add button (Ins)
    assert pane.index("Встреча в офисе") < pane.index("Первый звонок")
    assert "Чужой клиент" not in pane
    for text in ("Петров Пётр", "Переговоры", "24.12.2026", "Встреча", manager_user.full_name):
        assert text in pane
    assert 'data-key="Insert"' in pane and 'data-testid="event-add"' in pane


@pytest.mark.feature("CLI-14")
def test_a_read_only_card_offers_no_ins_and_refuses_the_form(manager_user: Any) -> None:
    # given a client the manager keeps, which another manager was granted to open but not to edit
    from kontora.clients.models import ClientGrant

    reader = UserFactory(client_scope="own")
    client = ClientFactory(curator=manager_user)
    ClientGrant.objects.create(client=client, user=reader, can_edit=False)
    browser = signed_in(reader)
    pane = browser.get(f"/clients/{client.pk}/events/")
    assert pane.status_code == 200
    assert 'data-testid="event-add"' not in html(pane)
    assert browser.get(f"/clients/{client.pk}/events/new/", **HX).status_code == 403
    # positive control: the curator is offered Ins
    assert 'data-testid="event-add"' in html(signed_in(manager_user).get(f"/clients/{client.pk}/events/"))


@pytest.mark.feature("CLI-14")
def test_the_pane_reads_in_queries_that_do_not_grow_with_its_rows(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    contact = ContactPerson.objects.create(client=client, full_name="Петров Пётр")
    stage = LadderStage.objects.create(name="Переговоры", name_key="переговоры")

    def add(number: int) -> None:
        EventFactory(client=client, author=UserFactory() if number % 2 else manager_user, contact=contact,
                     stage=stage)

    page = assert_flat_queries(lambda: html(manager_client.get(f"/clients/{client.pk}/events/")), add, rows=20)
    assert len(ROW.findall(page)) == 20


@pytest.mark.feature("CLI-14")
def test_show_more_pages_on_past_fifty(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    EventFactory.create_batch(55, client=client, author=manager_user)
    first = html(manager_client.get(f"/clients/{client.pk}/events/"))
    assert len(ROW.findall(first)) == 50
    more = re.search(r'hx-get="([^"]*after=[^"]+)"', first)
    assert more is not None
    rest = html(manager_client.get(more.group(1).replace("&amp;", "&"), **HX))
    assert len(ROW.findall(rest)) == 5


@pytest.mark.feature("HIS-01", "HIS-02")
def test_the_form_marks_required_fields_shows_the_current_stage_and_the_cards_personnel(
        manager_user: Any, manager_client: Any) -> None:
    stage = LadderStage.objects.create(name="Знакомство", name_key="знакомство")
    client = ClientFactory(curator=manager_user, ladder_stage=stage)
    ContactPerson.objects.create(client=client, full_name="Петров Пётр")
    ContactPerson.objects.create(client=ClientFactory(), full_name="Чужой Контакт")
    form = html(manager_client.get(f"/clients/{client.pk}/events/new/", **HX))
    assert form.count("k-required") == 2
    assert 'data-testid="event-current-stage">Текущий этап разработки: Знакомство' in form
    assert "Петров Пётр" in form and "Чужой Контакт" not in form


@pytest.mark.feature("HIS-01", "HIS-02")
def test_ok_records_the_event_moves_the_client_and_redraws_the_history(manager_user: Any,
                                                                       manager_client: Any) -> None:
    stage = LadderStage.objects.create(name="Переговоры", name_key="переговоры")
    client = ClientFactory(curator=manager_user)
    answer = manager_client.post(f"/clients/{client.pk}/events/new/", {
        "event_type": _type().pk, "description": "Обсудили договор", "stage": stage.pk,
        "next_contact_date": "2026-12-24"}, **HX)
    assert answer.status_code == 200
    assert answer["HX-Retarget"] == "#client-events"
    assert "Обсудили договор" in html(answer)
    # the Operational work pane is to be read anew
    assert f'id="client-operational" hx-swap-oob="true" hx-get="/clients/{client.pk}/operational/"' in html(answer)
    fresh = Client.objects.get(pk=client.pk)
    assert (fresh.ladder_stage_id, str(fresh.next_contact_date)) == (stage.pk, "2026-12-24")
    assert StageChange.objects.filter(client=client, source="event").count() == 1


@pytest.mark.feature("HIS-01")
def test_the_forms_errors_are_in_russian_next_to_their_fields(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    answer = html(manager_client.post(f"/clients/{client.pk}/events/new/", {"description": "  "}, **HX))
    assert 'data-testid="error-event_type"' in answer and 'data-testid="error-description"' in answer
    assert "Обязательное поле." in answer
    assert not Event.objects.exists()


@pytest.mark.feature("HIS-01")
def test_an_event_opens_for_correction_to_its_author_and_read_only_to_another(manager_user: Any) -> None:
    other = UserFactory(login="other")
    client = ClientFactory(curator=manager_user, specialist=other)
    event = EventFactory(client=client, author=manager_user, description="Звонок")
    mine = html(signed_in(manager_user).get(f"/events/{event.pk}/", **HX))
    assert 'data-testid="event-ok"' in mine and "event-read-only" not in mine
    # Enter on the row opens it as a page of its own
    assert 'data-testid="event-form"' in html(signed_in(manager_user).get(f"/events/{event.pk}/"))
    theirs = signed_in(other)
    shown = html(theirs.get(f"/events/{event.pk}/", **HX))
    assert 'data-testid="event-read-only"' in shown and 'data-testid="event-ok"' not in shown
    assert "Звонок" in shown
    refused = theirs.post(f"/events/{event.pk}/", {"event_type": event.event_type_id, "description": "Х"}, **HX)
    assert refused.status_code == 403
    assert Event.objects.get(pk=event.pk).description == "Звонок"


@pytest.mark.feature("HIS-01")
def test_an_administrator_deletes_an_event_from_its_form(manager_user: Any, admin_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    event = EventFactory(client=client, author=manager_user)
    assert 'data-testid="event-delete"' in html(admin_client.get(f"/events/{event.pk}/", **HX))
    answer = admin_client.post(f"/events/{event.pk}/delete/", **HX)
    assert answer.status_code == 200 and answer["HX-Retarget"] == "#client-events"
    assert not Event.objects.filter(pk=event.pk).exists()
    # a manager, even its author, may not
    kept = EventFactory(client=client, author=manager_user)
    assert signed_in(manager_user).post(f"/events/{kept.pk}/delete/", **HX).status_code == 403
    assert Event.objects.filter(pk=kept.pk).exists()


@pytest.mark.feature("HIS-02", "CLI-01")
def test_an_events_move_is_not_lost_by_a_card_open_before_it(manager_user: Any, admin_user: Any) -> None:
    from tests.clients.support import card_page_data, card_submit

    # given the card open on its Operational work tab, with the client on the first stage
    first = LadderStage.objects.create(name="Знакомство", name_key="знакомство", order=1)
    second = LadderStage.objects.create(name="Переговоры", name_key="переговоры", order=2)
    third = LadderStage.objects.create(name="Договор", name_key="договор", order=3)
    client = ClientFactory(curator=manager_user, ladder_stage=first)
    browser = signed_in(manager_user)
    read = card_page_data(browser, client, tabs=["operational"])
    # when an administrator records an event that moves the client to the second stage
    assert signed_in(admin_user).post(f"/clients/{client.pk}/events/new/", {
        "event_type": _type().pk, "description": "Встреча", "stage": second.pk}, **HX).status_code == 200
    # then the card saved with other changes keeps the event's stage
    assert card_submit(browser, client, {"notes": "Перезвонить"}, data=read).status_code == 302
    assert Client.objects.get(pk=client.pk).ladder_stage_id == second.pk
    # and a stage changed on the card read before the move is a conflict naming who moved it: nothing saved
    read = card_page_data(browser, client, tabs=["operational"])
    assert signed_in(admin_user).post(f"/clients/{client.pk}/events/new/", {
        "event_type": _type("Звонок 2").pk, "description": "Звонок", "stage": first.pk}, **HX).status_code == 200
    refused = card_submit(browser, client, {"ladder_stage": third.pk}, data=read)
    assert refused.status_code == 200
    assert 'data-testid="conflict-ladder_stage"' in html(refused) and str(admin_user) in html(refused)
    assert Client.objects.get(pk=client.pk).ladder_stage_id == first.pk
