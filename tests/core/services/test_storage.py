"""Stored files of deleted rows wait in storage while a backup runs (issue 11, F16; SYS-06, FIL-04)."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config
from django.db import transaction
from django.utils import timezone

from kontora.clients.models import ClientFile
from kontora.core import backup as backups
from kontora.core import tasks
from kontora.core.models import BackupRun, StoredPurge
from kontora.core.services import storage
from tests.clients.factories import ClientFactory


@pytest.fixture
def stored(settings: Any, tmp_path: Path, db: Any) -> Path:
    """A storage folder of the test's own with one stored file in it."""
    folder = tmp_path / "files"
    (folder / "clients" / "7").mkdir(parents=True)
    settings.FILES_DIR = folder
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": folder}}}
    path = folder / "clients" / "7" / "a1b2"
    path.write_bytes(b"contract")
    return path


def _delete_row_of(name: str, capture: Any) -> None:
    """What a service does when it deletes a row with a stored file, committed."""
    with capture(execute=True), transaction.atomic():
        storage.stored_delete_later([name])


@pytest.mark.feature("SYS-06")
@pytest.mark.feature("FIL-04")
def test_a_file_deleted_while_a_backup_runs_stays_until_the_backup_ends(stored, django_capture_on_commit_callbacks):
    # given: a backup in progress (its row is all another process sees of it)
    run = storage.backup_run_begin()
    # when: a row naming the file is deleted and committed
    _delete_row_of("clients/7/a1b2", django_capture_on_commit_callbacks)
    # then: the file waits for the backup
    assert stored.exists()
    assert list(StoredPurge.objects.values_list("name", flat=True)) == ["clients/7/a1b2"]
    # when: the backup ends
    storage.backup_run_end(run)
    # then: the file leaves storage, and nothing waits any more
    assert not stored.exists()
    assert not StoredPurge.objects.exists()
    assert not BackupRun.objects.exists()


@pytest.mark.feature("FIL-04")
def test_without_a_backup_a_deleted_file_leaves_storage_at_commit(stored, django_capture_on_commit_callbacks):
    # when
    _delete_row_of("clients/7/a1b2", django_capture_on_commit_callbacks)
    # then
    assert not stored.exists()
    assert not StoredPurge.objects.exists()


@pytest.mark.feature("FIL-04")
def test_a_deletion_rolled_back_purges_nothing(stored, django_capture_on_commit_callbacks):
    # when: the deleting transaction fails
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        storage.stored_delete_later(["clients/7/a1b2"])
        raise RuntimeError
    # then
    assert stored.exists()
    assert not StoredPurge.objects.exists()


@pytest.mark.feature("SYS-06")
def test_a_killed_backup_holds_purges_back_only_until_it_is_stale(stored, django_capture_on_commit_callbacks):
    # given: a backup that stopped beating long ago (its process was killed), and a file waiting meanwhile
    run = storage.backup_run_begin()
    _delete_row_of("clients/7/a1b2", django_capture_on_commit_callbacks)
    assert stored.exists()
    BackupRun.objects.filter(pk=run).update(alive_at=timezone.now() - storage.RUN_STALE - timedelta(minutes=1))
    # when: the hourly purge runs
    tasks.purge_stored.call_local()
    # then
    assert not stored.exists()
    assert not StoredPurge.objects.exists()


@pytest.mark.feature("SYS-06")
def test_the_hourly_purge_waits_for_a_live_backup(stored, django_capture_on_commit_callbacks):
    # given: a live backup and a waiting file
    storage.backup_run_begin()
    _delete_row_of("clients/7/a1b2", django_capture_on_commit_callbacks)
    # when
    tasks.purge_stored.call_local()
    # then
    assert stored.exists()
    assert StoredPurge.objects.count() == 1


@pytest.mark.feature("FIL-04", "SYS-10")
def test_a_purge_that_cannot_reach_the_bucket_leaves_the_file_waiting(db, settings, s3_files,
                                                                    django_capture_on_commit_callbacks, caplog):
    # given: attached files in S3 whose endpoint stops answering
    s3_files.server.client().put_object(Bucket=s3_files.bucket, Key=s3_files.key("clients/7/a1b2"), Body=b"x")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    options = {**s3_files.options(), "endpoint_url": closed,
               "client_config": Config(retries={"max_attempts": 1}, connect_timeout=2)}
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}
    # when: a row naming the file is deleted and committed
    _delete_row_of("clients/7/a1b2", django_capture_on_commit_callbacks)
    # then: the commit stands, the file waits for the next purge, and the log says why
    assert list(StoredPurge.objects.values_list("name", flat=True)) == ["clients/7/a1b2"]
    assert "could not delete the stored file clients/7/a1b2" in caplog.text
    assert s3_files.names() == {"clients/7/a1b2"}
    # when: the bucket answers again and the hourly purge runs
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"],
                                                          "OPTIONS": s3_files.options()}}
    tasks.purge_stored.call_local()
    # then: the file is gone and nothing waits
    assert s3_files.names() == set()
    assert not StoredPurge.objects.exists()


@pytest.mark.feature("SYS-06", "SYS-10")
def test_a_backup_that_cannot_read_the_bucket_fails_in_one_line_and_leaves_no_archive(transactional_db, settings,
                                                                                      tmp_path, s3_files):
    # given: a row naming a file in S3, and the endpoint no longer answering
    ClientFile.objects.create(client=ClientFactory(), name="договор.txt", content="clients/1/a1b2")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    options = {**s3_files.options(), "endpoint_url": closed,
               "client_config": Config(retries={"max_attempts": 1}, connect_timeout=2)}
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}
    settings.BACKUP_DIR = tmp_path / "backups"
    # when
    with pytest.raises(backups.BackupError) as refused:
        backups.backup_create()
    # then: the message names the file and the reason in one line; no archive, no run left registered
    message = str(refused.value)
    assert message.startswith("Прикреплённый файл clients/1/a1b2 не удаётся прочитать из хранилища: ")
    assert closed in message and "\n" not in message
    assert backups.backup_list() == []
    assert not BackupRun.objects.exists()
