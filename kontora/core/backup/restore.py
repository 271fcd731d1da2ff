"""Replacing the base and the stored files with an archive's, once all of it is checked."""

from __future__ import annotations

import os
import shutil
import socket
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from kontora.core.backup.archive import (
    DATABASE_MEMBER,
    ENGINE_LABEL,
    BackupError,
    clean_stale_staging,
    engine_of,
    extract_verified,
    inside,
    read_manifest,
)
from kontora.core.backup.create import backup_create
from kontora.core.backup.locks import LockHeld, base_lock, worker_alive
from kontora.core.backup.postgres import pg_env, pg_restore, pg_tables, pg_tool, run_pg
from kontora.core.backup.rows import names_in_pgdump, names_in_sqlite
from kontora.core.backup.sqlite import sqlite_integrity, sqlite_replace
from kontora.core.schema import database_version, program_version


@dataclass(frozen=True)
class RestoreResult:
    engine: str
    schema_version: int
    database_version: int
    files: int
    created_at: str
    program_version: str
    safety_backup: Path | None
    missing_files: tuple[str, ...] = ()


def _files_replace(staged: Path, files_dir: Path) -> None:
    old = files_dir.with_name(f".kontora-files-old-{os.getpid()}")
    if files_dir.exists():
        os.replace(files_dir, old)
    os.replace(staged, files_dir)
    shutil.rmtree(old, ignore_errors=True)


def _files_upload(staged: Path, names: list[str], save: Callable[[str, IO[bytes]], None]) -> None:
    """Writes the archive's checked files to object storage under their exact names, before the base is replaced:
    a failure leaves the current base in place with its files (an object of the same name gets the archive's bytes,
    and stored names are unique per upload). Objects the archive does not hold stay in the bucket: it may hold more
    than Kontora's files, and the restored base names none of them."""
    for name in names:
        path = inside(staged, name)
        if path is None:  # extract_verified wrote nothing else; checked again before anything leaves the machine
            raise BackupError(f"the archive is refused: member {name!r} would be written outside the files folder")
        try:
            with path.open("rb") as source:
                save(name, source)
        except OSError as exc:
            raise BackupError(f"cannot write {name} to the files storage ({exc}); the base was not replaced") from None


def _check_rows_have_files(named: set[str], extracted: set[str], *, accept: bool) -> list[str]:
    """Every stored file the archive's rows name must be in it: a restore that "succeeds" without them leaves
    downloads that fail. Refused, listing what is missing, unless the operator accepts it (then listed)."""
    missing = sorted(name for name in named if name not in extracted)
    if missing and not accept:
        shown = ", ".join(missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
        raise BackupError(
            f"the archive is incomplete: {len(missing)} file row{'' if len(missing) == 1 else 's'} of its database "
            f"name{'s' if len(missing) == 1 else ''} stored files it does not hold: {shown}; nothing was restored "
            "(--accept-missing-files restores it all the same)"
        )
    return missing


def _refuse_while_servers_run() -> None:
    """Servers and workers of any home, on any machine, register in the base (`services.servers`): the home's
    lock alone does not see those started elsewhere."""
    from kontora.core.selectors.servers import servers_described, servers_running  # after Django is set up

    me = (socket.gethostname(), os.getpid())
    running = [row for row in servers_running() if (row.host, row.pid) != me]
    if running:
        many = len(running) > 1
        raise BackupError(
            f"{len(running)} Kontora process{'es' if many else ''} run{'' if many else 's'} on this base: "
            f"{servers_described(running)}: stop {'them' if many else 'it'} before restoring"
        )


def _servers_forget() -> None:
    from kontora.core.services.servers import servers_forget  # after Django is set up

    if "core_serverprocess" in connections[DEFAULT_DB_ALIAS].introspection.table_names():
        servers_forget()  # the processes the restored base lists ran in another time


def backup_restore(archive: Path, *, home: Path | None = None, safety_backup: bool = True,
                   accept_missing_files: bool = False) -> RestoreResult:
    """Replaces the base and the files folder with an archive's, after checking all of it.

    Refuses while a server (server.lock) or a worker (fresh heartbeat) runs on this home, or any server or worker
    registered in the base runs, wherever it was started. With
    `safety_backup`, a base that has data is backed up first, so a wrong restore can be undone.
    """
    home = Path(home or settings.HOME)
    archive = Path(archive)
    with base_lock(home, "restore"):
        beat = worker_alive(home)
        if beat is not None and beat[0] != os.getpid():
            raise LockHeld(beat[0], "worker")
        _refuse_while_servers_run()
        if not archive.is_file():
            raise BackupError(f"no such archive: {archive}")
        engine = engine_of()
        from kontora.core.services import storage  # here: the package is imported before Django is set up

        folder = storage.storage_folder()
        in_folder = folder is not None
        # A folder store is replaced whole (staged beside it, then swapped); with S3 the local files folder is
        # only where the archive's files are staged before they are written to the bucket.
        files_dir = folder or Path(settings.FILES_DIR)
        files_dir.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_staging(files_dir.parent)
        staging = Path(tempfile.mkdtemp(dir=files_dir.parent, prefix=".kontora-restore-"))
        staged_db: Path | None = None
        try:
            try:
                tar = tarfile.open(archive, "r:")
            except (tarfile.TarError, OSError) as exc:
                raise BackupError(f"not a Kontora backup archive: {exc}") from None
            with tar:
                manifest = read_manifest(tar)
                if manifest["engine"] != engine:
                    theirs = ENGINE_LABEL.get(manifest["engine"], manifest["engine"])
                    raise BackupError(
                        f"the archive holds a {theirs} base but this installation uses {ENGINE_LABEL[engine]} "
                        "(KONTORA_DATABASE_URL): restore it where the same database engine is configured"
                    )
                if manifest["schema_version"] > program_version():
                    raise BackupError(
                        f"the archive holds database version {manifest['schema_version']}, newer than this "
                        f"program (expects {program_version()}): install a newer Kontora"
                    )
                if engine == "sqlite":
                    base = Path(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])
                    base.parent.mkdir(parents=True, exist_ok=True)
                    fd, name = tempfile.mkstemp(dir=base.parent, prefix=".kontora-restore-", suffix=".sqlite3")
                    os.close(fd)
                    staged_db = Path(name)
                else:
                    staged_db = staging / DATABASE_MEMBER["postgresql"]
                staged_files = staging / "files"
                staged_files.mkdir()
                extracted = extract_verified(tar, manifest, staged_db, staged_files)
            files = len(extracted)
            tables: set[str] = set()
            if engine == "sqlite":
                sqlite_integrity(staged_db)
                named = names_in_sqlite(staged_db)
            else:
                tables = pg_tables(run_pg([pg_tool("pg_restore"), "--list", str(staged_db)], env=pg_env(),
                                            what="the database in the archive is damaged (pg_restore --list)"))
                named = names_in_pgdump(staged_db)
            missing = _check_rows_have_files(named, extracted, accept=accept_missing_files)
            saved: Path | None = None
            if safety_backup and database_version() > 0:
                saved = backup_create()
            if not in_folder:
                _files_upload(staged_files, sorted(extracted), storage.stored_save)  # before the base: see there
            if engine == "sqlite":
                sqlite_replace(staged_db, base)
                staged_db = None
            else:
                pg_restore(staged_db, tables)
            if in_folder:
                _files_replace(staged_files, files_dir)
            if "core_backuprun" in connections[DEFAULT_DB_ALIAS].introspection.table_names():
                storage.backup_runs_forget()  # the backup that made the archive ran in another time
            _servers_forget()
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if staged_db is not None and engine == "sqlite":
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{staged_db}{suffix}").unlink(missing_ok=True)
        connections.close_all()
        return RestoreResult(
            engine=engine,
            schema_version=manifest["schema_version"],
            database_version=database_version(),
            files=files,
            created_at=str(manifest.get("created_at", "")),
            program_version=str(manifest.get("program_version", "")),
            safety_backup=saved,
            missing_files=tuple(missing),
        )
