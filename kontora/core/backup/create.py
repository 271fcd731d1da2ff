"""Writing an archive of the database and the files folder while people go on working."""

from __future__ import annotations

import io
import json
import os
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
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
    add_file,
    backup_dir,
    backup_prune,
    clean_stale_staging,
    engine_of,
    files_of,
    reserve_name,
)
from kontora.core.backup.postgres import pg_dump
from kontora.core.backup.sqlite import sqlite_copy
from kontora.core.schema import database_version

Progress = Callable[[int, int, str], None]

def backup_create(*, to: Path | None = None, keep: int | None = None, progress: Progress | None = None) -> Path:
    """Writes one archive of the database and the files folder; returns its path.

    `keep` then deletes archives beyond the newest `keep` in that folder. `progress(done, total,
    message)` is called per step (the job page shows it).
    """
    directory = Path(to or backup_dir())
    directory.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(directory)
    engine = engine_of()
    report: Progress = progress or (lambda done, total, message: None)
    files = files_of(Path(settings.FILES_DIR))
    total = len(files) + 2
    created_at = timezone.localtime().replace(microsecond=0)
    schema_version = database_version()
    db_member = DATABASE_MEMBER[engine]
    report(0, total, _("Copying the database"))
    with tempfile.TemporaryDirectory(dir=directory, prefix=STAGING_PREFIX) as staging:
        dump = Path(staging) / db_member
        if engine == "sqlite":
            sqlite_copy(Path(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]), dump)
        else:
            pg_dump(dump)
        report(1, total, _("Copying attached files"))
        members: dict[str, dict[str, Any]] = {}
        packed = Path(staging) / "archive.tar"
        with tarfile.open(packed, "w", format=tarfile.PAX_FORMAT) as tar:
            members[db_member] = add_file(tar, dump, db_member)
            dump.unlink()
            for done, (path, relative) in enumerate(files, start=2):
                try:
                    members[FILES_PREFIX + relative] = add_file(tar, path, FILES_PREFIX + relative)
                except FileNotFoundError:
                    continue  # deleted while we worked: no longer part of the base
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
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(created_at.timestamp())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
        final = reserve_name(directory)
        os.replace(packed, final)
    if keep:
        backup_prune(keep=keep, directory=directory)
    return final
