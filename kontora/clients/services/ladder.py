"""The client's place in the sales ladder and its next contact (the Operational work tab), as other paths than the
card's form move them.

`client_stage_change` is the one service that moves a client on the sales ladder (HIS-02): the card's OK / Apply,
an event of the relationship history, and later the sales board, group processing and imports all call it, so each
move leaves a `StageChange` row (the conversion report reads them) and an audit row. The architecture map once placed
it in activity; it lives here because the card (clients) moves the stage too and clients may not import activity —
activity calls down into clients, never the other way.

Both services run inside their caller's transaction (they refuse to run outside one, like `audit_record`): the event
and the client's move are saved together or not at all.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients import locks, policies
from kontora.clients.models import Client, StageChange
from kontora.core.audit import audit_record, changes_between
from kontora.core.errors import NotAllowed
from kontora.directories.models import LadderStage


def _in_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} runs inside the caller's transaction, never on its own")


def _locked_for_change(acting_user: User, client: Client | int, related: tuple[str, ...] = ()) -> Client:
    client_id = client if isinstance(client, int) else client.pk
    locked = locks.client_for_update(client_id, related=related)
    if not policies.clients.can(acting_user, "change", locked):
        raise NotAllowed
    return locked


def client_stage_change(
    *, acting_user: User, client: Client | int, stage: LadderStage | None, source: str,
    event_id: int | None = None, error_field: str = "ladder_stage",
) -> StageChange | None:
    """Moves the client to `stage` of the sales ladder (None: off the ladder, from the card only) and records the
    move; None when the client already stands there. A stage that is not an active item of the ladder is refused
    (a ValidationError keyed `error_field`, the caller's field). The client's row is locked, so two moves queue and
    each one's "from" is the stage the other left."""
    _in_transaction("client_stage_change")
    if source not in StageChange.Source.values:
        raise ValueError(f"unknown stage change source {source!r}")
    if stage is not None and not LadderStage.objects.filter(pk=stage.pk, is_active=True).exists():
        raise ValidationError({error_field: _("«%(stage)s» is not a stage of the sales ladder: choose one of its "
                                              "active stages.") % {"stage": stage}})
    locked = _locked_for_change(acting_user, client, related=("ladder_stage",))
    stage_id = stage.pk if stage is not None else None
    if locked.ladder_stage_id == stage_id:
        return None
    before = locked.ladder_stage
    now = timezone.now()
    Client.objects.filter(pk=locked.pk).update(ladder_stage=stage_id, changed_by=acting_user, changed_at=now)
    if isinstance(client, Client):
        client.ladder_stage = stage
    row = StageChange.objects.create(client_id=locked.pk, from_stage=before, to_stage=stage, changed_at=now,
                                     changed_by=acting_user, source=source, event_id=event_id)
    audit_record(
        actor=acting_user, event="clients.client.stage", summary=_("Sales ladder stage changed"), target=locked,
        client=locked.pk, extra={"source": source, "event_id": event_id},
        changes=changes_between(Client, {"ladder_stage": before}, {"ladder_stage": stage}, ("ladder_stage",)),
    )
    return row


def client_next_contact_set(
    *, acting_user: User, client: Client | int, date: datetime.date | None, reason: str = "",
) -> bool:
    """Sets the client's next contact date (the Operational work tab) from another record — an event's «дата
    следующего контакта»; True when it changed. In the caller's transaction, under the client's lock, audited."""
    _in_transaction("client_next_contact_set")
    locked = _locked_for_change(acting_user, client)
    if locked.next_contact_date == date:
        return False
    before = locked.next_contact_date
    Client.objects.filter(pk=locked.pk).update(next_contact_date=date, changed_by=acting_user,
                                               changed_at=timezone.now())
    if isinstance(client, Client):
        client.next_contact_date = date
    extra: dict[str, Any] = {"reason": reason} if reason else {}
    audit_record(
        actor=acting_user, event="clients.client.next_contact", summary=_("Next contact date changed"),
        target=locked, client=locked.pk, extra=extra,
        changes=changes_between(Client, {"next_contact_date": before}, {"next_contact_date": date},
                                ("next_contact_date",)),
    )
    return True
