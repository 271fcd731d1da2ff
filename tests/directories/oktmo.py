"""Plain helpers of the OKTMO import's tests: classifier files laid out as Rosstat publishes them (13 quoted fields
separated by “;”, no header, windows-1251), and the import run as a job at once."""

from __future__ import annotations

import io
from typing import Any

from kontora.core.models import Job
from kontora.directories.services.oktmo import settlements_import_start


def row(code: str, section: int, name: str, extra: str = "") -> str:
    """One line of the classifier: `code` as "01 601 402 101"."""
    parts = code.split()
    fields = [*parts, "0", str(section), name, extra, "", "", "", "01.01.2014", "01.01.2014"]
    return ";".join(f'"{value}"' for value in fields)


# A small extract: Алтайский край (OKTMO «01») with a district and two of its villages, a village of Московская
# область («46»), Казань (shipped with the same code), a place of Байконур («55», not a region of the directory).
EXTRACT = [
    row("01 000 000 000", 1, "Муниципальные образования Алтайского края"),
    row("01 600 000 000", 1, "Муниципальные районы Алтайского края"),
    row("01 601 000 000", 1, "Алейский муниципальный район", "г Алейск"),
    row("01 601 402 000", 1, "Безголосовский сельсовет", "с Безголосово"),
    row("01 601 402 000", 2, "Населенные пункты, входящие в состав сельского поселения Безголосовский сельсовет"),
    row("01 601 402 101", 2, "с Безголосово"),
    row("01 601 402 106", 2, "п Вольный"),
    row("46 628 000 000", 1, "Ленинский городской округ", "г Видное"),
    row("46 628 101 051", 2, "д Горки Ленинские"),
    row("92 701 000 000", 1, "город Казань"),
    row("92 701 000 001", 2, "г Казань"),
    row("55 000 000 001", 2, "г Байконур"),
]


def oktmo_file(lines: list[str], encoding: str = "windows-1251") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def run_oktmo_import(user: Any, data: bytes, capture: Any) -> Job:
    """Uploads `data` and runs the import job at once (`capture` is django_capture_on_commit_callbacks)."""
    with capture(execute=True):
        job = settlements_import_start(acting_user=user, upload=io.BytesIO(data), filename="data-oktmo.csv")
    job.refresh_from_db()
    return job
