"""Populated places from the official classifier: an administrator's upload of OKTMO (ОК 033-2013) as Rosstat
publishes it in open data — a CSV of `code1;code2;code3;code4;check digit;section;name;…` (13 fields, no header,
windows-1251 or UTF-8). Section 2 lists the populated places: «01;601;402;101;…;2;с Безголосово»; the row
`code1;code2;000;000` of section 1 names the municipal district or okrug they lie in («Алейский муниципальный
район»); the first digits name the region (`data/oktmo.py`).

`settlements_import_start` checks and keeps the upload and queues the job; the job's handler
(`tasks.settlements_import_run`) calls `settlements_import`, which adds the places it does not know and updates
those it does, keyed by the 11-digit OKTMO code (so a second run adds nothing), in batches with checkpoints as the
BIK import does, and writes one audit row. A row that cannot be read is reported with its line number and skipped;
a file with no populated place at all is refused.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core.audit import audit_record
from kontora.core.services.jobs import job_start
from kontora.core.services.storage import stored_open
from kontora.core.text import search_key
from kontora.directories.data.oktmo import region_code
from kontora.directories.models import Region, Settlement
from kontora.directories.services.uploads import upload_forget, upload_used
from kontora.directories.services.words import SETTLEMENTS, words_rewrite

if TYPE_CHECKING:
    from kontora.core.models import Job

MAX_FILE_SIZE = 100 * 1024 * 1024  # the whole classifier is ~20 MB
BATCH_SIZE = 500
IMPORTS = "imports"  # uploads waiting for their job, in the files' storage (the worker may be another machine)
WIDTHS = (2, 3, 3, 3)  # the code's parts: region, municipality, settlement (поселение), populated place
KIND = re.compile(r"[а-яё][а-яё./_-]*")  # «с», «пгт», «ж/д_ст», «ст-ца»: the type before a place's name
_NAME, _KIND, _AREA = (getattr(Settlement._meta.get_field(name), "max_length", 200)
                       for name in ("name", "kind", "area"))


@dataclass(frozen=True)
class Place:
    """A populated place of the file (section 2) with the line it came from."""

    oktmo: str
    kind: str
    name: str
    line: int


@dataclass
class Parsed:
    places: dict[str, Place] = field(default_factory=dict)  # by OKTMO code: a code listed twice counts once, the last
    districts: dict[str, str] = field(default_factory=dict)  # the first 5 digits → the district's name
    bad: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


@dataclass(frozen=True)
class SettlementsImported:
    total: int  # populated places in the file
    created: int
    updated: int
    unknown_region: int  # places of subjects the regions directory does not list (Байконур)
    bad: list[tuple[int, str]]  # rows skipped: (line, reason)


def _not_oktmo() -> ValidationError:
    return ValidationError(
        _("This is not an OKTMO file as Rosstat publishes it: expected lines of fields separated by “;” — the "
          "four parts of the code, the check digit, the section and the name."), code="not_oktmo")


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "windows-1251"):
        with suppress(UnicodeDecodeError):
            return data.decode(encoding)
    raise _not_oktmo()


def _code(row: list[str]) -> str | None:
    parts = [cell.strip() for cell in row[:4]]
    if all(len(part) == width and part.isascii() and part.isdigit() for part, width in zip(parts, WIDTHS, strict=True)):
        return "".join(parts)
    return None


def _split_name(text: str) -> tuple[str, str]:
    """«с Безголосово» → («с», «Безголосово»); a name without a type before it stays whole."""
    head, _space, rest = text.partition(" ")
    if rest.strip() and KIND.fullmatch(head) and len(head) <= _KIND:
        return head, rest.strip()
    return "", text


def oktmo_parse(text: str) -> Parsed:
    """The populated places and district names of an OKTMO file; bad rows with their line numbers."""
    parsed = Parsed()
    reader = csv.reader(io.StringIO(text), delimiter=";", quotechar='"')
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 7:
            parsed.bad.append((line, _("expected at least 7 fields separated by “;”, found %(count)d")
                               % {"count": len(row)}))
            continue
        code = _code(row)
        if code is None:
            if line == 1:
                continue  # a header line some exports add
            parsed.bad.append((line, _("“%(code)s” is not an OKTMO code (2, 3, 3 and 3 digits)")
                               % {"code": ";".join(cell.strip() for cell in row[:4])[:40]}))
            continue
        section, name = row[5].strip(), " ".join(row[6].split())
        if not name:
            parsed.bad.append((line, _("the name is empty")))
            continue
        if section == "1" and code[5:] == "000000":
            parsed.districts[code[:5]] = name[:_AREA]
        elif section == "2" and code[8:] != "000":
            kind, place = _split_name(name)
            if len(place) > _NAME:
                parsed.bad.append((line, _("the name is longer than %(max)d characters") % {"max": _NAME}))
                continue
            parsed.places[code] = Place(oktmo=code, kind=kind, name=place, line=line)
    return parsed


def _check_upload(data: bytes) -> None:
    """Refuses a file that is not an OKTMO file at all, before it is kept: what the administrator chose by mistake
    is told at once, under the file field, not in a failed job."""
    if len(data) > MAX_FILE_SIZE:
        raise ValidationError(_("The file is too large for the OKTMO classifier."), code="too_large")
    rows = oktmo_parse(_text(data[:64 * 1024].rsplit(b"\n", 1)[0] if len(data) > 64 * 1024 else data))
    if not rows.places and not rows.districts:
        raise _not_oktmo()


def settlements_import_start(*, acting_user: User, upload: IO[bytes], filename: str) -> Job:
    """Checks the uploaded file, keeps it in the files' storage and starts the import job. No audit row here: the
    import writes the one row of the upload, with what it changed."""
    data = upload.read(MAX_FILE_SIZE + 1)
    _check_upload(data)
    name = default_storage.save(f"{IMPORTS}/oktmo-{uuid.uuid4().hex}.csv", ContentFile(data))
    try:
        return job_start(acting_user=acting_user, kind="settlements_import",
                         title=_("Import of populated places (OKTMO)"), params={"file": Path(name).name})
    except Exception:
        upload_forget(name)
        raise


def _known(codes: list[str]) -> tuple[dict[str, Settlement], dict[tuple[str, str], Settlement]]:
    """The places already in the directory for these codes: by their full code, and the shipped towns that carry
    only their municipality's 8 digits (Троицк «45931000»), by (those digits, name key)."""
    shorts = {code[:8] for code in codes}
    rows = Settlement.objects.filter(Q(oktmo__in=codes) | Q(oktmo__in=shorts)).order_by("pk")
    full: dict[str, Settlement] = {}
    short: dict[tuple[str, str], Settlement] = {}
    for place in rows:
        if len(place.oktmo) == 11:
            full.setdefault(place.oktmo, place)
        else:
            short.setdefault((place.oktmo, place.name_key), place)
    return full, short


def _area(parsed: Parsed, place: Place) -> str:
    """The district or okrug a place lies in, unless it is named after the place itself (the town of a town
    okrug: «город Барнаул» around Барнаул)."""
    area = parsed.districts.get(place.oktmo[:5], "")
    return "" if search_key(place.name) in search_key(area).split() else area


def _apply(batch: list[Place], parsed: Parsed, regions: dict[str, int]) -> tuple[int, int]:
    """One batch; the caller's transaction holds it together with the import's checkpoint."""
    full, short = _known([place.oktmo for place in batch])
    created: list[Settlement] = []
    changed: list[Settlement] = []
    renamed: list[int] = []
    for place in batch:
        key = search_key(place.name)[:_NAME]
        values: dict[str, Any] = {"region_id": regions[place.oktmo], "name": place.name, "name_key": key,
                                  "kind": place.kind, "area": _area(parsed, place), "oktmo": place.oktmo}
        current = full.get(place.oktmo) or short.get((place.oktmo[:8], key))
        if current is None:
            created.append(Settlement(**values))
        elif any(getattr(current, key) != value for key, value in values.items()):
            if current.name_key != values["name_key"]:
                renamed.append(current.pk)
            for key, value in values.items():
                setattr(current, key, value)
            changed.append(current)
    Settlement.objects.bulk_create(created)
    if changed:
        Settlement.objects.bulk_update(changed, ["region_id", "name", "name_key", "kind", "area", "oktmo"])
    words_rewrite(SETTLEMENTS, [place.pk for place in created] + renamed)
    return len(created), len(changed)


def _no_checkpoint(state: dict[str, Any]) -> None:
    return None


def _read(name: str) -> str:
    with closing(stored_open(name).stream) as stored:
        return _text(stored.read(MAX_FILE_SIZE + 1))


def settlements_import(
    *, acting_user: User | None, file: str, progress: Callable[[int, int | None, str], None],
    resume: dict[str, Any] | None = None, checkpoint: Callable[[dict[str, Any]], None] = _no_checkpoint,
) -> SettlementsImported:
    """Adds the kept file's populated places the directory lacks and updates those it has (by OKTMO code: region,
    type, name, district), in batches each with the import's `checkpoint` — a run taken over from one that died
    (`resume`) goes on after the last batch committed —, then writes the audit row; removes the file. Places are
    never deleted or deactivated: a file of one region leaves the others as they are. Raises ValidationError when
    the file lists no populated place."""
    state = dict(resume or {})
    name = f"{IMPORTS}/{Path(file).name}"  # only the kept file's own name: no path from the job's params
    if "result" in state:  # closed by the run that died, before it could record the job's end
        upload_forget(name)
        kept = dict(state["result"])
        return SettlementsImported(**{**kept, "bad": [(int(line), str(reason)) for line, reason in kept["bad"]]})
    with upload_used(name):
        progress(0, None, _("Reading the file"))
        parsed = oktmo_parse(_read(name))
        region_ids = dict(Region.objects.values_list("code", "pk"))
        regions: dict[str, int] = {}
        for code in parsed.places:
            region = region_ids.get(region_code(code) or "")
            if region is not None:
                regions[code] = region
        batch = [place for code, place in parsed.places.items() if code in regions]  # the file's order, every run
        if not batch:
            raise ValidationError(_("The file lists no populated place of the directory's regions."), code="empty")
        created, updated = int(state.get("created", 0)), int(state.get("updated", 0))
        total = len(batch)
        for start in range(int(state.get("next", 0)), total, BATCH_SIZE):
            with transaction.atomic():
                c, u = _apply(batch[start:start + BATCH_SIZE], parsed, regions)
                created, updated = created + c, updated + u
                checkpoint({"next": start + BATCH_SIZE, "created": created, "updated": updated})
            progress(min(start + BATCH_SIZE, total), total, _("Saving populated places"))
        result = SettlementsImported(total=len(parsed.places), created=created, updated=updated,
                                     unknown_region=len(parsed.places) - total, bad=parsed.bad)
        with transaction.atomic():
            audit_record(
                actor=acting_user, event="directories.settlement.import",
                summary=_("Populated places imported from OKTMO"),
                extra={"total": result.total, "created": created, "updated": updated,
                       "unknown_region": result.unknown_region, "bad_rows": len(parsed.bad)},
            )
            checkpoint({"result": asdict(result)})
    return result


def bad_rows(result: SettlementsImported) -> Iterator[str]:
    """The skipped rows as the job's page lists them: «Строка 17: …»."""
    for line, reason in result.bad:
        yield _("Line %(line)d: %(reason)s") % {"line": line, "reason": reason}

