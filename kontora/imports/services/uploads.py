"""The import's steps as jobs (IMP-01 … IMP-04): the page never loads, checks or undoes a file inside its request —
100,000 rows take ~12 s to load, past the request's time budget (core.budget) — it keeps the upload in the files'
storage (the worker may run on another machine) and queues a job; the page then shows the job's progress.

A load is told apart from a wrong file before anything is kept: a file that is not a spreadsheet of its kind (a
picture or a Word document renamed) is refused at once, next to the file field.

A kept file never outlives its use: it goes when the import is written (or rolled back), when the user deletes an
import that has not started writing (`import_delete`: its staged rows go too), and when every import that names it
has been left untouched for `IMPORT_UPLOAD_KEEP_DAYS` (`import_uploads_expire`, hourly): such an import keeps its
staged rows and may still be checked and written, only not loaded again."""

from __future__ import annotations

import uuid
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core.audit import audit_record
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import Job
from kontora.core.services.jobs import job_start
from kontora.core.services.storage import stored_delete, stored_delete_later
from kontora.imports.models import Import
from kontora.imports.policies import may_import
from kontora.imports.selectors import sheets
from kontora.imports.services.loading import EDITABLE, not_allowed, own_import_locked, rows_forget

LOAD_JOB = "imports_load"
CHECK_JOB = "imports_check"
UNDO_JOB = "imports_undo"
UPLOADS = "imports"  # uploads waiting for their jobs, in the files' storage
# What a workbook's file starts with: a zip (xlsx, ods) or an OLE compound document (xls).
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_UNFINISHED = (Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.CANCELLING)
EXPIRE_BATCH = 200  # kept files let go per run of the clean-up (the rest at the next)


def _sniffed(data: bytes, filename: str) -> None:
    """Refuses what is plainly no spreadsheet of its kind, from its first bytes, without reading the sheet (that is
    the job's: a big workbook takes seconds)."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix not in sheets.KINDS:
        raise Refused(_("Choose a file .xlsx, .xls, .ods or .csv."))
    if suffix == sheets.CSV:
        if b"\x00" in data[: sheets.SAMPLE_BYTES]:
            raise Refused(_("The file “%(file)s” is not a spreadsheet.") % {"file": filename})
    elif not data.startswith(_MAGIC):
        raise Refused(_("The file “%(file)s” is not a spreadsheet.") % {"file": filename})
    if not data.strip():
        raise Refused(_("The file “%(file)s” is empty.") % {"file": filename})


def import_upload_start(*, acting_user: User, upload: IO[bytes], filename: str) -> Job:
    """Keeps the uploaded file and queues its load (the mapping proposed from its header, the automatic processing
    with every part on). Refused without the right, for a file too large or not a spreadsheet: nothing is kept."""
    if not may_import(acting_user):
        raise not_allowed()
    limit = sheets.max_file_bytes()
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise Refused(_("The file is larger than %(size)d MB.") % {"size": limit // (1024 * 1024)})
    filename = Path(filename).name[:200] or "import"
    _sniffed(data, filename)
    name = default_storage.save(f"{UPLOADS}/import-{uuid.uuid4().hex}{Path(filename).suffix.lower()}",
                                ContentFile(data))
    try:
        return job_start(acting_user=acting_user, kind=LOAD_JOB, params={"file": name, "filename": filename},
                         title=_("Loading clients from %(file)s") % {"file": filename})
    except Exception:
        stored_delete(name)
        raise


def _own(acting_user: User, run: Import) -> None:
    if not may_import(acting_user):
        raise not_allowed()
    if run.author_id != acting_user.pk:
        raise NotAllowed


def import_reload_start(*, acting_user: User, run: Import, choices: dict[str, Any]) -> Job:
    """Loads the kept file again with the user's choices (sheet, a CSV's encoding and delimiter, the mapping, the
    header, the automatic processing's options) as a new import that replaces this one (cancelled once the new one
    is loaded)."""
    _own(acting_user, run)
    if run.state not in EDITABLE:
        raise Refused(_("The import has started: its file can no longer be loaded again."))
    if not run.upload:
        raise Refused(_("The file is no longer kept: upload it again."))
    return job_start(acting_user=acting_user, kind=LOAD_JOB,
                     params={"file": run.upload, "filename": run.filename, "replaces": run.pk, **choices},
                     title=_("Loading clients from %(file)s") % {"file": run.filename})


def import_check_start(*, acting_user: User, run: Import, match_key: str, on_match: str, status_id: int | None,
                       priority_id: int | None) -> Job:
    """Queues the dry run (`checking.import_check`) with the step 3 choices."""
    _own(acting_user, run)
    if run.state not in EDITABLE:
        raise Refused(_("The import has started: it can no longer be checked again."))
    return job_start(acting_user=acting_user, kind=CHECK_JOB,
                     params={"import": run.pk, "match_key": match_key, "on_match": on_match, "status": status_id,
                             "priority": priority_id},
                     title=_("Checking the import of %(file)s") % {"file": run.filename})


def import_undo_start(*, acting_user: User, run: Import) -> Job:
    """Queues the undo (`writing.import_undo`): it deletes or restores clients a batch at a time."""
    _own(acting_user, run)
    if run.state != Import.State.DONE:
        raise Refused(_("Only a finished import can be undone."))
    return job_start(acting_user=acting_user, kind=UNDO_JOB, params={"import": run.pk},
                     title=_("Undoing the import of %(file)s") % {"file": run.filename})


def import_upload_forget(*, import_id: int) -> None:
    """The kept file of a written (or rolled back) import leaves the storage: nothing loads it again. The imports it
    was loaded for (a load again is another import of the same file) forget its name."""
    name = Import.objects.filter(pk=import_id).values_list("upload", flat=True).first()
    if not name:
        return
    with transaction.atomic():
        Import.objects.filter(upload=name).update(upload="")
        stored_delete_later([name])


def upload_discard(name: str) -> None:
    """A kept file no import names (its first load failed): removed at once."""
    with suppress(OSError):  # a file the storage would not delete must not hide the load's own error
        stored_delete(name)


def upload_name(name: str) -> str:
    """The kept file's name in the storage, from a job's params: only its own name under the uploads' folder."""
    return f"{UPLOADS}/{Path(name).name}"


def _busy(run: Import) -> bool:
    """A load again or a dry run of this import is queued or running: it reads the import and its file."""
    return run.state == Import.State.CHECKING or Job.objects.filter(
        Q(kind=LOAD_JOB, params__replaces=run.pk) | Q(kind=CHECK_JOB, params__import=run.pk),
        status__in=_UNFINISHED).exists()


def _release(name: str, *, but: int) -> None:
    """Inside the caller's transaction: the kept file goes unless an import other than `but` may still load it
    again; the imports that named it forget it."""
    if not name or Import.objects.filter(upload=name, state__in=EDITABLE).exclude(pk=but).exists():
        return
    Import.objects.filter(upload=name).update(upload="")
    stored_delete_later([name])


def import_delete(*, acting_user: User, import_id: int) -> None:
    """«Удалить»: an import that has not started writing (loaded, checked, or dropped before its run) is deleted with
    its staged rows and its kept file (unless a load again of the same file still needs it); the audit row stays.
    Refused once it has started writing (undo it instead) and while its load again or dry run is under way."""
    with transaction.atomic():
        run = own_import_locked(acting_user, import_id)
        if run.started_at is not None or run.state not in (*EDITABLE, Import.State.CHECKING, Import.State.CANCELLED):
            raise Refused(_("The import has started writing: it can no longer be deleted, only undone."))
        if _busy(run):
            raise Refused(_("The import is being loaded again or checked: delete it when that job has ended."))
        audit_record(actor=acting_user, event="imports.import.delete", target=run,
                     summary=_("Import deleted: %(file)s") % {"file": run.filename},
                     extra={"rows": run.rows_total})
        # Out of the steps at once (no start, no edit), then its rows go a batch at a time.
        run.state, run.finished_at = Import.State.CANCELLED, run.finished_at or timezone.now()
        run.save(update_fields=["state", "finished_at"])
        _release(run.upload, but=run.pk)
    rows_forget(run.pk)


def upload_keep_days() -> int:
    return max(1, int(getattr(settings, "IMPORT_UPLOAD_KEEP_DAYS", 7)))


def import_uploads_expire(*, now: datetime | None = None) -> int:
    """The periodic clean-up: the kept files of imports left untouched (not loaded, checked or finished) for
    `IMPORT_UPLOAD_KEEP_DAYS` leave the storage — a file only when every import naming it is that old and no job is
    about to read it. Each import that loses its file gets an audit row. Returns how many files went."""
    cutoff = (now or timezone.now()) - timedelta(days=upload_keep_days())
    fresh = Import.objects.exclude(upload="").filter(
        Q(created_at__gte=cutoff) | Q(checked_at__gte=cutoff) | Q(finished_at__gte=cutoff)
        | Q(state__in=(Import.State.CHECKING, Import.State.RUNNING))).values("upload")
    reading = {upload_name(str(params.get("file", ""))) for params in Job.objects.filter(
        kind=LOAD_JOB, status__in=_UNFINISHED).values_list("params", flat=True) if isinstance(params, dict)}
    names = [name for name in Import.objects.exclude(upload="").exclude(upload__in=fresh)
             .order_by("upload").values_list("upload", flat=True).distinct()[:EXPIRE_BATCH] if name not in reading]
    for name in names:
        with transaction.atomic():
            for run in Import.objects.filter(upload=name):
                audit_record(actor=None, event="imports.import.upload_expire", target=run,
                             summary=_("The file of the import was removed after %(days)d days untouched: %(file)s")
                             % {"days": upload_keep_days(), "file": run.filename})
            Import.objects.filter(upload=name).update(upload="")
            stored_delete_later([name])
    return len(names)
