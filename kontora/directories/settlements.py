"""Settlements (DIR-03): the federal subjects and populated places every base comes with, and their search.

The data is the hflabs "city" dataset converted once by scripts/convert_settlements.py into
`data/regions.csv` and `data/settlements.csv.gz` (source and licence: docs/settlements-source.md).
The loader reads only those files, never the network.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from kontora.core.text import prefix_bounds, search_key
from kontora.directories.models import Settlement

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = DATA_DIR / "regions.csv"
SETTLEMENTS_FILE = DATA_DIR / "settlements.csv.gz"
BATCH_SIZE = 500
PICK_FIELDS = ("id", "name", "kind", "area", "postal_code", "region__id", "region__name", "region__short_name")


def _regions() -> list[dict[str, str]]:
    with REGIONS_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _settlements() -> Iterator[dict[str, str]]:
    with gzip.open(SETTLEMENTS_FILE, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def _decimal(value: str) -> Decimal | None:
    return Decimal(value).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP) if value else None


def settlements_load(apps: Any) -> tuple[int, int]:
    """Creates the missing regions and, into an empty directory, the settlements; returns (regions, places) created.

    `apps` is the app registry to take models from (a migration's historical one or django.apps.apps).
    A directory that already has places is left as it is, so running twice adds nothing.
    """
    region_model = apps.get_model("directories", "Region")
    settlement_model = apps.get_model("directories", "Settlement")
    existing = set(region_model.objects.values_list("code", flat=True))
    new_regions = [
        region_model(
            code=row["code"], name=row["name"], name_key=search_key(row["name"]), short_name=row["short_name"],
            iso_code=row["iso_code"], order=int(row["code"]),
        )
        for row in _regions() if row["code"] not in existing
    ]
    region_model.objects.bulk_create(new_regions, batch_size=BATCH_SIZE)
    if settlement_model.objects.exists():
        return len(new_regions), 0
    region_ids = dict(region_model.objects.values_list("code", "id"))
    batch: list[Any] = []
    created = 0
    for row in _settlements():
        batch.append(settlement_model(
            region_id=region_ids[row["region"]], name=row["name"], name_key=search_key(row["name"]),
            kind=row["kind"], area=row["area"], postal_code=row["postal_code"], kladr=row["kladr"],
            fias=row["fias"], okato=row["okato"], oktmo=row["oktmo"], timezone=row["timezone"],
            latitude=_decimal(row["lat"]), longitude=_decimal(row["lon"]),
            population=int(row["population"]) if row["population"] else None,
        ))
        if len(batch) >= BATCH_SIZE:
            settlement_model.objects.bulk_create(batch)
            created += len(batch)
            batch = []
    settlement_model.objects.bulk_create(batch)
    return len(new_regions), created + len(batch)


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
