"""The one service that moves a client on the sales ladder (HIS-02): every path records the move."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from kontora.clients.models import Client, StageChange
from kontora.clients.services.card import client_create, client_update
from kontora.clients.services.ladder import client_next_contact_set, client_stage_change
from kontora.core.audit import field_label
from kontora.core.errors import NotAllowed
from kontora.core.models import AuditEvent
from kontora.directories.models import LadderStage
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory

pytestmark = [pytest.mark.django_db, pytest.mark.feature("HIS-02")]


def _stage(name: str, *, active: bool = True) -> LadderStage:
    return LadderStage.objects.create(name=name, name_key=name.lower(), is_active=active)


def test_a_move_writes_the_client_stage_a_stage_change_row_and_an_audit_row(manager_user: Any) -> None:
    # given a client of the manager on the first stage
    first, second = _stage("Знакомство"), _stage("Переговоры")
    client = ClientFactory(curator=manager_user, ladder_stage=first)
    # when an event's save moves it to the second
    with transaction.atomic():
        row = client_stage_change(acting_user=manager_user, client=client, stage=second,
                                  source=StageChange.Source.EVENT, event_id=77)
    # then the client stands there, the move is recorded from where it stood, and the card's history tells
    assert row is not None
    assert Client.objects.get(pk=client.pk).ladder_stage_id == second.pk
    moved = StageChange.objects.get(client=client)
    assert (moved.from_stage_id, moved.to_stage_id, moved.source, moved.event_id, moved.changed_by_id) == (
        first.pk, second.pk, "event", 77, manager_user.pk)
    audit = AuditEvent.objects.get(client_id=client.pk, event="clients.client.stage")
    assert audit.changes[0]["old"] == "Знакомство" and audit.changes[0]["new"] == "Переговоры"


def test_the_same_stage_again_is_no_move(manager_user: Any) -> None:
    stage = _stage("Знакомство")
    client = ClientFactory(curator=manager_user, ladder_stage=stage)
    with transaction.atomic():
        assert client_stage_change(acting_user=manager_user, client=client, stage=stage, source="card") is None
    assert not StageChange.objects.exists()


def test_a_stage_not_in_the_ladder_is_refused_and_nothing_moves(manager_user: Any) -> None:
    # given a retired stage
    retired, current = _stage("Старый этап", active=False), _stage("Знакомство")
    client = ClientFactory(curator=manager_user, ladder_stage=current)
    # when a move to it is asked
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        client_stage_change(acting_user=manager_user, client=client, stage=retired, source="event",
                            error_field="stage")
    # then it is refused next to the caller's field, with the stage named, and nothing moved
    assert "«Старый этап»" in str(refused.value.message_dict["stage"])
    assert Client.objects.get(pk=client.pk).ladder_stage_id == current.pk
    assert not StageChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_move_runs_only_inside_its_callers_transaction(manager_user: Any) -> None:
    client = ClientFactory(curator=manager_user)
    with pytest.raises(RuntimeError):
        client_stage_change(acting_user=manager_user, client=client, stage=_stage("Знакомство"), source="card")
    with pytest.raises(RuntimeError):
        client_next_contact_set(acting_user=manager_user, client=client, date=None)
    # positive control: inside one it moves
    with transaction.atomic():
        client_stage_change(acting_user=manager_user, client=client, stage=_stage("Переговоры"), source="card")
    assert StageChange.objects.filter(client=client).count() == 1


def test_a_user_who_may_not_edit_the_client_cannot_move_it(manager_user: Any) -> None:
    client = ClientFactory(curator=UserFactory(), private=True)
    with pytest.raises(NotAllowed), transaction.atomic():
        client_stage_change(acting_user=manager_user, client=client, stage=_stage("Знакомство"), source="card")
    assert not StageChange.objects.exists()


def test_the_cards_save_moves_the_stage_through_the_ladder(manager_user: Any) -> None:
    # given a client registered with a stage, then moved on the card
    first, second = _stage("Знакомство"), _stage("Переговоры")
    client = client_create(acting_user=manager_user, values={"short_name": "Ромашка", "ladder_stage": first})
    client_update(acting_user=manager_user, client=client, values={"ladder_stage": second})
    # then both moves are recorded as the card's, in order
    moves = list(StageChange.objects.filter(client=client).order_by("id").values_list(
        "from_stage_id", "to_stage_id", "source"))
    assert moves == [(None, first.pk, "card"), (first.pk, second.pk, "card")]
    assert Client.objects.get(pk=client.pk).ladder_stage_id == second.pk
    # and the card's own history row does not repeat the stage
    card_rows = AuditEvent.objects.filter(client_id=client.pk, event="clients.client.update")
    label = field_label(Client, "ladder_stage")
    assert all(change["field"] != label for row in card_rows for change in row.changes)
    assert AuditEvent.objects.filter(client_id=client.pk, event="clients.client.stage").count() == 2


def test_the_next_contact_date_is_set_and_audited(manager_user: Any) -> None:
    client = ClientFactory(curator=manager_user)
    day = datetime.date(2026, 12, 24)
    with transaction.atomic():
        assert client_next_contact_set(acting_user=manager_user, client=client, date=day) is True
        assert client_next_contact_set(acting_user=manager_user, client=client, date=day) is False
    assert Client.objects.get(pk=client.pk).next_contact_date == day
    assert AuditEvent.objects.filter(client_id=client.pk, event="clients.client.next_contact").count() == 1
