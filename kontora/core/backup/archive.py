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
from pathlib import Path, PurePosixPath
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
        self.sha.update(data)
        return data


def add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict[str, Any]:
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


def files_of(root: Path) -> list[tuple[Path, str]]:
    if not root.is_dir():
        return []
    found = []
    for dirpath, _dirnames, filenames in os.walk(root):
        for filename in filenames:
            path = Path(dirpath) / filename
            if path.is_file():
                found.append((path, path.relative_to(root).as_posix()))
    return sorted(found, key=lambda item: item[1])


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


def extract_verified(tar: tarfile.TarFile, manifest: dict[str, Any], database_target: Path, files_target: Path) -> int:
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
