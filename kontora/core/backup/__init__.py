"""Backup and restore of a base: the database and the attached files in one tar archive.

Backups are online. SQLite is copied with SQLite's backup API in one step: a consistent snapshot,
and in WAL mode the people working go on writing meanwhile. PostgreSQL is dumped with `pg_dump -Fc`
(one snapshot too). The archive's manifest.json lists every member with its sha256 and size;
a restore checks all of them, and the database's own integrity, before it replaces anything.

Messages of the backup side are translated (a backup started from the page shows them); those of
the restore side are read only by the operator at the console, in English like the rest of the CLI.
"""

from kontora.core.backup.archive import (
    ARCHIVE_RE,
    CHUNK,
    DATABASE_MEMBER,
    ENGINE_LABEL,
    FILES_PREFIX,
    FORMAT,
    MANIFEST,
    STAGING_PREFIX,
    BackupError,
    BackupInfo,
    archive_missing_files,
    backup_dir,
    backup_list,
    backup_path,
    backup_prune,
    engine_of,
)
from kontora.core.backup.create import Progress, backup_create
from kontora.core.backup.locks import (
    HEARTBEAT_EVERY,
    HEARTBEAT_FILE,
    HEARTBEAT_FRESH,
    LOCK_FILE,
    LockHeld,
    base_lock,
    heartbeat_clear,
    heartbeat_read,
    heartbeat_write,
    worker_alive,
)
from kontora.core.backup.postgres import pg_env, pg_tool
from kontora.core.backup.restore import RestoreResult, backup_restore

__all__ = [
    "ARCHIVE_RE",
    "CHUNK",
    "DATABASE_MEMBER",
    "ENGINE_LABEL",
    "FILES_PREFIX",
    "FORMAT",
    "HEARTBEAT_EVERY",
    "HEARTBEAT_FILE",
    "HEARTBEAT_FRESH",
    "LOCK_FILE",
    "MANIFEST",
    "STAGING_PREFIX",
    "BackupError",
    "BackupInfo",
    "LockHeld",
    "Progress",
    "RestoreResult",
    "archive_missing_files",
    "backup_create",
    "backup_dir",
    "backup_list",
    "backup_path",
    "backup_prune",
    "backup_restore",
    "base_lock",
    "engine_of",
    "heartbeat_clear",
    "heartbeat_read",
    "heartbeat_write",
    "pg_env",
    "pg_tool",
    "worker_alive",
]
