"""`kontora backup`, `restore` and `check` with attached files in S3-compatible object storage (SYS-10, SYS-06).

The bucket is a local moto server's (tests/plugins/s3.py); each `kontora` child gets KONTORA_FILES_URL=s3://….
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from kontora.core import backup as backups
from tests.cli.support import DJANGO_PRELUDE, ON_PG, cli_home
from tests.core.support import read_member

ENGINE = "postgresql" if ON_PG else "sqlite"

ATTACHMENTS = {"clients/1/договор.txt": "Договор поставки\n".encode() * 40_000,  # more than one read chunk
               "clients/1/scans/счёт.pdf": b"%PDF-1.4 not really\n"}

ROWS = DJANGO_PRELUDE + """
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

FILE_ROWS = DJANGO_PRELUDE + """
from kontora.clients.models import ClientFile
print(sorted(ClientFile.objects.values_list("content", flat=True)))
"""


@pytest.mark.feature("SYS-10")
@pytest.mark.feature("SYS-06")
def test_backup_and_restore_on_a_fresh_base_round_trip_files_stored_in_s3(template, tmp_path, s3_files):
    # given: a base whose rows name two objects in the bucket
    client = s3_files.server.client()
    for name, data in ATTACHMENTS.items():
        client.put_object(Bucket=s3_files.bucket, Key=s3_files.key(name), Body=data)
    with cli_home(tmp_path / "office", template) as office, cli_home(tmp_path / "elsewhere") as elsewhere:
        office.env["KONTORA_FILES_URL"] = elsewhere.env["KONTORA_FILES_URL"] = s3_files.url
        office.python(ROWS.replace("sys.argv[1]", repr(json.dumps(list(ATTACHMENTS)))))
        # when: a backup is taken
        backup = office.run("backup")
        # then: the archive holds the objects' bytes, checksummed
        assert backup.returncode == 0, backup.stderr
        archive = Path(backup.stdout.strip())
        manifest = json.loads(read_member(archive, "manifest.json"))
        assert manifest["missing_files"] == []
        for name, data in ATTACHMENTS.items():
            assert read_member(archive, f"files/{name}") == data
            assert manifest["members"][f"files/{name}"] == {"sha256": hashlib.sha256(data).hexdigest(),
                                                            "size": len(data)}
        # given: meanwhile one object is lost and the other overwritten
        s3_files.delete("clients/1/договор.txt")
        client.put_object(Bucket=s3_files.bucket, Key=s3_files.key("clients/1/scans/счёт.pdf"), Body=b"damaged")
        # when: the archive is restored on a fresh base of another home sharing the bucket
        restore = elsewhere.run("restore", str(archive))
        # then: the base names the files, and the bucket holds them again under the same names, same bytes
        assert restore.returncode == 0, restore.stderr
        assert restore.stdout.startswith(
            f"restored the {backups.ENGINE_LABEL[ENGINE]} database (version {manifest['schema_version']}) and "
            "2 attached files from ")
        assert elsewhere.python(FILE_ROWS) == f"{sorted(ATTACHMENTS)}\n"
        assert s3_files.names() == set(ATTACHMENTS)
        for name, data in ATTACHMENTS.items():
            assert s3_files.read(name) == data
        # and the local files folder was only a staging place: nothing stays there
        assert [path for path in elsewhere.path.rglob("*") if path.is_file() and "files" in path.parts] == []


@pytest.mark.feature("SYS-10")
@pytest.mark.feature("SYS-06")
def test_a_backup_from_s3_reports_an_object_lost_before_it(template, tmp_path, s3_files):
    # given: rows naming two objects, one of them not in the bucket
    s3_files.server.client().put_object(Bucket=s3_files.bucket, Key=s3_files.key("clients/1/scans/счёт.pdf"),
                                        Body=ATTACHMENTS["clients/1/scans/счёт.pdf"])
    with cli_home(tmp_path / "office", template) as office:
        office.env["KONTORA_FILES_URL"] = s3_files.url
        office.python(ROWS.replace("sys.argv[1]", repr(json.dumps(list(ATTACHMENTS)))))
        # when
        backup = office.run("backup")
    # then: the archive is written with the one it found and names the lost one
    assert backup.returncode == 0, backup.stderr
    archive = Path(backup.stdout.strip())
    assert json.loads(read_member(archive, "manifest.json"))["missing_files"] == ["clients/1/договор.txt"]
    with tarfile.open(archive) as tar:
        stored = sorted(name for name in tar.getnames() if name.startswith("files/"))
    assert stored == ["files/clients/1/scans/счёт.pdf"]


@pytest.mark.feature("SYS-10")
def test_check_asks_the_bucket_and_names_it_without_the_keys(home, s3_files):
    # when: the bucket exists, and when it does not
    good = home.run("check", extra_env={"KONTORA_FILES_URL": s3_files.url})
    bad = home.run("check", extra_env={"KONTORA_FILES_URL": s3_files.url.replace(s3_files.bucket, "no-such-bucket")})
    # then: one line each, naming the bucket, prefix and endpoint but never the secret
    where = f"S3: {{}}/office at {s3_files.server.endpoint}"
    assert f"OK   files storage: {where.format(s3_files.bucket)} is reachable\n" in good.stdout
    assert "files folder" not in good.stdout  # the local folder is only scratch with S3
    [line] = [line for line in bad.stdout.splitlines() if "files storage" in line]
    assert line.startswith(f"FAIL files storage: {where.format('no-such-bucket')} is not reachable: ")
    assert bad.returncode != 0
    assert "kontora-test-secret" not in good.stdout + good.stderr + bad.stdout + bad.stderr


def _with_member(source: Path, target: Path, member: tarfile.TarInfo, data: bytes) -> None:
    """A copy of an archive with one more member, which its manifest lists with the right checksum."""
    with tarfile.open(source) as old, tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as new:
        for each in old:
            content = old.extractfile(each).read()  # type: ignore[union-attr]
            if each.name == "manifest.json":
                manifest = json.loads(content)
                manifest["members"][member.name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                content = json.dumps(manifest).encode()
            each.size = len(content)
            new.addfile(each, io.BytesIO(content))
        member.size = len(data) if member.type == tarfile.REGTYPE else 0
        new.addfile(member, io.BytesIO(data) if member.size else None)


def _hostile(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode = kind, linkname, 0o644
    return info


@pytest.mark.feature("SYS-10")
@pytest.mark.feature("SYS-06")
def test_restore_to_s3_refuses_a_hostile_member_before_anything_reaches_the_bucket(template, tmp_path, s3_files):
    # given: an archive of a base with files in the bucket, then the objects lost
    client = s3_files.server.client()
    for name, data in ATTACHMENTS.items():
        client.put_object(Bucket=s3_files.bucket, Key=s3_files.key(name), Body=data)
    with cli_home(tmp_path / "office", template) as office, cli_home(tmp_path / "elsewhere") as elsewhere:
        office.env["KONTORA_FILES_URL"] = elsewhere.env["KONTORA_FILES_URL"] = s3_files.url
        office.python(ROWS.replace("sys.argv[1]", repr(json.dumps(list(ATTACHMENTS)))))
        backup = office.run("backup")
        assert backup.returncode == 0, backup.stderr
        for name in ATTACHMENTS:
            s3_files.delete(name)
        for number, (member, refusal) in enumerate([
            (_hostile("files/../../escaped.txt"), "has an unsafe path"),
            (_hostile("files/clients//x.txt"), "has an unsafe path"),
            (_hostile("files/link", tarfile.SYMTYPE, "/etc/passwd"), "is a symbolic link"),
        ]):
            hostile = tmp_path / f"kontora-backup-20260101-00000{number}.tar"
            _with_member(Path(backup.stdout.strip()), hostile, member, b"pwned" if member.isfile() else b"")
            # when
            done = elsewhere.run("restore", str(hostile))
            # then: refused with the member named, and not one object written
            assert done.returncode == 1
            assert done.stderr.startswith(f"kontora: the archive is refused: member {member.name!r} {refusal}")
            assert s3_files.names() == set()
