"""Settlements (DIR-03): loads the federal subjects and populated places every base comes with (`data/settlements.py`).

`settlements_load` is called by the data migration 0003 with the migration's historical models. It runs without
a user (a migration, before any sign-in), so it writes no audit row.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kontora.core.text import search_key
from kontora.directories.data import settlements as data
from kontora.directories.services.words import SETTLEMENTS, words_fill

BATCH_SIZE = 500


def place_outside_region(place: Any, region: Any) -> str:
    """The refusal of a city paired with another region (Казань with Московская область), said next to the city."""
    return _("%(place)s is in the region “%(its)s”, not in “%(chosen)s”: choose a place of the chosen region, or "
             "another region.") % {"place": place, "its": place.region, "chosen": region}


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
        for row in data.regions() if row["code"] not in existing
    ]
    region_model.objects.bulk_create(new_regions, batch_size=BATCH_SIZE)
    if settlement_model.objects.exists():
        return len(new_regions), 0
    region_ids = dict(region_model.objects.values_list("code", "id"))
    batch: list[Any] = []
    created = 0
    for row in data.settlements():
        batch.append(settlement_model(
            region_id=region_ids[row["region"]], name=row["name"], name_key=search_key(row["name"]),
            kind=row["kind"], area=row["area"], postal_code=row["postal_code"], kladr=row["kladr"],
            fias=row["fias"], okato=row["okato"], oktmo=row["oktmo"], timezone=row["timezone"],
            latitude=data.coordinate(row["lat"]), longitude=data.coordinate(row["lon"]),
            population=int(row["population"]) if row["population"] else None,
        ))
        if len(batch) >= BATCH_SIZE:
            settlement_model.objects.bulk_create(batch)
            created += len(batch)
            batch = []
    settlement_model.objects.bulk_create(batch)
    _fill_words(apps)
    return len(new_regions), created + len(batch)


def _fill_words(apps: Any) -> None:
    """The word tails of the places just loaded; none before the migration that makes their table (it fills them)."""
    try:
        apps.get_model(SETTLEMENTS.word)
    except LookupError:
        return
    words_fill(apps, SETTLEMENTS)
