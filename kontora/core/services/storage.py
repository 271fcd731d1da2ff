"""Stored files leave storage only when no backup may still need them (issue 11, F16).

A backup copies the files its database snapshot names. A file whose row is deleted after that snapshot must
still be there when the backup comes to copy it, so a service that deletes rows with stored files calls
`stored_delete_later` inside its transaction: the names go to `StoredPurge`, and `stored_purge` deletes them
once no backup runs — right after the commit, at a backup's end, and hourly (`tasks.purge_stored`). "A backup
runs" is a `BackupRun` row, so every process of the installation sees it.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from kontora.core.models import BackupRun, StoredPurge

log = logging.getLogger("kontora.backup")

# A backup beats at every step; one silent this long was killed and holds nothing back. Generous: one step is a
# whole pg_dump of the base.
RUN_STALE = timedelta(hours=12)


def stored_delete_later(names: list[str]) -> None:
    """Inside the caller's transaction: these stored files go once it commits and no backup needs them."""
    names = [name for name in names if name]
    if not names:
        return
    StoredPurge.objects.bulk_create(StoredPurge(name=name) for name in names)
    transaction.on_commit(stored_purge)


def backups_running() -> bool:
    return BackupRun.objects.filter(alive_at__gte=timezone.now() - RUN_STALE).exists()


def stored_purge() -> int:
    """Deletes the waiting stored files unless a backup runs; returns how many left storage.

    The waiting rows are read before asking about backups: a backup whose snapshot still has a row was registered
    before that snapshot, so before the row's deletion and its purge row committed — it is seen by the question
    asked after. A backup registered later has a snapshot without the rows.
    """
    waiting = list(StoredPurge.objects.order_by("pk").values_list("pk", "name")[:1000])
    if not waiting or backups_running():
        return 0
    for _pk, name in waiting:
        try:
            default_storage.delete(name)
        except OSError as exc:  # stays waiting; the next purge tries again
            log.warning("could not delete the stored file %s: %s", name, exc)
            return 0
    with transaction.atomic():
        StoredPurge.objects.filter(pk__in=[pk for pk, _name in waiting]).delete()
    return len(waiting) + (stored_purge() if len(waiting) == 1000 else 0)


def backup_run_begin() -> int | None:
    """Registers a backup before it takes its snapshot; committed at once so every process sees it.

    None for a base older than these tables (the backup `kontora upgrade` makes first): no program runs on such a
    base, so nothing deletes files meanwhile.
    """
    if BackupRun._meta.db_table not in connection.introspection.table_names():
        return None
    with transaction.atomic():
        run = BackupRun.objects.create(pid=os.getpid(), host=socket.gethostname()[:255])
    return run.pk


def backup_run_beat(run_id: int | None) -> None:
    if run_id is None:
        return
    with transaction.atomic():
        BackupRun.objects.filter(pk=run_id).update(alive_at=timezone.now())


def backup_run_end(run_id: int | None) -> None:
    """The backup is done (or failed): it needs no file any more, so what waited for it goes now."""
    if run_id is None:
        return
    with transaction.atomic():
        BackupRun.objects.filter(pk=run_id).delete()
    stored_purge()


def backup_runs_forget() -> None:
    """After a restore: the runs in the restored base were processes of another time."""
    with transaction.atomic():
        BackupRun.objects.all().delete()
