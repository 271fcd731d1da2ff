"""Reads of the populated places (DIR-03): the search by the beginning of a name or of any word of it; the regions
and the places an import matches typed names against (imports.selectors.places)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kontora.core.text import search_key
from kontora.directories.models import Region, Settlement
from kontora.directories.selectors.words import settlement_words_q

PICK_FIELDS = ("id", "name", "kind", "area", "postal_code", "region__id", "region__name", "region__short_name")


def settlement_search(prefix: str, *, region_id: int | None = None, limit: int = 20) -> list[Settlement]:
    """Active places whose name or a word of it starts with `prefix` (any case, ё = е: «новгород» finds «Великий
    Новгород»), by name; index ranges over the names and their word tails."""
    key = search_key(prefix)
    if not key:
        return []
    places = Settlement.objects.filter(settlement_words_q(key), is_active=True)
    if region_id is not None:
        places = places.filter(region_id=region_id)
    # A picker shows type, name, district and region: loading only those halves the time per call.
    places = places.select_related("region").only(*PICK_FIELDS)
    return list(places.order_by("name_key", "id")[:limit])


@dataclass(frozen=True)
class Place:
    """A populated place as an import matches it: its name's key, type, district and region."""

    id: int
    name: str
    kind: str
    area: str
    region_id: int
    population: int | None


def regions_active() -> list[Region]:
    """Every active region (some 85 rows), for matching typed region names in memory."""
    return list(Region.objects.filter(is_active=True).only("id", "code", "name", "short_name").order_by("code"))


def places_named(keys: Iterable[str]) -> dict[str, list[Place]]:
    """The active places whose name's key is one of `keys`, by key, in one query (an index range per key over
    `name_key`): an import looks up a batch of rows' cities at once."""
    wanted = sorted({key for key in keys if key})
    found: dict[str, list[Place]] = {key: [] for key in wanted}
    if not wanted:
        return found
    rows = (Settlement.objects.filter(name_key__in=wanted, is_active=True).order_by("id")
            .values_list("id", "name", "name_key", "kind", "area", "region_id", "population"))
    for pk, name, key, kind, area, region_id, population in rows:
        found[key].append(Place(pk, name, kind, area, region_id, population))
    return found
