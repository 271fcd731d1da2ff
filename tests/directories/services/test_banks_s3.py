"""The BIK directory import with attached files in S3-compatible object storage (SYS-10, DIR-03): the upload
waits for its job in the bucket, so a worker on another machine reads it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from kontora.core.models import Job
from kontora.directories.models import Bank
from kontora.directories.services.banks import banks_import_start
from tests.directories.support import ALFA, SBER, VTB, ed807, imports_dir

pytestmark = [pytest.mark.django_db, pytest.mark.feature("DIR-03"), pytest.mark.feature("SYS-10")]


def test_the_upload_waits_in_the_bucket_and_the_job_imports_it(
        admin_user: Any, s3_files: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    # given the file uploaded, its job not yet run
    data = ed807(SBER, ALFA, VTB)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = banks_import_start(acting_user=admin_user, upload=io.BytesIO(data), filename="20261127_ED807_full.xml")
    # then the upload is kept in the bucket, not in a folder of this machine
    [kept] = s3_files.names()
    assert kept.startswith("imports/banks-") and kept.endswith(".xml")
    assert s3_files.read(kept) == data
    assert [path.name for path in Path(settings.FILES_DIR).rglob("*") if path.is_file()] == []
    # when the job runs
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    # then the banks are imported and the upload leaves the bucket
    assert job.status == Job.Status.DONE, job.errors
    assert sorted(Bank.objects.values_list("bik", flat=True)) == sorted([SBER["bik"], ALFA["bik"], VTB["bik"]])
    assert s3_files.names() == set()
    assert imports_dir() == []
