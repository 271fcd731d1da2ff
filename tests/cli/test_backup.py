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


ATTACHED_ROWS = DJANGO_PRELUDE + """
import json, sys
from kontora.clients.models import Client, ClientFile
from kontora.clients.services.card import fill_search_keys
from kontora.core import numbering
client = Client(kind=Client.Kind.COMPANY, short_name="Ромашка", full_name="Ромашка", code=numbering.code_next("client"))
fill_search_keys(client)
client.save()
for name in json.loads(sys.argv[1]):
    ClientFile.objects.create(client=client, name=name.rsplit("/", 1)[-1], content=name)
"""


def write_attachments(home: Home) -> None:
    """The attached files in the files folder, and the rows that name them (a backup copies what rows name)."""
    for name, text in ATTACHMENTS.items():
        path = home.path / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", ATTACHED_ROWS, json.dumps(list(ATTACHMENTS))], env=home.env,
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


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


# --- files attached and deleted while a backup runs (issue 11, F16) ------------------------------------------

INTERLEAVED = DJANGO_PRELUDE + """
import json
from pathlib import Path
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from kontora.accounts.models import User
from kontora.clients.models import Client
from kontora.clients.services import files as file_services
from kontora.clients.services.card import fill_search_keys
from kontora.core import backup, numbering
from kontora.core.models import BackupRun, StoredPurge
admin = User.objects.get(login="admin")
client = Client(kind=Client.Kind.COMPANY, short_name="Ромашка", full_name="Ромашка", curator=admin,
                code=numbering.code_next("client"))
fill_search_keys(client)
client.save()

def attach(name):
    upload = SimpleUploadedFile(name, name.encode())
    return file_services.file_upload(acting_user=admin, client=client, folder=None, upload=upload)

kept, deleted = attach("kept.txt"), attach("deleted.txt")
seen = {}

def between(done, total, message):
    # The backup's snapshot is taken, its files not yet copied: one file is attached, another deleted.
    if done == 1 and not seen:
        seen["uploaded"] = attach("uploaded.txt").content.name
        file_services.file_delete(acting_user=admin, attached=deleted)
        seen["deleted_kept_meanwhile"] = Path(settings.FILES_DIR, deleted.content.name).exists()
        seen["waiting_meanwhile"] = StoredPurge.objects.count()

archive = backup.backup_create(progress=between)
print(json.dumps({**seen, "archive": str(archive), "kept": kept.content.name, "deleted": deleted.content.name,
                  "deleted_after": Path(settings.FILES_DIR, deleted.content.name).exists(),
                  "waiting_after": StoredPurge.objects.count(), "runs_after": BackupRun.objects.count()}))
"""


ROW_FILES = DJANGO_PRELUDE + """
import json
from pathlib import Path
from django.conf import settings
from kontora.clients.models import ClientFile
print(json.dumps({row.content.name: Path(settings.FILES_DIR, row.content.name).read_text()
                  if Path(settings.FILES_DIR, row.content.name).is_file() else None
                  for row in ClientFile.objects.all()}))
"""


@pytest.mark.feature("SYS-06")
@pytest.mark.feature("FIL-04")
def test_a_backup_while_files_are_attached_and_deleted_restores_with_every_rows_file(template, tmp_path):
    # given: a backup during which, between its snapshot and its copying of files, a file is attached and another
    # deleted
    with cli_home(tmp_path / "busy", template) as busy, cli_home(tmp_path / "restored") as restored:
        made = json.loads(busy.python(INTERLEAVED))
        # then: the deleted file stayed in storage while the backup ran, and left it when the backup ended
        assert made["deleted_kept_meanwhile"] is True
        assert made["waiting_meanwhile"] == 1
        assert (made["deleted_after"], made["waiting_after"], made["runs_after"]) == (False, 0, 0)
        # when
        done = restored.run("restore", made["archive"])
        # then: the snapshot's two rows, each with its file; the file attached after the snapshot is not part of it
        assert done.returncode == 0, done.stderr
        assert "and 2 attached files from" in done.stdout
        assert json.loads(restored.python(ROW_FILES)) == {made["kept"]: "kept.txt", made["deleted"]: "deleted.txt"}
        assert json.loads(busy.python(ROW_FILES))[made["uploaded"]] == "uploaded.txt"  # it is in the live base
        with tarfile.open(made["archive"]) as tar:
            assert f"files/{made['uploaded']}" not in tar.getnames()


def archive_without(source: Path, target: Path, name: str) -> None:
    """A copy of an archive without one member, its manifest entry gone too (a consistent but incomplete archive)."""
    with tarfile.open(source) as old, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as new:
        for member in old:
            data = old.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == name:
                continue
            if member.name == "manifest.json":
                manifest = json.loads(data)
                del manifest["members"][name]
                data = json.dumps(manifest).encode()
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


@pytest.mark.feature("SYS-06")
def test_restore_refuses_an_archive_whose_rows_name_files_it_does_not_hold(worked, tmp_path):
    # given: an archive whose manifest and members agree, but a file row's file is not in it
    home, archive, snapshot = worked
    incomplete = tmp_path / "kontora-backup-20260101-000000.tar"
    archive_without(archive, incomplete, "files/scans/2026/счёт.pdf")
    # when
    done = home.run("restore", str(incomplete))
    # then: refused, naming the file; the base and its files untouched
    assert done.returncode == 1
    assert done.stderr == (
        "kontora: the archive is incomplete: 1 file row of its database names stored files it does not hold: "
        "scans/2026/счёт.pdf; nothing was restored (--accept-missing-files restores it all the same)\n"
    )
    assert home.snapshot() == snapshot
    assert set(files_of(home.path / "files")) == set(ATTACHMENTS)
    # and the complete archive, as a positive control, restores
    with cli_home(tmp_path / "elsewhere") as elsewhere:
        assert elsewhere.run("restore", str(archive)).returncode == 0


@pytest.mark.feature("SYS-06")
def test_a_file_lost_before_the_backup_is_reported_and_restored_only_when_accepted(template, tmp_path):
    # given: a base with a file row whose file was lost from the folder before any backup
    with cli_home(tmp_path / "lost", template) as lost, cli_home(tmp_path / "restored") as restored:
        write_attachments(lost)
        (lost.path / "files" / "scans" / "2026" / "счёт.pdf").unlink()
        # when
        backup = lost.run("backup")
        # then: the archive is written, and says what it could not hold
        assert backup.returncode == 0, backup.stderr
        archive = backup.stdout.strip()
        assert (f"WARNING [-] kontora.backup: {Path(archive).name}: stored files named by the base but already "
                "missing from storage (1): scans/2026/счёт.pdf\n") in backup.stderr
        assert json.loads(read_member(Path(archive), "manifest.json"))["missing_files"] == ["scans/2026/счёт.pdf"]
        # when: restored as it is, then with the loss accepted
        refused = restored.run("restore", archive)
        accepted = restored.run("restore", "--accept-missing-files", archive)
        # then
        assert refused.returncode == 1
        assert "1 file row of its database names stored files it does not hold: scans/2026/счёт.pdf" in refused.stderr
        assert accepted.returncode == 0, accepted.stderr
        assert accepted.stderr == ("kontora: 1 file row of the restored base names stored files the archive did not "
                                   "hold; their downloads will fail:\n  scans/2026/счёт.pdf\n")
        assert set(files_of(restored.path / "files")) == {"договор №1.txt"}


# --- hostile members (issue 11, F17) --------------------------------------------------------------------------

def hostile_archive(source: Path, target: Path, member: tarfile.TarInfo, data: bytes = b"") -> None:
    """A copy of a good archive plus one hostile member, listed in the manifest with its true checksum."""
    with tarfile.open(source) as old, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as new:
        for each in old:
            content = old.extractfile(each).read()  # type: ignore[union-attr]
            if each.name == "manifest.json":
                manifest = json.loads(content)
                manifest["members"][member.name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                content = json.dumps(manifest).encode()
            each.size = len(content)
            new.addfile(each, io.BytesIO(content))
        member.size = len(data) if member.type in (tarfile.REGTYPE, tarfile.AREGTYPE) else 0
        new.addfile(member, io.BytesIO(data) if member.size else None)


def _member(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.mode = 0o644
    if kind == tarfile.CHRTYPE:
        info.devmajor, info.devminor = 1, 3
    return info


HOSTILE = {
    "files-doubled-slash-absolute": lambda outside: _member(f"files/{outside}"),  # F17: files//<absolute path>
    "absolute": lambda outside: _member(str(outside)),
    "dot-dot": lambda outside: _member("files/../../escaped.txt"),
    "backslash": lambda outside: _member("files/..\\..\\escaped.txt"),
    "doubled-slash": lambda outside: _member("files/clients//x.txt"),
    "symlink": lambda outside: _member("files/link", tarfile.SYMTYPE, str(outside.parent)),
    "hardlink": lambda outside: _member("files/hard", tarfile.LNKTYPE, DATABASE_MEMBER),
    "character-device": lambda outside: _member("files/null", tarfile.CHRTYPE),
    "fifo": lambda outside: _member("files/pipe", tarfile.FIFOTYPE),
}

REFUSAL = {
    "files-doubled-slash-absolute": "has an unsafe path", "absolute": "is neither the database nor under files/",
    "dot-dot": "has an unsafe path", "backslash": "has an unsafe path", "doubled-slash": "has an unsafe path",
    "symlink": "is a symbolic link", "hardlink": "is a hard link", "character-device": "is a character device",
    "fifo": "is a FIFO",
}


@pytest.mark.feature("SYS-06")
@pytest.mark.parametrize("kind", list(HOSTILE))
def test_restore_refuses_an_archive_with_a_hostile_member(worked, tmp_path, kind):
    # given: a good archive with one hostile member that its manifest lists
    home, archive, snapshot = worked
    outside = tmp_path / "outside" / "escaped.txt"
    outside.parent.mkdir()
    member = HOSTILE[kind](outside)
    hostile = tmp_path / "kontora-backup-20260101-000000.tar"
    hostile_archive(archive, hostile, member, b"pwned" if member.type == tarfile.REGTYPE else b"")
    # when
    done = home.run("restore", str(hostile))
    # then: refused with the member named, nothing written anywhere, the base untouched
    assert done.returncode == 1
    assert done.stderr.startswith(f"kontora: the archive is refused: member {member.name!r} {REFUSAL[kind]}")
    assert not outside.exists()
    assert not list((home.path.parent).glob("escaped.txt")) and not (home.path / "escaped.txt").exists()
    assert home.snapshot() == snapshot
    assert set(files_of(home.path / "files")) == set(ATTACHMENTS)
    assert not list(home.path.glob(".kontora-restore-*"))
