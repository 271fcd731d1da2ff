"""The "initial base": fills the directories a new base comes with (`data/initial.py`).

`initial_base_load` is called by the data migration 0002 with the migration's historical models, so every new
base — made by the first-run wizard or by `kontora upgrade` — has it. A directory that already has items is
left as it is: the administrator's edits win and a second run adds nothing. It runs without a user (a migration,
before any sign-in), so it writes no audit row.
"""

from __future__ import annotations

from typing import Any

from kontora.core.text import search_key
from kontora.directories.data.initial import CLIENT_FLAGS, EVENT_RESULTS, NAMES, UNITS, VAT_RATES


def _fill(model: Any, rows: list[dict[str, Any]]) -> int:
    if not rows or model.objects.exists():
        return 0
    model.objects.bulk_create([
        model(name=row["name"], name_key=search_key(row["name"]), order=order, **{
            key: value for key, value in row.items() if key != "name"
        })
        for order, row in enumerate(rows, 1)
    ])
    return len(rows)


def initial_base_load(apps: Any) -> int:
    """Fills the empty directories of the initial base; returns the number of items created.

    `apps` is the app registry to take models from: a migration's historical one, or
    `django.apps.apps`.
    """

    def model(name: str) -> Any:
        return apps.get_model("directories", name)

    created = 0
    for name, names in NAMES.items():
        created += _fill(model(name), [{"name": item} for item in names])
    created += _fill(model("Unit"), [
        {"name": name, "short_name": short, "okei": okei} for name, short, okei in UNITS
    ])
    created += _fill(model("VatRate"), [
        {"name": name, "rate": rate, "valid_from": valid_from, "valid_to": valid_to}
        for name, rate, valid_from, valid_to in VAT_RATES
    ])
    return created


def client_flags_load(apps: Any) -> int:
    """Fills the client flags of a base that has none (the data migration that brought named flags); returns the
    number created."""
    return _fill(apps.get_model("directories", "ClientFlag"), [
        {"name": name, "colour": colour} for name, colour in CLIENT_FLAGS
    ])


def event_results_load(apps: Any) -> int:
    """Fills the event results of a base that has none (the data migration that brought the directory)."""
    return _fill(apps.get_model("directories", "EventResult"), [{"name": name} for name in EVENT_RESULTS])
