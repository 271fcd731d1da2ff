"""The archive: its name, its manifest with a checksum of every member, the backup folder and keep-N."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tarfile
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

ARCHIVE_RE = re.compile(r"^kontora-backup-(\d{8}-\d{6})\.tar$")
MANIFEST = "manifest.json"
FORMAT = 1
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_LABEL = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
FILES_PREFIX = "files/"
STAGING_PREFIX = ".kontora-backup-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line saying why."""


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    size: int
    created_at: datetime


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
        # A network stream (an S3 body) may hand out fewer bytes than asked before its end; tar takes that for
        # the end, so read on until `size` or the real end.
        while 0 < size and len(data) < size:
            more = self.raw.read(size - len(data))
            if not more:
                break
            data += more
        self.sha.update(data)
        return data


def add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict[str, Any]:
    with path.open("rb") as raw:
        stat = os.fstat(raw.fileno())
        return add_stream(tar, raw, arcname, size=stat.st_size, mtime=int(stat.st_mtime))


def add_stream(tar: tarfile.TarFile, raw: IO[bytes], arcname: str, *, size: int, mtime: int) -> dict[str, Any]:
    """Copies `size` bytes of an open stream (a local file, or a stored file's body from S3) in chunks."""
    info = tarfile.TarInfo(arcname)
    info.size = size
    info.mtime = mtime
    info.mode = 0o644
    reader = _HashingReader(raw)
    try:
        tar.addfile(info, reader)  # type: ignore[arg-type]
    except OSError as exc:
        raise BackupError(
            _("The file %(name)s changed while it was being copied; run the backup again.") % {"name": arcname}
        ) from exc
    return {"sha256": reader.sha.hexdigest(), "size": info.size}


def clean_stale_staging(directory: Path) -> None:
    """Removes what a backup or restore killed midway left behind, once it is a day old."""
    limit = time.time() - 24 * 3600
    for entry in directory.glob(".kontora-*"):
        with suppress(OSError):
            if entry.stat().st_mtime < limit:
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink()


def reserve_name(directory: Path) -> Path:
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


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
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


def safe_relative(name: str) -> str | None:
    """The path under the files folder that a stored name (a row's, or a member's after files/) stands for, or None
    when it is not plainly a relative path downwards: absolute, doubled or trailing slashes, "." and "..",
    backslashes and control characters are all refused, so no spelling can climb out of the folder."""
    if not name or name.startswith("/") or "\\" in name or "//" in name or name.endswith("/"):
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        return None
    parts = name.split("/")
    if any(part in {"", ".", ".."} for part in parts):
        return None
    return name


def inside(root: Path, relative: str) -> Path | None:
    """root/relative if, resolved, it lies strictly inside root (a symbolic link on the way counts as resolved)."""
    base = root.resolve()
    target = (base / relative).resolve()
    return target if target != base and target.is_relative_to(base) else None


_LINKS = {tarfile.SYMTYPE: "a symbolic link", tarfile.LNKTYPE: "a hard link", tarfile.CHRTYPE: "a character device",
          tarfile.BLKTYPE: "a block device", tarfile.FIFOTYPE: "a FIFO", tarfile.DIRTYPE: "a directory"}


def archive_missing_files(path: Path) -> list[str]:
    """The stored files a backup found named by its base but already gone from the files folder."""
    with tarfile.open(path) as tar:
        return [str(name) for name in read_manifest(tar).get("missing_files", [])]


def _member_problem(member: tarfile.TarInfo, database: str) -> str | None:
    """Why a member may not be extracted, or None: only regular files named manifest.json, the database or
    files/<a safe relative path> are."""
    name = member.name
    if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
        return f"member {name!r} is {_LINKS.get(member.type, 'not a regular file')}"
    if name in (MANIFEST, database):
        return None
    if not name.startswith(FILES_PREFIX):
        return f"member {name!r} is neither the database nor under {FILES_PREFIX}"
    if safe_relative(name[len(FILES_PREFIX):]) is None:
        return f"member {name!r} has an unsafe path (absolute, doubled slash, '..', backslash or control character)"
    return None


def _copy_verified(source: IO[bytes], target: Path, expected: dict[str, Any], name: str, *, new: bool) -> None:
    sha = hashlib.sha256()
    size = 0
    # A file member is a new file, never written through a link; the database goes to the restore's own temp file.
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) if new else os.O_TRUNC)
    try:
        fd = os.open(target, flags, 0o600)
    except OSError as exc:
        raise BackupError(f"the archive is refused: {name} cannot be written ({exc.strerror})") from None
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(CHUNK):
            sha.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if sha.hexdigest() != expected.get("sha256") or size != expected.get("size"):
        raise BackupError(f"the archive is damaged: the checksum of {name} does not match its manifest")


def extract_verified(tar: tarfile.TarFile, manifest: dict[str, Any], database_target: Path,
                     files_target: Path) -> set[str]:
    """Extracts every member, checking it against the manifest; returns the relative paths of the files.

    Every member is checked before anything is written: one hostile member refuses the whole archive.
    """
    expected: dict[str, dict[str, Any]] = manifest["members"]
    database = manifest["database"]
    if database != DATABASE_MEMBER.get(manifest["engine"]):
        raise BackupError(f"the archive is refused: its manifest names the database {database!r}")
    members = tar.getmembers()
    seen: set[str] = set()
    for member in members:
        problem = _member_problem(member, database)
        if problem is not None:
            raise BackupError(f"the archive is refused: {problem}")
        if member.name in seen:
            raise BackupError(f"the archive is refused: member {member.name!r} appears twice")
        seen.add(member.name)
        if member.name != MANIFEST and member.name not in expected:
            raise BackupError(f"the archive is damaged: unexpected member {member.name!r}")
    files: set[str] = set()
    for member in members:
        name = member.name
        if name == MANIFEST:
            continue
        if name == database:
            target = database_target
        else:
            relative = name[len(FILES_PREFIX):]
            resolved = inside(files_target, relative)
            if resolved is None:
                raise BackupError(f"the archive is refused: member {name!r} would be written outside the files folder")
            try:
                resolved.parent.mkdir(parents=True, exist_ok=True)
            except OSError:
                raise BackupError(f"the archive is refused: member {name!r} clashes with another member") from None
            target = resolved
            files.add(relative)
        source = tar.extractfile(member)
        if source is None:
            raise BackupError(f"the archive is damaged: cannot read {name}")
        _copy_verified(source, target, expected[name], name, new=target is not database_target)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"the archive is damaged: {missing[0]} is missing")
    if database not in seen:
        raise BackupError("the archive is damaged: it holds no database")
    return files
