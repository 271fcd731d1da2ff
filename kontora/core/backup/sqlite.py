"""SQLite: an online copy with the backup API, the integrity check of a copy and the swap of the base file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _

from kontora.core.backup.archive import BackupError


def sqlite_copy(base: Path, target: Path) -> None:
    if not base.is_file():
        raise BackupError(_("There is no base at %(path)s: run “kontora upgrade” first.") % {"path": base})
    source = sqlite3.connect(base, timeout=60)
    try:
        target_db = sqlite3.connect(target)
        try:
            # One step (pages=-1) reads one snapshot under a read lock; in WAL mode writers are not blocked.
            source.backup(target_db)
        finally:
            target_db.close()
    finally:
        source.close()


def sqlite_integrity(path: Path) -> None:
    try:
        check = sqlite3.connect(path)
        try:
            rows = check.execute("PRAGMA integrity_check").fetchall()
        finally:
            check.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the database in the archive is damaged: {exc}") from None
    if rows != [("ok",)]:
        raise BackupError(f"the database in the archive is damaged: integrity check says {rows[0][0]}")


def sqlite_replace(staged: Path, base: Path) -> None:
    connections.close_all()
    # A journal left next to the old base would be replayed into the restored one.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{base}{suffix}").unlink(missing_ok=True)
    os.replace(staged, base)
