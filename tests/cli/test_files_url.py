"""KONTORA_FILES_URL: where attached files live when several servers share them (SYS-10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kontora import config
from tests.cli.support import cli_home


@pytest.mark.feature("SYS-10")
def test_without_the_variable_files_live_in_the_home_folder(tmp_path, monkeypatch):
    # given
    monkeypatch.delenv("KONTORA_FILES_URL", raising=False)
    # when
    storage, folder = config.files_storage(tmp_path)
    # then
    assert folder == tmp_path / "files"
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": folder}}


@pytest.mark.feature("SYS-10")
@pytest.mark.parametrize("url", ["/srv/shared files", "file:///srv/shared%20files"])
def test_a_shared_folder_is_a_path_or_a_file_url(tmp_path, monkeypatch, url):
    # given
    monkeypatch.setenv("KONTORA_FILES_URL", url)
    # when
    storage, folder = config.files_storage(tmp_path)
    # then
    assert str(folder) == "/srv/shared files"
    assert storage["OPTIONS"]["location"] == folder


@pytest.mark.feature("SYS-10")
def test_an_s3_url_names_bucket_prefix_endpoint_and_keys(tmp_path, monkeypatch):
    # given
    monkeypatch.setenv("KONTORA_FILES_URL",
                       "s3://AKIA:se%2Fcret@kontora-files/office/one?endpoint_url=http://127.0.0.1:9000&region=ru-1")
    # when
    storage, folder = config.files_storage(tmp_path)
    # then
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "kontora-files", "location": "office/one", "file_overwrite": False, "default_acl": None,
        "querystring_auth": True, "endpoint_url": "http://127.0.0.1:9000", "region_name": "ru-1",
        "access_key": "AKIA", "secret_key": "se/cret",
    }
    assert folder == tmp_path / "files"  # only a scratch place with S3


@pytest.mark.feature("SYS-10")
@pytest.mark.parametrize(("url", "message"), [
    ("ftp://files/office", "KONTORA_FILES_URL: unsupported scheme 'ftp'; use /path/to/folder or s3://bucket/prefix"),
    ("files/office", "KONTORA_FILES_URL: a folder must be an absolute path, e.g. /srv/kontora-files"),
    ("s3:///office", "KONTORA_FILES_URL names no bucket: use s3://bucket/prefix"),
    ("s3://b/p?acl=public", "KONTORA_FILES_URL: unknown parameter 'acl' (known: endpoint_url, region, "
                            "addressing_style)"),
])
def test_a_wrong_files_url_is_one_line_and_exit_code_2(tmp_path, url, message):
    # given
    with cli_home(tmp_path / "home") as home:
        # when
        done = home.run("check", extra_env={"KONTORA_FILES_URL": url})
    # then
    assert done.returncode == 2
    assert done.stderr == f"kontora: {message}\n"
    assert "Traceback" not in done.stderr


@pytest.mark.feature("SYS-10")
def test_the_archives_folder_is_the_homes_unless_named(tmp_path, monkeypatch):
    # given / when / then
    monkeypatch.delenv("KONTORA_BACKUP_DIR", raising=False)
    assert config.backup_dir(tmp_path) == tmp_path / "backups"
    monkeypatch.setenv("KONTORA_BACKUP_DIR", "/srv/kontora-backups")
    assert config.backup_dir(tmp_path) == Path("/srv/kontora-backups")


@pytest.mark.feature("SYS-10")
def test_a_relative_archives_folder_is_one_line_and_exit_code_2(tmp_path):
    # given
    with cli_home(tmp_path / "home") as home:
        # when
        done = home.run("check", extra_env={"KONTORA_BACKUP_DIR": "backups"})
    # then
    assert done.returncode == 2
    assert done.stderr == "kontora: KONTORA_BACKUP_DIR must be an absolute path, e.g. /srv/kontora-backups\n"
