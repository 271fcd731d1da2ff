"""The presence of `kontora serve` and `kontora worker` in the base (SYS-10: several servers on one base).

Each process registers a `ServerProcess` row when it starts, renews it every RENEW_EVERY seconds from a thread of
its own, and deletes it when it stops cleanly; one killed outright leaves a row that goes stale
(`selectors.servers.FRESH`). A file lock in one home cannot tell a restore started from another home, or another
machine, that servers use the base; these rows can. They are the program's bookkeeping, not a person's act: no
audit row.
"""

from __future__ import annotations

import os
import socket

from django.db import transaction
from django.utils import timezone

from kontora.core.models import ServerProcess

RENEW_EVERY = 10  # seconds


def server_register(*, role: str, home: str, port: int | None = None) -> ServerProcess:
    with transaction.atomic():
        return ServerProcess.objects.create(role=role, host=socket.gethostname(), pid=os.getpid(), port=port,
                                            home=home)


def server_renew(process: ServerProcess) -> None:
    """Says the process is still there; a row that vanished (a restore replaced the base) is written again."""
    with transaction.atomic():
        now = timezone.now()
        if not ServerProcess.objects.filter(pk=process.pk).update(seen_at=now):
            process.pk = None
            process.seen_at = now
            process.save(force_insert=True)


def server_forget(process: ServerProcess) -> None:
    with transaction.atomic():
        ServerProcess.objects.filter(pk=process.pk).delete()


def servers_forget() -> None:
    """After a restore: the rows of the restored base were processes of another time."""
    with transaction.atomic():
        ServerProcess.objects.all().delete()
