"""Backup and restore of a base: the database and the attached files in one tar archive.

Backups are online. SQLite is copied with SQLite's backup API in one step: a consistent snapshot,
and in WAL mode the people working go on writing meanwhile. PostgreSQL is dumped with `pg_dump -Fc`
(one snapshot too). The archive's manifest.json lists every member with its sha256 and size;
a restore checks all of them, and the database's own integrity, before it replaces anything.

Messages of the backup side are translated (a backup started from the page shows them); those of
the restore side are read only by the operator at the console, in English like the rest of the CLI.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora import __version__
from kontora.core.schema import database_version, program_version

ARCHIVE_RE = re.compile(r"^kontora-backup-(\d{8}-\d{6})\.tar$")
MANIFEST = "manifest.json"
FORMAT = 1
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
FILES_PREFIX = "files/"
STAGING_PREFIX = ".kontora-backup-"
CHUNK = 1024 * 1024

LOCK_FILE = "server.lock"
HEARTBEAT_FILE = "worker.heartbeat"
HEARTBEAT_EVERY = 15  # seconds
HEARTBEAT_FRESH = 90  # seconds: a worker whose heartbeat is older is taken for dead

Progress = Callable[[int, int, str], None]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line saying why."""


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    size: int
    created_at: datetime


@dataclass(frozen=True)
class RestoreResult:
    engine: str
    schema_version: int
    database_version: int
    files: int
    created_at: str
    program_version: str
    safety_backup: Path | None


# --- who is running on this base -------------------------------------------------------------

if sys.platform == "win32":  # pragma: no cover - the lock works the same way, by other means
    import msvcrt

    def _try_lock(fd: int) -> bool:
        # A byte far past the pid text, so the text stays readable (Windows locks are mandatory).
        os.lseek(fd, 1 << 20, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


class LockHeld(BackupError):
    def __init__(self, pid: int | None, role: str) -> None:
        self.pid = pid
        self.role = role
        super().__init__(f"{role} (pid {pid})")


def _lock_holder(path: Path) -> tuple[int | None, str]:
    try:
        parts = path.read_text(encoding="ascii", errors="replace").split()
    except OSError:
        parts = []
    pid = int(parts[0]) if parts and parts[0].isdigit() else None
    role = parts[1] if len(parts) > 1 else "serve"
    return pid, role


@contextmanager
def base_lock(home: Path, role: str) -> Iterator[int]:
    """Holds KONTORA_HOME/server.lock for a server ("serve") or a restore ("restore").

    The lock is released by the operating system when its holder ends, however it ends. Raises
    LockHeld naming the holder's pid and role when someone holds it already. The yielded descriptor
    may be handed to child processes, which then keep the lock as long as any of them lives.
    """
    path = home / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    if not _try_lock(fd):
        os.close(fd)
        raise LockHeld(*_lock_holder(path))
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {role}\n".encode("ascii"))
        yield fd
    finally:
        os.close(fd)


def heartbeat_write(home: Path) -> None:
    """The job consumer says it is alive; `kontora check` and `kontora restore` read it."""
    path = home / HEARTBEAT_FILE
    tmp = home / f".{HEARTBEAT_FILE}.{os.getpid()}"
    tmp.write_text(f"{os.getpid()} {time.time():.0f}\n", encoding="ascii")
    os.replace(tmp, path)


def heartbeat_clear(home: Path) -> None:
    """A worker stopping cleanly takes its heartbeat away, so a restore need not wait for it to age."""
    path = home / HEARTBEAT_FILE
    pid, _when = heartbeat_read(home) or (None, 0.0)
    if pid == os.getpid():
        path.unlink(missing_ok=True)


def heartbeat_read(home: Path) -> tuple[int | None, float] | None:
    """(pid, unix time) of the last heartbeat, or None when no worker ever wrote one."""
    try:
        parts = (home / HEARTBEAT_FILE).read_text(encoding="ascii").split()
        return (int(parts[0]) if parts[0].isdigit() else None), float(parts[1])
    except (OSError, ValueError, IndexError):
        return None


def _pid_gone(pid: int | None) -> bool:
    """True only when no process of that pid exists here (a killed worker leaves a fresh heartbeat)."""
    if pid is None or sys.platform == "win32":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, but is not ours to signal
        return False
    return False


def worker_alive(home: Path) -> tuple[int | None, float] | None:
    """(pid, age in seconds) of a worker that beat within HEARTBEAT_FRESH seconds, else None."""
    beat = heartbeat_read(home)
    if beat is None:
        return None
    pid, when = beat
    age = max(0.0, time.time() - when)
    if age > HEARTBEAT_FRESH or _pid_gone(pid):
        return None
    return pid, age


# --- backup -----------------------------------------------------------------------------------


def engine_of(using: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[using].vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(_("Backups support SQLite and PostgreSQL bases, not %(vendor)s.") % {"vendor": vendor})
    return vendor


def backup_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def backup_list(directory: Path | None = None) -> list[BackupInfo]:
    """Archives in the backup folder, newest first; files not named like our archives are ignored."""
    directory = Path(directory or backup_dir())
    if not directory.is_dir():
        return []
    found: list[BackupInfo] = []
    zone = timezone.get_current_timezone()
    for entry in os.scandir(directory):
        match = ARCHIVE_RE.match(entry.name)
        if not match or not entry.is_file():
            continue
        size = entry.stat().st_size
        if size == 0:  # a name reserved by a backup still being written
            continue
        created = timezone.make_aware(datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"), zone)
        found.append(BackupInfo(name=entry.name, path=Path(entry.path), size=size, created_at=created))
    return sorted(found, key=lambda info: info.name, reverse=True)


def backup_path(name: str, directory: Path | None = None) -> Path | None:
    """The archive of that name in the backup folder; None for any other name (no path tricks)."""
    if not ARCHIVE_RE.fullmatch(name):
        return None
    path = Path(directory or backup_dir()) / name
    return path if path.is_file() else None


def backup_prune(*, keep: int, directory: Path | None = None) -> list[Path]:
    """Deletes archives beyond the newest `keep`; returns what it deleted."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    removed = []
    for info in backup_list(directory)[keep:]:
        info.path.unlink(missing_ok=True)
        removed.append(info.path)
    return removed


class _HashingReader:
    """Hashes exactly the bytes tarfile copies, so the manifest matches the archive even if the file grows."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict[str, Any]:
    with path.open("rb") as raw:
        stat = os.fstat(raw.fileno())
        info = tarfile.TarInfo(arcname)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o644
        reader = _HashingReader(raw)
        try:
            tar.addfile(info, reader)  # type: ignore[arg-type]
        except OSError as exc:
            raise BackupError(
                _("The file %(name)s changed while it was being copied; run the backup again.") % {"name": arcname}
            ) from exc
    return {"sha256": reader.sha.hexdigest(), "size": info.size}


def _files_of(root: Path) -> list[tuple[Path, str]]:
    if not root.is_dir():
        return []
    found = []
    for dirpath, _dirnames, filenames in os.walk(root):
        for filename in filenames:
            path = Path(dirpath) / filename
            if path.is_file():
                found.append((path, path.relative_to(root).as_posix()))
    return sorted(found, key=lambda item: item[1])


def _sqlite_copy(base: Path, target: Path) -> None:
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


def _tool_version(path: str) -> tuple[int, ...]:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20, check=False).stdout
    except OSError:
        return ()
    match = re.search(r"(\d+)(?:\.(\d+))?", out)
    return tuple(int(part) for part in match.groups() if part) if match else ()


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: the highest version found on PATH or in /usr/lib/postgresql/*/bin.

    pg_dump refuses servers newer than itself, so the newest client installed is the one to use.
    """
    candidates = [str(path) for path in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    versioned = [(version, path) for path in candidates if (version := _tool_version(path))]
    if not versioned:
        raise BackupError(
            _("%(tool)s was not found: install the PostgreSQL client programs (postgresql-client).") % {"tool": name}
        )
    return max(versioned)[1]


def pg_env(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """libpq environment for the configured base: no password on a command line."""
    params = connections[using].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if params.get(key):
            env[var] = str(params[key])
    options = params.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                     ("sslkey", "PGSSLKEY"), ("options", "PGOPTIONS")):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _run_pg(args: list[str], *, env: dict[str, str], what: str) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        detail = lines[-1] if lines else f"exit code {done.returncode}"
        raise BackupError(f"{what}: {detail}")
    return done.stdout


def _pg_dump(target: Path) -> None:
    tool = pg_tool("pg_dump")
    env = pg_env()
    _run_pg([tool, "--format=custom", "--no-password", "--file", str(target), env["PGDATABASE"]],
            env=env, what=_("pg_dump failed"))


def _clean_stale_staging(directory: Path) -> None:
    """Removes what a backup or restore killed midway left behind, once it is a day old."""
    limit = time.time() - 24 * 3600
    for entry in directory.glob(".kontora-*"):
        with suppress(OSError):
            if entry.stat().st_mtime < limit:
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink()


def _reserve_name(directory: Path) -> Path:
    """A free archive name for now; two backups in one second take the next seconds."""
    stamp = timezone.localtime()
    for _step in range(3600):
        path = directory / f"kontora-backup-{stamp:%Y%m%d-%H%M%S}.tar"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            stamp += timedelta(seconds=1)
            continue
        return path
    raise BackupError(_("No free archive name in %(path)s.") % {"path": directory})


def backup_create(*, to: Path | None = None, keep: int | None = None, progress: Progress | None = None) -> Path:
    """Writes one archive of the database and the files folder; returns its path.

    `keep` then deletes archives beyond the newest `keep` in that folder. `progress(done, total,
    message)` is called per step (the job page shows it).
    """
    directory = Path(to or backup_dir())
    directory.mkdir(parents=True, exist_ok=True)
    _clean_stale_staging(directory)
    engine = engine_of()
    report: Progress = progress or (lambda done, total, message: None)
    files = _files_of(Path(settings.FILES_DIR))
    total = len(files) + 2
    created_at = timezone.localtime().replace(microsecond=0)
    schema_version = database_version()
    db_member = DATABASE_MEMBER[engine]
    report(0, total, _("Copying the database"))
    with tempfile.TemporaryDirectory(dir=directory, prefix=STAGING_PREFIX) as staging:
        dump = Path(staging) / db_member
        if engine == "sqlite":
            _sqlite_copy(Path(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]), dump)
        else:
            _pg_dump(dump)
        report(1, total, _("Copying attached files"))
        members: dict[str, dict[str, Any]] = {}
        packed = Path(staging) / "archive.tar"
        with tarfile.open(packed, "w", format=tarfile.PAX_FORMAT) as tar:
            members[db_member] = _add_file(tar, dump, db_member)
            dump.unlink()
            for done, (path, relative) in enumerate(files, start=2):
                try:
                    members[FILES_PREFIX + relative] = _add_file(tar, path, FILES_PREFIX + relative)
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
        final = _reserve_name(directory)
        os.replace(packed, final)
    if keep:
        backup_prune(keep=keep, directory=directory)
    return final


# --- restore ----------------------------------------------------------------------------------


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        raw = tar.extractfile(MANIFEST)
    except KeyError:
        raise BackupError("not a Kontora backup: the archive has no manifest.json") from None
    if raw is None:
        raise BackupError("not a Kontora backup: manifest.json is not a file")
    try:
        manifest = json.loads(raw.read().decode("utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("members"), dict):
            raise ValueError("no members")
        manifest["schema_version"] = int(manifest["schema_version"])
        str(manifest["engine"]), str(manifest["database"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise BackupError(f"the archive's manifest.json is damaged ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"the archive has format {manifest.get('format')!r}, this program reads format {FORMAT}")
    return manifest


def _safe_relative(name: str) -> str | None:
    """The path under files/ of a member, or None if it could escape the files folder."""
    if not name.startswith(FILES_PREFIX) or "\\" in name:
        return None
    parts = PurePosixPath(name[len(FILES_PREFIX):]).parts
    if not parts or any(part in {"", ".", ".."} for part in parts) or name.startswith("/"):
        return None
    return "/".join(parts)


def _copy_verified(source: IO[bytes], target: Path, expected: dict[str, Any], name: str) -> None:
    sha = hashlib.sha256()
    size = 0
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if sha.hexdigest() != expected.get("sha256") or size != expected.get("size"):
        raise BackupError(f"the archive is damaged: the checksum of {name} does not match its manifest")


def _extract_verified(tar: tarfile.TarFile, manifest: dict[str, Any], database_target: Path, files_target: Path) -> int:
    """Extracts every member, checking it against the manifest; returns the number of files."""
    expected: dict[str, dict[str, Any]] = manifest["members"]
    seen: set[str] = set()
    files = 0
    for member in tar:
        name = member.name
        if name == MANIFEST:
            continue
        if name in seen or name not in expected or not member.isfile():
            raise BackupError(f"the archive is damaged: unexpected member {name}")
        seen.add(name)
        if name == manifest["database"]:
            target = database_target
        else:
            relative = _safe_relative(name)
            if relative is None:
                raise BackupError(f"the archive is damaged: unsafe member name {name}")
            target = files_target / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            files += 1
        source = tar.extractfile(member)
        if source is None:
            raise BackupError(f"the archive is damaged: cannot read {name}")
        _copy_verified(source, target, expected[name], name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"the archive is damaged: {missing[0]} is missing")
    if manifest["database"] not in seen:
        raise BackupError("the archive is damaged: it holds no database")
    return files


def _sqlite_integrity(path: Path) -> None:
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


def _pg_tables(listing: str) -> set[str]:
    """Table names in a `pg_restore --list` listing ("… TABLE schema name owner")."""
    tables = set()
    for line in listing.splitlines():
        parts = line.split()
        if line.startswith(";") or "TABLE" not in parts:
            continue
        at = parts.index("TABLE")
        if len(parts) > at + 2 and parts[at + 1] != "DATA":
            tables.add(parts[at + 2])
    return tables


def _pg_restore(dump: Path, tables: set[str]) -> None:
    env = pg_env()
    tool = pg_tool("pg_restore")
    connections.close_all()
    _run_pg([tool, "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error",
             "--no-password", "--dbname", env["PGDATABASE"], str(dump)], env=env, what="pg_restore failed")
    # Tables made by migrations newer than the archive would break the next `kontora upgrade`.
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        leftovers = [row[0] for row in cursor.fetchall() if row[0] not in tables]
        for table in leftovers:
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")


def _sqlite_replace(staged: Path, base: Path) -> None:
    connections.close_all()
    # A journal left next to the old base would be replayed into the restored one.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{base}{suffix}").unlink(missing_ok=True)
    os.replace(staged, base)


def _files_replace(staged: Path, files_dir: Path) -> None:
    old = files_dir.with_name(f".kontora-files-old-{os.getpid()}")
    if files_dir.exists():
        os.replace(files_dir, old)
    os.replace(staged, files_dir)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(archive: Path, *, home: Path | None = None, safety_backup: bool = True) -> RestoreResult:
    """Replaces the base and the files folder with an archive's, after checking all of it.

    Refuses while a server (server.lock) or a worker (fresh heartbeat) runs on this home. With
    `safety_backup`, a base that has data is backed up first, so a wrong restore can be undone.
    """
    home = Path(home or settings.HOME)
    archive = Path(archive)
    with base_lock(home, "restore"):
        beat = worker_alive(home)
        if beat is not None and beat[0] != os.getpid():
            raise LockHeld(beat[0], "worker")
        if not archive.is_file():
            raise BackupError(f"no such archive: {archive}")
        engine = engine_of()
        files_dir = Path(settings.FILES_DIR)
        files_dir.parent.mkdir(parents=True, exist_ok=True)
        _clean_stale_staging(files_dir.parent)
        staging = Path(tempfile.mkdtemp(dir=files_dir.parent, prefix=".kontora-restore-"))
        staged_db: Path | None = None
        try:
            try:
                tar = tarfile.open(archive, "r:")
            except (tarfile.TarError, OSError) as exc:
                raise BackupError(f"not a Kontora backup archive: {exc}") from None
            with tar:
                manifest = _read_manifest(tar)
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
                files = _extract_verified(tar, manifest, staged_db, staged_files)
            tables: set[str] = set()
            if engine == "sqlite":
                _sqlite_integrity(staged_db)
            else:
                tables = _pg_tables(_run_pg([pg_tool("pg_restore"), "--list", str(staged_db)], env=pg_env(),
                                            what="the database in the archive is damaged (pg_restore --list)"))
            saved: Path | None = None
            if safety_backup and database_version() > 0:
                saved = backup_create()
            if engine == "sqlite":
                _sqlite_replace(staged_db, base)
                staged_db = None
            else:
                _pg_restore(staged_db, tables)
            _files_replace(staged_files, files_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if staged_db is not None and engine == "sqlite":
                staged_db.unlink(missing_ok=True)
        connections.close_all()
        return RestoreResult(
            engine=engine,
            schema_version=manifest["schema_version"],
            database_version=database_version(),
            files=files,
            created_at=str(manifest.get("created_at", "")),
            program_version=str(manifest.get("program_version", "")),
            safety_backup=saved,
        )
