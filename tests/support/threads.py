"""Work started at the same moment in several threads, each on its own database connection (races under row locks
on PostgreSQL; on SQLite the writers queue for the base)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def at_once(count: int, work: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Runs `work` in `count` threads released together; what each returned, and what each raised."""
    start = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(work())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors
