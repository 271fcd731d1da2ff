"""The import's steps as jobs (IMP-01 … IMP-04): the page never loads, checks or undoes a file inside its request —
100,000 rows take ~12 s to load, past the request's time budget (core.budget) — it keeps the upload in the files'
storage (the worker may run on another machine) and queues a job; the page then shows the job's progress.

A load is told apart from a wrong file before anything is kept: a file that is not a spreadsheet of its kind (a
picture or a Word document renamed) is refused at once, next to the file field."""

from __future__ import annotations

import uuid
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import Job
from kontora.core.services.jobs import job_start
from kontora.core.services.storage import stored_delete, stored_delete_later
from kontora.imports.models import Import
from kontora.imports.policies import may_import
from kontora.imports.selectors import sheets
from kontora.imports.services.loading import EDITABLE, not_allowed

LOAD_JOB = "imports_load"
CHECK_JOB = "imports_check"
UNDO_JOB = "imports_undo"
UPLOADS = "imports"  # uploads waiting for their jobs, in the files' storage
# What a workbook's file starts with: a zip (xlsx, ods) or an OLE compound document (xls).
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


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
