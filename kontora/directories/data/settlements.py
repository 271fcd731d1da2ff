"""The federal subjects and populated places every base comes with (DIR-03), read from the shipped files.

The data is the hflabs "city" dataset converted once by scripts/convert_settlements.py into `regions.csv` and
`settlements.csv.gz` beside this module (source and licence: docs/settlements-source.md). Only these files are
read, never the network; `services/settlements.py` loads them into the base.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
REGIONS_FILE = DATA_DIR / "regions.csv"
SETTLEMENTS_FILE = DATA_DIR / "settlements.csv.gz"


def regions() -> list[dict[str, str]]:
    """The 85 federal subjects: code, name, short_name, iso_code."""
    with REGIONS_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def settlements() -> Iterator[dict[str, str]]:
    """The populated places, one row each (region code, name, kind, codes, coordinates, population)."""
    with gzip.open(SETTLEMENTS_FILE, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def coordinate(value: str) -> Decimal | None:
    """A latitude or longitude as the columns keep it (6 places); None when the file has none."""
    return Decimal(value).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP) if value else None
