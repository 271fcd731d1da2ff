"""`kontora backup` and `kontora restore` on homes of their own (SYS-06)."""

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

from kontora.core import backup as backups
from kontora.core.schema import program_version
from tests.cli.support import DJANGO_PRELUDE, ON_PG, ROOT, Home, cli_home
from tests.core.support import read_member

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
