"""Reads of the board: its columns (the ladder's active stages, and the clients off the ladder), each column's
cards a page at a time along (stage, name, id), the columns' counts, and the conversion between stages over a
period from the `clients.StageChange` rows."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from kontora.clients.models import Client, StageChange
from kontora.clients.selectors.registry import COUNT_CAP
from kontora.core.ui.pager import Keyset, Page
from kontora.directories.models import LadderStage
from kontora.pipeline import policies

PAGE = 20
OFF = "off"  # the column of the clients off the ladder
ORDER = Keyset("name_key", "id")  # served by the index clients_ladder_seek (ladder_stage, name_key, id)
CARD_FIELDS = ("id", "code", "short_name", "name_key", "next_contact_date", "curator__full_name", "settlement__name")


@dataclass(frozen=True)
class Stage:
    key: str  # the stage's id, or OFF
    pk: int | None
    name: str


@dataclass(frozen=True)
class Counted:
    count: int
    more: bool  # counted no further than COUNT_CAP: "10 000+"


def stages() -> list[Stage]:
    """The board's columns in ladder order: the clients off the ladder first, then the active stages."""
    ladder = LadderStage.objects.filter(is_active=True).order_by("order", "name", "id").values_list("pk", "name")
    return [Stage(OFF, None, ""), *(Stage(str(pk), pk, name) for pk, name in ladder)]


def stage_of(key: str) -> Stage | None:
    """The column named `key` (a stage's id or OFF), or None when no such active stage is."""
    return next((stage for stage in stages() if stage.key == key), None)


def scoped(user: Any, filter_q: Q | None) -> QuerySet[Client]:
    """The board's clients: those the user opens, narrowed by the registry's filter or a template."""
    clients = policies.board_clients(user)
    return clients if filter_q is None else clients.filter(filter_q)


def _in_column(stage: Stage) -> Q:
    return Q(ladder_stage__isnull=True) if stage.pk is None else Q(ladder_stage_id=stage.pk)


def cards(user: Any, filter_q: Q | None, stage: Stage, params: Mapping[str, str]) -> Page[dict[str, Any]]:
    """A page of the column's cards in name order, from the cursor in `params` (`after`)."""
    rows = scoped(user, filter_q).filter(_in_column(stage)).values(*CARD_FIELDS)
    return ORDER.page(rows, params, size=PAGE)


def first_cards(user: Any, filter_q: Q | None, columns: list[Stage]) -> dict[str, Page[dict[str, Any]]]:
    """Every column's first page. A user who opens only his own clients reads them once, numbered within their
    stage (a window), instead of a walk of each stage's index that keeps one row in hundreds."""
    if policies.opens_widely(user):
        return {stage.key: cards(user, filter_q, stage, {}) for stage in columns}
    numbered = scoped(user, filter_q).annotate(
        place=Window(RowNumber(), partition_by=[F("ladder_stage_id")], order_by=[F("name_key"), F("id")]))
    rows = numbered.filter(place__lte=PAGE + 1).values("ladder_stage_id", *CARD_FIELDS)
    by_stage: dict[str, list[dict[str, Any]]] = {stage.key: [] for stage in columns}
    for row in rows:
        stage_id = row.pop("ladder_stage_id")
        key = OFF if stage_id is None else str(stage_id)
        if key in by_stage:
            by_stage[key].append(row)
    for found in by_stage.values():
        found.sort(key=lambda row: (row["name_key"], row["id"]))
    return {key: ORDER.first(found, size=PAGE) for key, found in by_stage.items()}


def counts(user: Any, filter_q: Q | None, columns: list[Stage], *, exact: bool) -> dict[str, Counted]:
    """Each column's number of clients: exact without a filter (along the stage's index) or when asked; under a
    filter counted no further than COUNT_CAP a column, as the registry counts."""
    if filter_q is not None and not exact:
        return {stage.key: _capped(scoped(user, filter_q).filter(_in_column(stage))) for stage in columns}
    if filter_q is None and policies.opens_widely(user):
        # Every client of a stage, less the few private ones of other curators: one pass along the stage's index,
        # where "not private or mine" would read every row's privacy and curator.
        found = _by_stage(Client.objects.all())
        for key, hidden in _by_stage(policies.others_private(user)).items():
            found[key] = found.get(key, 0) - hidden
    else:
        found = _by_stage(scoped(user, filter_q))
    return {stage.key: Counted(found.get(stage.key, 0), False) for stage in columns}


def _by_stage(clients: QuerySet[Client]) -> dict[str, int]:
    rows = clients.order_by().values_list("ladder_stage_id").annotate(n=Count("pk"))
    return {OFF if stage_id is None else str(stage_id): n for stage_id, n in rows}


def _capped(clients: QuerySet[Client]) -> Counted:
    counted = clients.order_by().values("pk")[: COUNT_CAP + 1].count()
    return Counted(min(counted, COUNT_CAP), counted > COUNT_CAP)


@dataclass(frozen=True)
class Step:
    """A stage of the conversion table: how many clients reached it (or a later stage) in the period, and the share
    of them that went on to the next stage."""

    stage: str
    reached: int
    onwards: Decimal | None  # percent of `reached` that reached the next stage; None for the last stage or nobody


def conversion(user: Any, filter_q: Q | None, start: datetime.datetime, end: datetime.datetime) -> list[Step]:
    """The ladder's funnel over [start, end): for each active stage, the clients of the board's scope moved to it or
    beyond in the period (by any path: card, event, board, group processing, import), counted at their highest
    stage; and the conversion from each stage to the next."""
    ladder = [stage for stage in stages() if stage.pk is not None]
    position = {stage.pk: index for index, stage in enumerate(ladder)}
    moves = (StageChange.objects.filter(changed_at__gte=start, changed_at__lt=end, to_stage_id__in=list(position))
             .filter(Exists(scoped(user, filter_q).filter(pk=OuterRef("client_id"))))
             .order_by().values_list("client_id", "to_stage_id").distinct())
    top: dict[int, int] = {}
    for client_id, stage_id in moves.iterator(chunk_size=5000):
        top[client_id] = max(top.get(client_id, -1), position[stage_id])
    at_least = [0] * len(ladder)
    for highest in top.values():
        for index in range(highest + 1):
            at_least[index] += 1
    steps = []
    for index, stage in enumerate(ladder):
        onwards = None
        if index + 1 < len(ladder) and at_least[index]:
            onwards = (Decimal(100 * at_least[index + 1]) / at_least[index]).quantize(Decimal("0.1"), ROUND_HALF_UP)
        steps.append(Step(stage.name, at_least[index], onwards))
    return steps
