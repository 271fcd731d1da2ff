"""The card's Files tab with attached files in S3-compatible object storage (SYS-10; FIL-02, FIL-04).

The bucket is a local moto server's (tests/plugins/s3.py); boto3, not Django, checks what is in it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from storages.backends.s3 import S3Storage

from kontora.clients.models import Client, ClientFile
from kontora.core.models import StoredPurge
from tests.support.http import signed_in


def _whole_object_fetched(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("the download fetched the whole object before sending it")


DATA = "Договор поставки № 7\n".encode() * 50_000  # about 1.3 MB: more than one chunk of a stream


@pytest.mark.feature("SYS-10")
@pytest.mark.feature("FIL-02")
def test_a_file_uploaded_on_the_card_lands_in_the_bucket_and_downloads_streamed(
        curator: Any, client_card: Client, s3_files: Any, monkeypatch: Any) -> None:
    # given a signed-in curator
    browser = signed_in(curator)
    # when they attach a file on the card's Files tab
    response = browser.post(f"/clients/{client_card.pk}/files/upload/",
                            {"file": SimpleUploadedFile("договор.txt", DATA), "folder": ""})
    # then the object is in the bucket, under the row's stored name, with the same bytes
    assert response.status_code == 200
    attached = ClientFile.objects.get()
    assert s3_files.names() == {attached.content.name}
    assert s3_files.read(attached.content.name) == DATA
    # when they download it, django-storages' own file (which fetches the whole object first) refused
    monkeypatch.setattr(S3Storage, "_open", _whole_object_fetched)
    download = browser.get(f"/clients/{client_card.pk}/files/{attached.pk}/download/")
    # then the server streams the object itself (no redirect to the bucket) with the same bytes
    assert download.status_code == 200
    assert download.streaming
    assert download["Content-Length"] == str(len(DATA))
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == DATA


@pytest.mark.feature("SYS-10")
@pytest.mark.feature("FIL-04")
def test_a_deleted_file_leaves_the_bucket_only_after_the_commit(
        curator: Any, client_card: Client, s3_files: Any, django_capture_on_commit_callbacks: Any) -> None:
    # given a file attached on the card
    browser = signed_in(curator)
    browser.post(f"/clients/{client_card.pk}/files/upload/",
                 {"file": SimpleUploadedFile("скан.pdf", b"%PDF-1.4 scan"), "folder": ""})
    attached = ClientFile.objects.get()
    name = attached.content.name
    # when it is deleted, before the commit's callbacks run
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = browser.post(f"/clients/{client_card.pk}/files/{attached.pk}/delete/")
        # then the row is gone but the object waits in the bucket (stored_delete_later)
        assert response.status_code == 200
        assert not ClientFile.objects.exists()
        assert s3_files.names() == {name}
        assert list(StoredPurge.objects.values_list("name", flat=True)) == [name]
    # when the commit's callbacks run
    for callback in callbacks:
        callback()
    # then the object leaves the bucket and nothing waits any more
    assert s3_files.names() == set()
    assert not StoredPurge.objects.exists()


@pytest.mark.feature("SYS-10")
@pytest.mark.feature("FIL-02")
def test_a_file_missing_from_the_bucket_is_not_found_rather_than_an_error(
        curator: Any, client_card: Client, s3_files: Any) -> None:
    # given a file attached on the card whose object was then lost
    browser = signed_in(curator)
    browser.post(f"/clients/{client_card.pk}/files/upload/",
                 {"file": SimpleUploadedFile("акт.txt", b"act"), "folder": ""})
    attached = ClientFile.objects.get()
    s3_files.delete(attached.content.name)
    # when it is downloaded
    response = browser.get(f"/clients/{client_card.pk}/files/{attached.pk}/download/")
    # then the page says it is not found
    assert response.status_code == 404
