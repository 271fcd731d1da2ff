"""Backups: `kontora backup`/`restore` on homes of their own, the nightly job, the Backups page."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from kontora.core import backup as backups
from kontora.core.models import Job
from kontora.core.schema import program_version
from kontora.core.tasks import _backup_hour, backup_nightly
from tests.test_cli import DJANGO_PRELUDE, ON_PG, ROOT, Home, cli_home, upgraded_template

ENGINE = "postgresql" if ON_PG else "sqlite"
DATABASE_MEMBER = backups.DATABASE_MEMBER[ENGINE]
ATTACHMENTS = {"договор №1.txt": "Договор поставки\n", "scans/2026/счёт.pdf": "%PDF-1.4 not really\n"}

WRITER = DJANGO_PRELUDE + """
import time
from kontora.accounts.models import User
from kontora.core.models import Notification
user = User.objects.create(login="writer", login_key="writer", full_name="Пишущий")
number = 0
while True:
    number += 1
    Notification.objects.create(user=user, text=f"row {number}")
    print(number, flush=True)  # committed: autocommit, one row per transaction
    time.sleep(0.002)
"""

ROWS = DJANGO_PRELUDE + """
from kontora.core.models import Notification
texts = list(Notification.objects.order_by("id").values_list("text", flat=True))
print(len(texts), texts == [f"row {n}" for n in range(1, len(texts) + 1)])
"""


def files_of(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def write_attachments(home: Home) -> None:
    for name, text in ATTACHMENTS.items():
        path = home.path / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def rewrite_archive(source: Path, target: Path, change: dict[str, bytes]) -> None:
    """A copy of an archive with some members' bytes replaced (the manifest kept as it was unless changed)."""
    with tarfile.open(source) as old, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as new:
        for member in old:
            data = old.extractfile(member).read()  # type: ignore[union-attr]
            data = change.get(member.name, data)
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


def read_member(archive: Path, name: str) -> bytes:
    with tarfile.open(archive) as tar:
        return tar.extractfile(name).read()  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    with upgraded_template(tmp_path_factory.mktemp("backup") / "template") as home:
        yield home


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory, template: Home) -> Iterator[tuple[Home, Path, dict[str, Any]]]:
    """A home with users, notifications and attached files, its archive and its snapshot."""
    with cli_home(tmp_path_factory.mktemp("worked") / "home", template) as home:
        home.python(DJANGO_PRELUDE + (
            "from kontora.accounts.models import User\n"
            "from kontora.core.models import Notification\n"
            "for n in range(3):\n"
            "    user = User.objects.create(login=f'm{n}', login_key=f'm{n}', full_name=f'Менеджер {n}')\n"
            "    Notification.objects.bulk_create(Notification(user=user, text=f'Сообщение {k}') for k in range(40))\n"
        ))
        write_attachments(home)
        done = home.run("backup")
        assert done.returncode == 0, done.stderr
        yield home, Path(done.stdout.strip()), home.snapshot()


# --- backup and restore -------------------------------------------------------------------------


@pytest.mark.feature("SYS-06")
def test_an_archive_holds_the_base_the_files_and_a_manifest_of_checksums(worked):
    # given
    home, archive, _snapshot = worked
    # when
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    manifest = json.loads(read_member(archive, "manifest.json"))
    # then
    assert re.fullmatch(r"kontora-backup-\d{8}-\d{6}\.tar", archive.name)
    assert archive.parent == home.path / "backups"
    assert sorted(names) == sorted([DATABASE_MEMBER, "manifest.json", *(f"files/{name}" for name in ATTACHMENTS)])
    assert manifest["engine"] == ENGINE
    assert manifest["schema_version"] == program_version()
    assert manifest["program_version"] == "0.1.0"
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    for name in ATTACHMENTS:
        data = read_member(archive, f"files/{name}")
        assert manifest["members"][f"files/{name}"] == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert manifest["members"][DATABASE_MEMBER]["sha256"] == hashlib.sha256(
        read_member(archive, DATABASE_MEMBER)).hexdigest()


@pytest.mark.feature("SYS-06")
def test_a_backup_restored_into_an_empty_home_is_identical_table_by_table(worked, tmp_path):
    # given
    home, archive, snapshot = worked
    with cli_home(tmp_path / "elsewhere") as elsewhere:
        # when
        done = elsewhere.run("restore", str(archive))
        # then
        assert done.returncode == 0, done.stderr
        assert done.stdout == (
            f"restored the {backups.ENGINE_LABEL[ENGINE]} database (version {program_version()}) and "
            f"2 attached files from {archive} (made "
            f"{json.loads(read_member(archive, 'manifest.json'))['created_at']} by Kontora 0.1.0)\n"
        )
        restored = elsewhere.snapshot()
        assert restored == snapshot
        assert restored["core_notification"][0] == 120
        assert files_of(elsewhere.path / "files") == files_of(home.path / "files")
        assert not (elsewhere.path / "backups").exists()  # an empty base needs no safety copy


@pytest.mark.feature("SYS-06")
def test_a_backup_taken_while_people_write_restores_every_row_committed_before_it(template, tmp_path):
    # given: a process committing numbered rows one by one, and what it committed before the backup
    with cli_home(tmp_path / "busy", template) as busy, cli_home(tmp_path / "restored") as restored:
        writer = subprocess.Popen([sys.executable, "-c", WRITER], env=busy.env, cwd=ROOT, stdout=subprocess.PIPE,
                                  text=True)
        committed: list[int] = [0]

        def follow() -> None:
            for line in writer.stdout:  # type: ignore[union-attr]
                committed[0] = int(line)

        threading.Thread(target=follow, daemon=True).start()
        try:
            deadline = time.monotonic() + 60
            while committed[0] < 20 and time.monotonic() < deadline and writer.poll() is None:
                time.sleep(0.05)
            before = committed[0]
            # when
            done = busy.run("backup")
            after = committed[0]
        finally:
            writer.terminate()
            writer.wait(30)
        assert done.returncode == 0, done.stderr
        assert after > before > 0  # the writer went on while the backup ran
        restore = restored.run("restore", done.stdout.strip())
        # then: a consistent base holding a gapless prefix of the rows, at least all committed before
        assert restore.returncode == 0, restore.stderr
        count, gapless = restored.python(ROWS).split()
        assert gapless == "True"
        assert before <= int(count) <= after
        if not ON_PG:
            base = str(restored.path / "kontora.sqlite3")
            integrity = restored.python(
                f"import sqlite3; print(sqlite3.connect({base!r}).execute('PRAGMA integrity_check').fetchall())"
            )
            assert integrity == "[('ok',)]\n"


@pytest.mark.feature("SYS-06")
@pytest.mark.parametrize("member", ["files/договор №1.txt", "database"])
def test_a_tampered_archive_is_refused_without_touching_the_base(worked, tmp_path, member):
    # given: one member's bytes changed after the manifest was written
    home, archive, snapshot = worked
    name = DATABASE_MEMBER if member == "database" else member
    original = read_member(archive, name)
    at = len(original) // 2
    tampered = tmp_path / "kontora-backup-20260101-000000.tar"
    rewrite_archive(archive, tampered, {name: original[:at] + bytes([original[at] ^ 0xFF]) + original[at + 1:]})
    archives_before = sorted(p.name for p in (home.path / "backups").iterdir())
    # when
    done = home.run("restore", str(tampered))
    # then
    assert done.returncode == 1
    assert done.stderr == f"kontora: the archive is damaged: the checksum of {name} does not match its manifest\n"
    assert home.snapshot() == snapshot
    assert files_of(home.path / "files") == {
        name: hashlib.sha256(text.encode()).hexdigest() for name, text in ATTACHMENTS.items()
    }
    assert sorted(p.name for p in (home.path / "backups").iterdir()) == archives_before
    assert not list(home.path.glob(".kontora-restore-*"))


@pytest.mark.feature("SYS-06")
def test_an_archive_of_another_database_engine_is_refused(worked, tmp_path):
    # given: the manifest says the other engine
    home, archive, _snapshot = worked
    manifest = json.loads(read_member(archive, "manifest.json"))
    other = "sqlite" if ON_PG else "postgresql"
    manifest["engine"] = other
    foreign = tmp_path / "foreign.tar"
    rewrite_archive(archive, foreign, {"manifest.json": json.dumps(manifest).encode()})
    # when
    done = home.run("restore", str(foreign))
    # then
    assert done.returncode == 1
    assert done.stderr == (
        f"kontora: the archive holds a {backups.ENGINE_LABEL[other]} base but this installation uses "
        f"{backups.ENGINE_LABEL[ENGINE]} (KONTORA_DATABASE_URL): restore it where the same database engine is "
        "configured\n"
    )


@pytest.mark.feature("SYS-06")
def test_restore_is_refused_while_a_worker_beats_on_the_base(worked):
    # given: a worker's fresh heartbeat (pid 1 stands for a process other than the restore)
    home, archive, _snapshot = worked
    (home.path / "worker.heartbeat").write_text(f"1 {time.time():.0f}\n")
    try:
        # when
        done = home.run("restore", str(archive))
    finally:
        (home.path / "worker.heartbeat").unlink()
    # then
    assert done.returncode == 1
    assert done.stderr == "kontora: a Kontora worker is running on this base (pid 1): stop it before restoring\n"


@pytest.mark.feature("SYS-06")
def test_backup_keep_deletes_only_older_archives_beyond_the_newest_n(worked, tmp_path):
    # given: three older archives and a file of someone else's in the target folder
    home, _archive, _snapshot = worked
    folder = tmp_path / "offsite"
    folder.mkdir()
    for stamp in ("20250101-030000", "20250102-030000", "20250103-030000"):
        (folder / f"kontora-backup-{stamp}.tar").write_bytes(b"old")
    (folder / "notes.txt").write_text("keep me")
    # when
    done = home.run("backup", "--to", str(folder), "--keep", "2")
    # then
    assert done.returncode == 0, done.stderr
    made = Path(done.stdout.strip())
    assert made.parent == folder
    assert sorted(p.name for p in folder.iterdir()) == sorted([made.name, "kontora-backup-20250103-030000.tar",
                                                               "notes.txt"])


# --- the nightly job -----------------------------------------------------------------------------


@pytest.mark.feature("SYS-06")
def test_the_nightly_backup_runs_at_the_set_hour_of_the_base_time_zone(settings):
    # given: 03:00 in Moscow is 00:00 UTC; Huey asks with naive UTC times
    settings.TIME_ZONE = "Europe/Moscow"
    settings.BACKUP_HOUR = 3
    # then
    assert _backup_hour(datetime(2026, 11, 28, 0, 0)) is True
    assert _backup_hour(datetime(2026, 11, 28, 3, 0)) is False
    assert _backup_hour(datetime(2026, 11, 28, 0, 1)) is False


@pytest.mark.feature("SYS-06")
def test_the_nightly_backup_keeps_the_newest_archives(db, settings, tmp_path):
    # given
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.FILES_DIR = tmp_path / "files"
    settings.BACKUP_KEEP = 2
    settings.BACKUP_DIR.mkdir()
    for stamp in ("20250101-030000", "20250102-030000"):
        (settings.BACKUP_DIR / f"kontora-backup-{stamp}.tar").write_bytes(b"old")
    # when
    backup_nightly.call_local()
    # then
    names = [info.name for info in backups.backup_list()]
    assert len(names) == 2
    assert names[1] == "kontora-backup-20250102-030000.tar"
    assert json.loads(read_member(settings.BACKUP_DIR / names[0], "manifest.json"))["engine"] == ENGINE


# --- the Backups page ----------------------------------------------------------------------------


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
    assert members["files/счёт.txt"]["size"] == len("Счёт № 1".encode())
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


@pytest.mark.feature("REG-11")
def test_planner_statistics_are_refreshed_nightly_on_sqlite(admin_user: Any) -> None:
    from django.db import connection

    from kontora.clients.services.card import client_create
    from kontora.core.tasks import _statistics_hour, refresh_statistics

    client_create(acting_user=admin_user, values={"short_name": "Ромашка"})

    assert _statistics_hour(datetime(2026, 11, 28, 1, 0)) is True  # the hour after the backup's
    assert _statistics_hour(datetime(2026, 11, 28, 0, 0)) is False
    refresh_statistics.call_local()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'clients_client'")
            assert cursor.fetchone()[0] > 0
