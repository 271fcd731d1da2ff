"""Recording, correcting and deleting events of the relationship history (HIS-01, HIS-02)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kontora.activity.models import Event
from kontora.activity.services.events import event_create, event_delete, event_update
from kontora.clients.models import Client, ContactPerson, StageChange
from kontora.core.errors import NotAllowed
from kontora.core.models import AuditEvent, UserParameters
from kontora.directories.models import EventType, LadderStage
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _type(name: str = "Звонок", *, active: bool = True) -> EventType:
    return EventType.objects.create(name=name, name_key=name.lower(), is_active=active)


def _stage(name: str, *, active: bool = True) -> LadderStage:
    return LadderStage.objects.create(name=name, name_key=name.lower(), is_active=active)


def _contact(client: Client, name: str = "Иванов Иван") -> ContactPerson:
    return ContactPerson.objects.create(client=client, full_name=name)


def _nothing_saved(client: Client, *, stage: Any = None, next_contact: Any = None) -> None:
    assert not Event.objects.exists()
    assert not StageChange.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="activity.event").exists()
    fresh = Client.objects.get(pk=client.pk)
    assert (fresh.ladder_stage_id, fresh.next_contact_date) == (stage, next_contact)


@pytest.mark.feature("HIS-01")
@pytest.mark.feature("HIS-02")
def test_an_event_with_a_stage_moves_the_client_and_sets_its_next_contact(manager_user: Any) -> None:
    # given the manager's client on the first stage of the ladder, with a contact person
    first, second = _stage("Знакомство"), _stage("Переговоры")
    client = ClientFactory(curator=manager_user, ladder_stage=first)
    contact = _contact(client)
    day = datetime.date(2026, 12, 24)
    # when he records a call that brought the client to the second stage, with the next contact date
    event = event_create(acting_user=manager_user, client=client, values={
        "event_type": _type(), "description": "  Обсудили поставку  ", "contact": contact, "stage": second,
        "next_contact_date": day,
    })
    # then the event is kept (its search form too), the client moved and its move names the event
    event.refresh_from_db()
    assert (event.author_id, event.description, event.description_key) == (
        manager_user.pk, "Обсудили поставку", "обсудили поставку")
    fresh = Client.objects.get(pk=client.pk)
    assert (fresh.ladder_stage_id, fresh.next_contact_date) == (second.pk, day)
    move = StageChange.objects.get(client=client)
    assert (move.from_stage_id, move.to_stage_id, move.source, move.event_id) == (first.pk, second.pk, "event",
                                                                                  event.pk)
    # and each write has its row in the card's history
    events = set(AuditEvent.objects.filter(client_id=client.pk).values_list("event", flat=True))
    assert {"activity.event.create", "clients.client.stage", "clients.client.next_contact"} <= events


@pytest.mark.feature("HIS-02")
def test_a_failure_after_the_event_rolls_back_the_event_and_the_move(manager_user: Any,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # given a client and a next-contact write that fails after the event and the stage move were written
    from kontora.activity.services import events as services

    first = _stage("Знакомство")
    client = ClientFactory(curator=manager_user)

    def broken(**kwargs: Any) -> bool:
        raise ValidationError({"next_contact_date": "сбой"})

    monkeypatch.setattr(services, "client_next_contact_set", broken)
    # when the event is recorded
    with pytest.raises(ValidationError):
        event_create(acting_user=manager_user, client=client, values={
            "event_type": _type(), "description": "Встреча", "stage": first,
            "next_contact_date": datetime.date(2026, 12, 24)})
    # then nothing of it is left: no event, no move, no history
    _nothing_saved(client)


@pytest.mark.feature("HIS-01")
def test_an_event_without_its_type_and_description_is_refused_with_both_named(manager_user: Any) -> None:
    client = ClientFactory(curator=manager_user)
    with pytest.raises(ValidationError) as refused:
        event_create(acting_user=manager_user, client=client, values={"event_type": None, "description": "   "})
    assert set(refused.value.message_dict) == {"event_type", "description"}
    _nothing_saved(client)


@pytest.mark.feature("HIS-02")
def test_a_stage_not_in_the_ladder_is_refused_and_nothing_saved(manager_user: Any) -> None:
    client = ClientFactory(curator=manager_user)
    with pytest.raises(ValidationError) as refused:
        event_create(acting_user=manager_user, client=client, values={
            "event_type": _type(), "description": "Звонок", "stage": _stage("Снят с лестницы", active=False),
            "next_contact_date": datetime.date(2026, 12, 24)})
    assert "лестницы продаж" in refused.value.message_dict["stage"][0]
    _nothing_saved(client)


@pytest.mark.feature("HIS-01")
def test_a_contact_of_another_client_is_refused_and_nothing_saved(manager_user: Any) -> None:
    client, other = ClientFactory(curator=manager_user), ClientFactory(curator=manager_user)
    with pytest.raises(ValidationError) as refused:
        event_create(acting_user=manager_user, client=client, values={
            "event_type": _type(), "description": "Звонок", "contact": _contact(other)})
    assert list(refused.value.message_dict) == ["contact"]
    _nothing_saved(client)
    # positive control: the client's own contact is taken
    event_create(acting_user=manager_user, client=client, values={
        "event_type": _type("Встреча"), "description": "Звонок", "contact": _contact(client)})
    assert Event.objects.count() == 1


@pytest.mark.feature("HIS-01")
def test_a_user_who_may_only_open_the_client_cannot_record_an_event(manager_user: Any) -> None:
    client = ClientFactory(curator=UserFactory(), private=True)
    with pytest.raises(NotAllowed):
        event_create(acting_user=manager_user, client=client, values={"event_type": _type(), "description": "Х"})
    assert not Event.objects.exists()


def _recorded(author: Any, client: Client, at: datetime.datetime) -> Event:
    event = event_create(acting_user=author, client=client, values={"event_type": _type(), "description": "Звонок"})
    Event.objects.filter(pk=event.pk).update(created_at=at)
    event.refresh_from_db()
    return event


def _frozen(monkeypatch: pytest.MonkeyPatch, at: datetime.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at)


@pytest.mark.feature("HIS-01")
def test_the_author_corrects_his_event_on_its_day_on_his_own_clock(manager_user: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # given a manager in Vladivostok (UTC+10) and his event made at 23:30 there on 4 December (13:30 UTC)
    UserParameters.objects.create(user=manager_user, time_zone="Asia/Vladivostok")
    client = ClientFactory(curator=manager_user)
    made = datetime.datetime(2026, 12, 4, 23, 30, tzinfo=ZoneInfo("Asia/Vladivostok"))
    event = _recorded(manager_user, client, made)
    # when it is 23:50 on his clock (still 4 December; in Moscow too), he corrects it
    _frozen(monkeypatch, datetime.datetime(2026, 12, 4, 13, 50, tzinfo=datetime.UTC))
    event_update(acting_user=manager_user, event=event, values={"description": "Звонок, договорились"})
    assert Event.objects.get(pk=event.pk).description == "Звонок, договорились"
    # when it is 00:10 on 5 December on his clock — still 4 December in UTC and in Moscow — the day is over
    _frozen(monkeypatch, datetime.datetime(2026, 12, 4, 14, 10, tzinfo=datetime.UTC))
    with pytest.raises(NotAllowed):
        event_update(acting_user=manager_user, event=event, values={"description": "Поздно"})
    assert Event.objects.get(pk=event.pk).description == "Звонок, договорились"


@pytest.mark.feature("HIS-01")
def test_another_user_cannot_correct_an_event_and_an_administrator_edits_and_deletes(
        manager_user: Any, admin_user: Any) -> None:
    # given the manager's event on a client another manager may edit too (its specialist)
    other = UserFactory()
    client = ClientFactory(curator=manager_user, specialist=other)
    event = event_create(acting_user=manager_user, client=client, values={"event_type": _type(),
                                                                          "description": "Звонок"})
    # then the other manager may neither correct nor delete it, and the manager may not delete it
    with pytest.raises(NotAllowed):
        event_update(acting_user=other, event=event, values={"description": "Чужая правка"})
    with pytest.raises(NotAllowed):
        event_delete(acting_user=other, event=event)
    with pytest.raises(NotAllowed):
        event_delete(acting_user=manager_user, event=event)
    assert Event.objects.get(pk=event.pk).description == "Звонок"
    # and an administrator corrects it, then deletes it, each on record
    event_update(acting_user=admin_user, event=event, values={"description": "Правка администратора"})
    assert Event.objects.get(pk=event.pk).description == "Правка администратора"
    event_delete(acting_user=admin_user, event=event)
    assert not Event.objects.filter(pk=event.pk).exists()
    assert {"activity.event.update", "activity.event.delete"} <= set(
        AuditEvent.objects.filter(actor=admin_user).values_list("event", flat=True))


@pytest.mark.feature("HIS-01")
def test_a_correction_checks_the_fields_against_what_others_saved(manager_user: Any, admin_user: Any) -> None:
    # given an event the manager read, which an administrator then corrected
    from kontora.activity.forms.events import EventForm
    from kontora.core.conflicts import EditConflict

    client = ClientFactory(curator=manager_user)
    event = event_create(acting_user=manager_user, client=client, values={"event_type": _type(),
                                                                          "description": "Звонок"})
    read = EventForm(client=client, event=event)
    token = read.read_input.split('value="')[1].split('"')[0]
    event_update(acting_user=admin_user, event=event, values={"description": "Правка администратора"})
    # when the manager saves his own change of the same field from the form he read
    posted = EventForm({"event_type": event.event_type_id, "description": "Моя правка", "event-read": token},
                       client=client, event=Event.objects.get(pk=event.pk))
    assert posted.is_valid(), posted.errors
    with pytest.raises(EditConflict):
        event_update(acting_user=manager_user, event=event, edit=posted.edit(),
                     values={name: posted.cleaned_data[name] for name in posted.changed_data})
    # then the administrator's value stays
    assert Event.objects.get(pk=event.pk).description == "Правка администратора"
