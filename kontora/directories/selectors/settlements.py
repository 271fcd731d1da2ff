"""Reads of the populated places (DIR-03): the search by the beginning of a name or of any word of it."""

from __future__ import annotations

from kontora.core.text import search_key
from kontora.directories.models import Settlement
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
