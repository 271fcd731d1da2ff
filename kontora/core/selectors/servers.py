"""Which Kontora servers and workers run on this base, whatever home or machine they were started from."""

from __future__ import annotations

from datetime import timedelta

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from kontora.core.models import ServerProcess

# A row not renewed for this long was left by a process that died (it renews every RENEW_EVERY = 10 s).
FRESH = timedelta(seconds=60)


def servers_running() -> list[ServerProcess]:
    """The processes whose row is fresh, oldest first; none on a base without the table (not yet upgraded)."""
    if ServerProcess._meta.db_table not in connections[DEFAULT_DB_ALIAS].introspection.table_names():
        return []
    return list(ServerProcess.objects.filter(seen_at__gte=timezone.now() - FRESH).order_by("started_at", "id"))


def servers_described(rows: list[ServerProcess]) -> str:
    """"server host:8001 (pid 12), worker host (pid 13)": for the operator's one-line messages."""
    def one(row: ServerProcess) -> str:
        where = f"{row.host}:{row.port}" if row.port else row.host
        return f"{'server' if row.role == 'serve' else row.role} {where} (pid {row.pid})"

    return ", ".join(one(row) for row in rows)
