"""A card moved on the board: the client's ladder stage changes through clients' one ladder service (source
"board", so the conversion counts the move like any other), and the move is an event of the client's History, with
the type and description the user gave — both in one transaction, or neither.

The conflict rule, for the one field the board edits: the stage the card was read at is compared, under the
client's lock, with the stage it stands at now. Someone else's move to another stage since then refuses this one and
says who moved it where and when; a move to the very stage asked is no conflict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.activity.models import Event
from kontora.activity.services.events import event_create
from kontora.clients.models import StageChange
from kontora.clients.services.ladder import client_stage_change
from kontora.core.errors import Conflict, NotAllowed
from kontora.directories.models import LadderStage
from kontora.pipeline import locks, policies


def board_move(
    *, acting_user: User, client_id: int, stage: LadderStage, seen_stage_id: int | None, values: Mapping[str, Any],
) -> Event:
    """Moves the client to `stage` (a column of the board) and records the move as an event (`values`: the event
    form's type, description, contact, result, reaction, next contact date). Refused when the client has moved
    elsewhere since the board was read at `seen_stage_id`."""
    with transaction.atomic():
        client = locks.client_to_move(client_id)
        if not policies.can_move(acting_user, client):
            raise NotAllowed
        if client.ladder_stage_id not in (seen_stage_id, stage.pk):
            raise Conflict(_moved_meanwhile(client.pk, client.ladder_stage))
        client_stage_change(acting_user=acting_user, client=client, stage=stage, source=StageChange.Source.BOARD,
                            error_field="stage")
        return event_create(acting_user=acting_user, client=client, values={**values, "stage": stage})


def _moved_meanwhile(client_id: int, now_at: LadderStage | None) -> str:
    last = (StageChange.objects.filter(client_id=client_id).select_related("changed_by")
            .order_by("-changed_at", "-id").first())
    where = now_at.name if now_at is not None else _("off the ladder")
    if last is None:
        return _("The client stands at «%(stage)s» now, not where the board showed it: refresh the board.") % {
            "stage": where}
    return _("Meanwhile %(user)s moved the client to «%(stage)s» (%(when)s): refresh the board and move it again "
             "if it still should.") % {
        "user": last.changed_by or _("someone"), "stage": where,
        "when": formats.date_format(timezone.localtime(last.changed_at), "DATETIME_FORMAT")}
