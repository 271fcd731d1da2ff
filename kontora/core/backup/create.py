"""Writing an archive of the database and the files its rows name while people go on working."""

from __future__ import annotations

import io
import json
import logging
import os
import tarfile
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora import __version__
from kontora.core.backup.archive import (
    DATABASE_MEMBER,
    FILES_PREFIX,
    FORMAT,
    MANIFEST,
    STAGING_PREFIX,
    BackupError,
    add_file,
    add_stream,
    backup_dir,
    backup_prune,
    clean_stale_staging,
    engine_of,
    reserve_name,
)
from kontora.core.backup.postgres import pg_dump
from kontora.core.backup.rows import names_in_cursor, names_in_sqlite
from kontora.core.backup.sqlite import sqlite_copy
from kontora.core.schema import database_version

log = logging.getLogger("kontora.backup")

Progress = Callable[[int, int, str], None]

BEAT_EVERY = 30  # seconds between a running backup's beats (services.storage.RUN_STALE is far longer)


def _snapshot_postgres(target: Path) -> set[str]:
    """pg_dump of one snapshot, and the stored names seen in that same snapshot.

    An own session exports its snapshot (REPEATABLE READ) and keeps it open while pg_dump reads it with
    --snapshot: the dump and the list of files are of one moment.
    """
    session = connections[DEFAULT_DB_ALIAS].copy()
    try:
        session.ensure_connection()
        session.set_autocommit(False)
        with session.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
            names = names_in_cursor(cursor)
            pg_dump(target, snapshot=snapshot)
        session.rollback()
    finally:
        session.close()
    return names


def backup_create(*, to: Path | None = None, keep: int | None = None, progress: Progress | None = None) -> Path:
    """Writes one archive of the database and the files its rows name; returns its path.

    The database is snapshot first; then exactly the stored files named by that snapshot's rows are copied
    (never a walk of the folder, which races with uploads and deletions). The backup is registered in the base
    while it runs, so files deleted meanwhile stay in storage until it ends (services.storage). `keep` then
    deletes archives beyond the newest `keep` in that folder. `progress(done, total, message)` is called per step
    (the job page shows it); its call with done=1 comes between the snapshot and the copying of files.
    """
    directory = Path(to or backup_dir())
    directory.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(directory)
    engine = engine_of()
    report: Progress = progress or (lambda done, total, message: None)
    created_at = timezone.localtime().replace(microsecond=0)
    schema_version = database_version()
    db_member = DATABASE_MEMBER[engine]
    report(0, 2, _("Copying the database"))
    # Imported here: the backup package is imported by `kontora serve` before Django is set up (its base lock),
    # and storage's models need the app registry.
    from kontora.core.services import storage

    run = storage.backup_run_begin()
    try:
        with tempfile.TemporaryDirectory(dir=directory, prefix=STAGING_PREFIX) as staging:
            dump = Path(staging) / db_member
            if engine == "sqlite":
                sqlite_copy(Path(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]), dump)
                names = names_in_sqlite(dump)
            else:
                names = _snapshot_postgres(dump)
            total = len(names) + 2
            report(1, total, _("Copying attached files"))
            members: dict[str, dict[str, Any]] = {}
            missing: list[str] = []
            packed = Path(staging) / "archive.tar"
            beat = time.monotonic()
            with tarfile.open(packed, "w", format=tarfile.PAX_FORMAT) as tar:
                members[db_member] = add_file(tar, dump, db_member)
                dump.unlink()
                for done, name in enumerate(sorted(names), start=2):
                    # Through the storage API (a folder or S3), read in chunks as tar copies them.
                    try:
                        stored = storage.stored_open(name)
                    except FileNotFoundError:
                        missing.append(name)  # lost before this backup: the manifest says so, a restore lists it
                    except OSError as exc:  # the store is out of reach: no archive rather than one without files
                        raise BackupError(_("The attached file %(name)s cannot be read from storage: %(reason)s")
                                          % {"name": name, "reason": exc}) from None
                    else:
                        with closing(stored.stream):
                            members[FILES_PREFIX + name] = add_stream(tar, stored.stream, FILES_PREFIX + name,
                                                                      size=stored.size, mtime=stored.mtime)
                    if time.monotonic() - beat > BEAT_EVERY:
                        storage.backup_run_beat(run)
                        beat = time.monotonic()
                    report(done, total, _("Copying attached files"))
                report(total - 1, total, _("Writing the archive"))
                manifest = {
                    "format": FORMAT,
                    "program_version": __version__,
                    "schema_version": schema_version,
                    "engine": engine,
                    "database": db_member,
                    "created_at": created_at.isoformat(),
                    "members": members,
                    "missing_files": missing,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(created_at.timestamp())
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
            final = reserve_name(directory)
            os.replace(packed, final)
    finally:
        storage.backup_run_end(run)
    if missing:
        log.warning("%s: stored files named by the base but already missing from storage (%d): %s",
                    final.name, len(missing), ", ".join(missing[:20]))
    if keep:
        backup_prune(keep=keep, directory=directory)
    return final
