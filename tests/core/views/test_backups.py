"""Administration → Backups (SYS-06): the archives, a backup made now as a job, downloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from kontora.core import backup as backups
from kontora.core.models import AuditEvent, Job
from tests.core.support import audit_row, read_member


@pytest.fixture
def backup_folder(settings, tmp_path) -> Path:
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.FILES_DIR = tmp_path / "files"
    settings.BACKUP_DIR.mkdir()
    settings.FILES_DIR.mkdir()
    (settings.FILES_DIR / "счёт.txt").write_text("Счёт № 1", encoding="utf-8")
    return Path(settings.BACKUP_DIR)


@pytest.mark.feature("SYS-06")
def test_the_backups_page_lists_archives_newest_first(admin_client, backup_folder):
    # given
    (backup_folder / "kontora-backup-20261127-030000.tar").write_bytes(b"x" * 2048)
    (backup_folder / "kontora-backup-20261128-030000.tar").write_bytes(b"x" * 4096)
    (backup_folder / "other.tar").write_bytes(b"x")
    # when
    response = admin_client.get(reverse("core:backups"))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("kontora-backup-20261128-030000.tar") < page.index("kontora-backup-20261127-030000.tar")
    assert "other.tar" not in page
    assert "28.11.2026 03:00:00" in page
    assert "4,0\xa0КБ" in page
    assert "Создать резервную копию сейчас" in page
    assert "Ночное резервное копирование: ежедневно в 3:00; хранится архивов: 7." in page
    assert 'href="/administration/backups/"' in admin_client.get("/").content.decode()  # the menu item


@pytest.mark.feature("SYS-06")
def test_the_backups_page_is_for_administrators_only(client, manager_client, backup_folder):
    # when
    anonymous = client.get(reverse("core:backups"))
    manager = manager_client.get(reverse("core:backups"))
    create = manager_client.post(reverse("core:backup_create"))
    # then
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")
    assert manager.status_code == create.status_code == 403
    assert not Job.objects.exists()


@pytest.mark.feature("SYS-06")
def test_create_backup_now_runs_a_job_whose_archive_then_appears(admin_client, backup_folder,
                                                                 django_capture_on_commit_callbacks):
    # when: the job runs at commit (jobs run inline in tests)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("core:backup_create"))
    # then
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('core:backups')}?job={job.pk}"
    assert (job.kind, job.status, job.errors) == ("backup", Job.Status.DONE, [])
    [archive] = backups.backup_list()
    assert job.result["url"] == reverse("core:backup_download", args=[archive.name])
    members = json.loads(read_member(archive.path, "manifest.json"))["members"]
    # a file in the folder that no row names is no part of the base (tests/clients: attached files are backed up)
    assert list(members) == [backups.DATABASE_MEMBER[backups.engine_of()]]
    page = admin_client.get(response["Location"]).content.decode()
    assert f"Архив {archive.name} готов (" in page
    assert f'data-archive="{archive.name}"' in page


@pytest.mark.feature("SYS-06")
def test_an_archive_is_downloaded_and_no_other_file_is(admin_client, backup_folder, settings):
    # given
    name = "kontora-backup-20261128-030000.tar"
    (backup_folder / name).write_bytes(b"archive bytes")
    (settings.FILES_DIR.parent / "secret.tar").write_bytes(b"secret")
    # when
    good = admin_client.get(reverse("core:backup_download", args=[name]))
    missing = admin_client.get(reverse("core:backup_download", args=["kontora-backup-20200101-000000.tar"]))
    outside = admin_client.get("/administration/backups/..%2Fsecret.tar/")
    unnamed = admin_client.get(reverse("core:backup_download", args=["secret.tar"]))
    # then
    assert good.status_code == 200
    assert good["Content-Disposition"] == f'attachment; filename="{name}"'
    assert b"".join(good.streaming_content) == b"archive bytes"
    assert missing.status_code == outside.status_code == unnamed.status_code == 404


@pytest.mark.feature("SYS-06")
def test_a_download_is_recorded_in_the_audit_log_and_a_refused_one_is_not(admin_client, admin_user, backup_folder):
    # given
    name = "kontora-backup-20261128-030000.tar"
    (backup_folder / name).write_bytes(b"archive bytes")
    # when: a name that is no archive, then the archive
    missing = admin_client.get(reverse("core:backup_download", args=["kontora-backup-20200101-000000.tar"]))
    assert missing.status_code == 404
    assert not AuditEvent.objects.filter(event="backup.download").exists()
    response = admin_client.get(reverse("core:backup_download", args=[name]))
    # then: one row, who and which archive
    assert response.status_code == 200
    row = audit_row("backup.download")
    assert row.actor == admin_user
    assert row.summary == f"Скачан архив резервной копии {name}."
    assert row.extra == {"archive": name, "size": len(b"archive bytes")}
    assert row.client_id is None


@pytest.mark.feature("SYS-06")
def test_the_backups_page_says_an_archive_is_the_whole_base_and_downloads_are_audited(admin_client, backup_folder):
    # when
    page = admin_client.get(reverse("core:backups")).content.decode()
    # then
    assert ("Архив — это вся база: карточки и файлы всех клиентов, в том числе приватных. Скачивать его — право "
            "администратора, и каждое скачивание записывается в журнал аудита: кто, какой архив и когда скачал."
            ) in page
