"""Banks: the Bank of Russia's BIK directory (ED807) imported by an administrator.

The upload is checked and kept by `banks_import_start`, which queues the job; the job's handler
(`tasks.banks_import_run`) calls `banks_import`, which writes the banks and the one audit row of the upload.

The file is parsed as a stream with ElementTree's iterparse. defusedxml is not available, so a file
that declares a DOCTYPE or an entity is refused before parsing: ED807 never has one, and refusing
them shuts out entity expansion ("billion laughs") and external entities. The usual encoding,
windows-1251, is named in the file's XML declaration, which expat honours.
"""

from __future__ import annotations

import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core.audit import audit_record
from kontora.core.services.jobs import job_start
from kontora.core.services.storage import stored_open
from kontora.core.text import search_key
from kontora.directories.models import Bank, BankDirectory
from kontora.directories.services.uploads import upload_forget, upload_used

if TYPE_CHECKING:
    from kontora.core.models import Job

NAMESPACE = "urn:cbr-ru:ed:v2.0"
ENTRY = f"{{{NAMESPACE}}}BICDirectoryEntry"
MAX_FILE_SIZE = 200 * 1024 * 1024  # the real file is ~4 MB; this bounds a zip's unpacked member too
BATCH_SIZE = 500
_SCAN_CHUNK = 1024 * 1024
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")


@dataclass(frozen=True)
class BankRecord:
    bik: str
    name: str
    corr_account: str
    city: str
    address: str
    status: str

    @property
    def is_active(self) -> bool:
        return self.status != "PSDL"


def _not_ed807(reason: str) -> ValidationError:
    return ValidationError(
        _("This is not a Bank of Russia BIK directory file (ED807): %(reason)s"), code="not_ed807",
        params={"reason": reason},
    )


def _refuse_markers(fh: IO[bytes]) -> None:
    head = fh.read(4)
    # The markers are searched for as ASCII bytes, which UTF-16 would hide.
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        raise ValidationError(
            _("The file's encoding is not supported; expected windows-1251 or UTF-8."), code="encoding"
        )
    tail = head
    while chunk := fh.read(_SCAN_CHUNK):
        window = tail + chunk
        if any(marker in window for marker in _FORBIDDEN):
            raise ValidationError(
                _("The file declares a DOCTYPE or entities, which a BIK directory never does; it was refused."),
                code="doctype",
            )
        tail = window[-16:]


def ed807_check(path: Path) -> None:
    """Refuses, before any parsing, a file the parser must not read: DOCTYPE/ENTITY, UTF-16, oversize."""
    if path.stat().st_size > MAX_FILE_SIZE:
        raise ValidationError(_("The file is too large for a BIK directory."), code="too_large")
    with path.open("rb") as fh:
        _refuse_markers(fh)


def _text(parent: ElementTree.Element | None, tag: str) -> str:
    return "" if parent is None else (parent.get(tag) or "").strip()


def _record(entry: ElementTree.Element) -> BankRecord | None:
    bik = (entry.get("BIC") or "").strip()
    info = entry.find(f"{{{NAMESPACE}}}ParticipantInfo")
    if len(bik) != 9 or not (bik.isascii() and bik.isdigit()) or info is None:
        return None
    corr = ""
    for account in entry.iterfind(f"{{{NAMESPACE}}}Accounts"):
        if account.get("RegulationAccountType") == "CRSA":
            number = (account.get("Account") or "").strip()
            # An active correspondent account wins over a closed one listed before it.
            if not corr or account.get("AccountStatus") == "ACAC":
                corr = number
    city = " ".join(part for part in (_text(info, "Tnp"), _text(info, "Nnp")) if part)
    address = ", ".join(part for part in (_text(info, "Ind"), city, _text(info, "Adr")) if part)
    return BankRecord(
        bik=bik, name=_text(info, "NameP"), corr_account=corr, city=city, address=address,
        status=_text(info, "ParticipantStatus"),
    )


def ed807_parse(source: Path | IO[bytes], header: dict[str, str] | None = None) -> Iterator[BankRecord]:
    """The banks of an ED807 file, streamed; ValidationError when it is not one.

    `header`, when given, receives the root element's attributes (EDDate: the directory's date).
    The caller has passed the file through `ed807_check` (or `_refuse_markers`) first.
    """
    root_seen = False
    try:
        # Safe without defusedxml: files with DOCTYPE/ENTITY declarations never get here.
        for event, element in ElementTree.iterparse(source, events=("start", "end")):  # noqa: S314
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if element.tag != f"{{{NAMESPACE}}}ED807":
                        raise _not_ed807(_("the root element is %(tag)s") % {"tag": element.tag})
                    if header is not None:
                        header.update(element.attrib)
                continue
            if element.tag == ENTRY:
                record = _record(element)
                element.clear()
                if record is not None:
                    yield record
    except ElementTree.ParseError as exc:
        raise _not_ed807(str(exc)) from exc


def _xml_member(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    members = [info for info in archive.infolist() if info.filename.lower().endswith(".xml")]
    if not members:
        raise ValidationError(_("The archive holds no XML file."), code="no_xml")
    if members[0].file_size > MAX_FILE_SIZE:
        raise ValidationError(_("The file is too large for a BIK directory."), code="too_large")
    return members[0]


@contextmanager
def _xml_source(path: Path) -> Iterator[Path | IO[bytes]]:
    """The XML itself, or the first .xml member of a zip (the Bank of Russia publishes the file zipped)."""
    if not zipfile.is_zipfile(path):
        yield path
        return
    with zipfile.ZipFile(path) as archive, archive.open(_xml_member(archive)) as member:
        yield member


IMPORTS = "imports"  # the uploads waiting for their job, in the files' storage


def _stored_name(file: str) -> str:
    return f"{IMPORTS}/{Path(file).name}"  # only the kept file's own name: no path from the job's params


@contextmanager
def _local_copy(upload: IO[bytes], suffix: str) -> Iterator[Path]:
    """The upload in a temporary file of this machine (zipfile and the checks read a real file)."""
    folder = Path(settings.FILES_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".kontora-banks-", suffix=suffix) as out:
        for chunk in iter(lambda: upload.read(_SCAN_CHUNK), b""):
            out.write(chunk)
        out.flush()
        yield Path(out.name)


def banks_import_start(*, acting_user: User, upload: IO[bytes], filename: str) -> Job:
    """Checks the uploaded file, keeps it in the files' storage (imports/) and starts the import job.

    The storage, not a local folder: with several servers the job may run on another machine (KONTORA_FILES_URL).
    No audit row here: the import (`banks_import`) writes the one row of the upload, with what it changed.
    """
    suffix = ".zip" if filename.lower().endswith(".zip") else ".xml"
    with _local_copy(upload, suffix) as path:
        with _xml_source(path) as source:
            if isinstance(source, Path):
                ed807_check(source)
            else:
                _refuse_markers(source)
        with path.open("rb") as kept:
            name = default_storage.save(_stored_name(f"banks-{uuid.uuid4().hex}{suffix}"), File(kept))
    try:
        return job_start(
            acting_user=acting_user, kind="banks_import", title=_("Import of the BIK directory"),
            params={"file": Path(name).name},
        )
    except Exception:
        upload_forget(name)
        raise


@dataclass(frozen=True)
class BanksImported:
    total: int  # banks in the file
    created: int
    updated: int
    deactivated: int  # known banks the file no longer lists


_VALUE_FIELDS = ("name", "name_key", "corr_account", "city", "address", "status", "is_active")


def _apply(records: list[BankRecord], existing: dict[str, Bank]) -> tuple[int, int]:
    """Writes one batch; the caller's transaction holds it together with the import's checkpoint."""
    created: list[Bank] = []
    changed: list[Bank] = []
    for record in records:
        values = {
            "name": record.name[:300], "name_key": search_key(record.name)[:300],
            "corr_account": record.corr_account[:20], "city": record.city[:200],
            "address": record.address[:500], "status": record.status[:100], "is_active": record.is_active,
        }
        bank = existing.get(record.bik)
        if bank is None:
            bank = Bank(bik=record.bik, **values)
            existing[record.bik] = bank
            created.append(bank)
        elif any(getattr(bank, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(bank, key, value)
            changed.append(bank)
    now = timezone.now()
    for bank in changed:
        bank.changed_at = now  # auto_now is not applied by bulk_update
    Bank.objects.bulk_create(created)
    if changed:
        Bank.objects.bulk_update(changed, [*_VALUE_FIELDS, "changed_at"])
    return len(created), len(changed)


def _no_checkpoint(state: dict[str, Any]) -> None:
    return None


def _directory_date(header: dict[str, str]) -> date:
    """The ED807's EDDate; a file without a readable one is taken as of today (it was just downloaded)."""
    try:
        return date.fromisoformat(header.get("EDDate", "").strip())
    except ValueError:
        return timezone.localdate()


def _directory_dated(day: date) -> None:
    """Records the date of the directory the banks now come from (the one row of BankDirectory)."""
    BankDirectory.objects.update_or_create(
        pk=1, defaults={"directory_date": day, "imported_at": timezone.now()},
    )


def banks_import(
    *, acting_user: User | None, file: str, progress: Callable[[int, int | None, str], None],
    resume: dict[str, Any] | None = None, checkpoint: Callable[[dict[str, Any]], None] = _no_checkpoint,
) -> BanksImported:
    """Upserts the kept file's banks by BIK and makes the banks it no longer lists inactive; removes the file.

    The banks are saved in batches, each its own transaction, with `progress` called between them (the job's
    page shows it; a cancel stops the import there); the deactivation and the audit row close the import in one
    transaction. Each of those transactions saves the import's `checkpoint` with its work, so an import taken over
    from a run that died (`resume`: the last checkpoint) goes on after the last batch committed, counts what
    the dead run wrote, and closes the import once. Raises ValidationError when the file is not a BIK directory
    or lists no banks.
    """
    state = dict(resume or {})
    if "result" in state:  # closed by the run that died, before it could record the job's end
        return BanksImported(**state["result"])
    name = _stored_name(file)
    with upload_used(name):
        progress(0, None, _("Reading the file"))
        with closing(stored_open(name).stream) as stored, _local_copy(stored, Path(name).suffix) as path, \
                _xml_source(path) as source:
            header: dict[str, str] = {}
            records: dict[str, BankRecord] = {record.bik: record for record in ed807_parse(source, header)}
        if not records:
            raise ValidationError(_("The file lists no banks."), code="empty")
        existing = {bank.bik: bank for bank in Bank.objects.all()}
        # The banks this import made are among the file's records: they are never taken for banks it no longer lists.
        known = set(existing)
        batch = list(records.values())  # the file's order: the same batches on every run
        created, updated = int(state.get("created", 0)), int(state.get("updated", 0))
        total = len(batch)
        for start in range(int(state.get("next", 0)), total, BATCH_SIZE):
            with transaction.atomic():
                c, u = _apply(batch[start:start + BATCH_SIZE], existing)
                created, updated = created + c, updated + u
                checkpoint({"next": start + BATCH_SIZE, "created": created, "updated": updated})
            progress(min(start + BATCH_SIZE, total), total, _("Saving banks"))
        gone = [existing[bik].pk for bik in known - set(records) if existing[bik].is_active]
        result = BanksImported(total=total, created=created, updated=updated, deactivated=len(gone))
        directory_date = _directory_date(header)
        with transaction.atomic():
            for start in range(0, len(gone), BATCH_SIZE):
                Bank.objects.filter(pk__in=gone[start:start + BATCH_SIZE]).update(is_active=False)
            _directory_dated(directory_date)
            audit_record(
                actor=acting_user, event="directories.bank.import", summary=_("BIK directory imported"),
                extra={"total": total, "created": created, "updated": updated, "deactivated": len(gone),
                       "directory_date": directory_date.isoformat()},
            )
            checkpoint({"result": asdict(result)})
    return result

