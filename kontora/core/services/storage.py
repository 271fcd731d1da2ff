"""Stored files leave storage only when no backup may still need them (issue 11, F16).

A backup copies the files its database snapshot names. A file whose row is deleted after that snapshot must
still be there when the backup comes to copy it, so a service that deletes rows with stored files calls
`stored_delete_later` inside its transaction: the names go to `StoredPurge`, and `stored_purge` deletes them
once no backup runs — right after the commit, at a backup's end, and hourly (`tasks.purge_stored`). "A backup
runs" is a `BackupRun` row, so every process of the installation sees it.

Every read and write of stored files goes through Django's storage API (`default_storage`): a folder, or
S3-compatible object storage shared by several servers (KONTORA_FILES_URL). The helpers below are what the
API lacks: a stream with its size (downloads and backups never hold a whole file in memory), a write under an
exact name (a restore), a description without secrets (About) and a reachability check (`kontora check`).
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, transaction
from django.utils import timezone

from kontora.core.backup.archive import inside, safe_relative
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
            stored_delete(name)
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


# ---- reading and writing through the storage API ----

@dataclass
class StoredFile:
    """An open stored file: read it in chunks and close it."""

    stream: IO[bytes]
    size: int
    mtime: int


def _s3(storage: Any) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "bucket")


def _s3_key(storage: Any, name: str) -> str:
    from storages.utils import clean_name

    return str(storage._normalize_name(clean_name(name)))


def _s3_missing(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return status == 404 or response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}


def stored_open(name: str) -> StoredFile:
    """The stored file of that name, opened for a streamed read; FileNotFoundError when it is absent or its name
    is not plainly a path inside the store (absolute, '..', backslash…; in a folder, nothing resolving outside)."""
    storage: Any = default_storage
    if safe_relative(name) is None:
        raise FileNotFoundError(name)
    if isinstance(storage, FileSystemStorage):
        path = inside(Path(storage.location), name)
        if path is None:
            raise FileNotFoundError(name)
        raw = path.open("rb")
        stat = os.fstat(raw.fileno())
        return StoredFile(raw, stat.st_size, int(stat.st_mtime))
    if _s3(storage):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            got = storage.bucket.Object(_s3_key(storage, name)).get()
        except (BotoCoreError, ClientError) as exc:
            if _s3_missing(exc):
                raise FileNotFoundError(name) from None
            raise OSError(f"cannot read {name} from S3: {' '.join(str(exc).split())}") from exc
        # The object's body streams from S3 as it is read; nothing is downloaded ahead.
        return StoredFile(got["Body"], int(got["ContentLength"]), int(got["LastModified"].timestamp()))
    handle = storage.open(name, "rb")
    return StoredFile(handle, int(storage.size(name)), int(timezone.now().timestamp()))


def stored_save(name: str, source: IO[bytes]) -> None:
    """Writes `source` under exactly `name`, replacing what is there (a restore brings files back by their rows'
    names: a storage that renames on collision, as ours do, would leave the rows naming something else)."""
    if safe_relative(name) is None:
        raise OSError(f"refused to store a file under an unsafe name: {name!r}")
    try:
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, File(source, name=name))
    except OSError:
        raise
    except Exception as exc:  # an object store's own errors (botocore's): said as one line by the caller
        raise OSError(" ".join(str(exc).split())) from exc
    if saved != name:
        default_storage.delete(saved)
        raise OSError(f"the storage wrote {name} as {saved}")


def stored_delete(name: str) -> None:
    """Deletes a stored file; an object store's own errors (botocore's: a bucket out of reach) become OSError, so a
    purge run after a commit never fails the request that committed."""
    try:
        default_storage.delete(name)
    except OSError:
        raise
    except Exception as exc:
        raise OSError(" ".join(str(exc).split())) from exc


def storage_folder() -> Path | None:
    """The folder of a folder store; None for object storage (S3)."""
    storage: Any = default_storage
    return Path(storage.location) if isinstance(storage, FileSystemStorage) else None


def _endpoint(storage: Any) -> str:
    url = str(getattr(storage, "endpoint_url", None) or "")
    if not url:
        return "AWS"
    parts = urlsplit(url)
    if parts.username or parts.password:  # never show a key written into the address
        host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
        url = parts._replace(netloc=host).geturl()
    return url


def storage_describe() -> str:
    """Where attached files live, without secrets: the folder, or "S3: bucket/prefix at endpoint"."""
    storage: Any = default_storage
    if isinstance(storage, FileSystemStorage):
        return str(storage.location)
    if _s3(storage):
        where = "/".join(part for part in (storage.bucket_name, str(storage.location or "").strip("/")) if part)
        return f"S3: {where} at {_endpoint(storage)}"
    return type(storage).__name__


def storage_problem() -> str:
    """"" when the object storage answers, else one line why (`kontora check`); a folder is checked by the caller."""
    storage: Any = default_storage
    if not _s3(storage):
        return ""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    except (BotoCoreError, ClientError) as exc:
        why = " ".join(str(exc).split())
        return f"{storage_describe()} is not reachable: {why}"
    return ""
