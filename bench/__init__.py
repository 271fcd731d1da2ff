"""Benchmarks, run by `make bench` (`python -m bench`).

Every module here with a `run() -> list[Result]` is a benchmark. Each measures Kontora against a
baseline measured in the same run and reports the ratio, so its figures hold on a noisy machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELPER_MODULES = {"bare_app"}  # imported by the servers the benchmarks start, never run themselves



def child_env(home: str | Path, url: str = "") -> dict[str, str]:
    """The environment of a bench's child process: a base of its own in `home` (SQLite, or the PostgreSQL at
    `url`), jobs through the real queue, none of the caller's base settings."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"KONTORA_DATABASE_URL", "KONTORA_HUEY_IMMEDIATE", "KONTORA_REDIS_URL"}}
    env.update(KONTORA_HOME=str(home), PYTHONPATH=str(ROOT))
    if url:
        env["KONTORA_DATABASE_URL"] = url
    return env

@dataclass(frozen=True)
class Result:
    benchmark: str
    measure: str
    value: float
    baseline: float
    unit: str
    sizes: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline else float("inf")


def django_in(home: str) -> None:
    """Starts Django in a bench's child process on the base of `home` (the child measures; the parent builds)."""
    os.environ["KONTORA_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontora.settings")
    import django

    django.setup()


def table(results: list[Result]) -> str:
    header = ("benchmark", "measure", "Kontora", "baseline", "ratio", "sizes")
    rows = [header] + [
        (r.benchmark, r.measure, f"{r.value:.4g} {r.unit}", f"{r.baseline:.4g} {r.unit}", f"{r.ratio:.2f}", r.sizes)
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)
