"""What the demo's money fills share: moments as both databases take them from a parameter, document numbers taken
from the numbering service in blocks, and the ids of the rows just written read back by their numbers."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from kontora.core.numbering import numbers_next


def stamp(moment: datetime.datetime) -> str:
    """An aware moment as both databases take it from a parameter: UTC, without the zone."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")


def moment_on(day: datetime.date, zone: ZoneInfo, rng: random.Random) -> str:
    """A moment of the working day `day` (9:00 to 18:00 in the office's zone)."""
    return stamp(datetime.datetime.combine(day, datetime.time(9), tzinfo=zone)
                 + datetime.timedelta(minutes=rng.randrange(540)))


def numbered(kind: str, rows: list[dict[str, Any]]) -> dict[tuple[int, int], range]:
    """Numbers for the rows (in their order) from the numbering service, a block per payee and year."""
    groups: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["legal_entity_id"], row["number_year"])].append(row)
    blocks = {}
    for (entity, year), members in sorted(groups.items()):
        block = numbers_next(kind=kind, legal_entity=entity, year=year, count=len(members))
        for row, number in zip(members, block, strict=True):
            row["number"] = number
        blocks[(entity, year)] = block
    return blocks


def read_back(model: Any, blocks: dict[tuple[int, int], range]) -> dict[tuple[int, int, int], int]:
    """The ids of the rows just written, by their unique (payee, year, number)."""
    ids = {}
    for (entity, year), block in blocks.items():
        rows = model.objects.filter(legal_entity_id=entity, number_year=year, number__gte=block.start,
                                    number__lt=block.stop).values_list("number", "pk")
        ids.update({(entity, year, number): pk for number, pk in rows})
    return ids
