"""Export of the client registry to CSV or XLSX: which rows, and the files (ACL-06, ACL-03).

What leaves the server is exactly what the registry shows the user: `selectors.registry_queryset` (the
clients the user sees, under the active filter) or the user's marks re-scoped through `visible_clients`,
so a private client of another curator can never be written to a file. The columns beyond the registry's (full
name, INN, KPP, address, e-mail) are card data: they are filled only for clients the user may open, and left
empty for those he may only list.

Memory stays flat on a million rows: rows are read with `.iterator(chunk_size=2000)`; CSV is streamed to
the response as it is written, XLSX is streamed by kontora.core.xlsx into a temporary file.
The log row (`services.exports.client_export_start`) is written before the first client row, so even an aborted
download is on record; the writers report the number of rows actually written to `finished` when they stop
(the view hands in `services.exports.client_export_finish`).
"""

from __future__ import annotations

import datetime
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.clients import access
from kontora.clients.access import visible_clients
from kontora.clients.models import Client, ClientExport
from kontora.clients.selectors.registry import registry_queryset
from kontora.clients.selectors.sorting import DEFAULT_SORT, SORTS, parse_sort, sort_ordering
from kontora.core.csvfile import BOM, Pieces, neutralise
from kontora.core.ui.pager import Keyset, Page
from kontora.core.xlsx import XlsxWriter

NEWEST_FIRST = Keyset("-at", "-id")

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CHUNK = 2000
CSV_BATCH = 200  # rows per streamed piece: fewer tiny writes to the socket


ROW_FIELDS = (
    "id", "code", "short_name", "full_name", "inn", "kpp", "address", "phone", "email", "changed_at",
    "name_key", "city_key", "curator_id", "status_id", "settlement_id",
    "settlement__name", "curator__full_name", "status__name",
)

HEADERS = (
    gettext_lazy("Code"), gettext_lazy("Client short name"), gettext_lazy("Client full name"), gettext_lazy("INN"),
    gettext_lazy("KPP"), gettext_lazy("City"), gettext_lazy("Address"), gettext_lazy("Phones"),
    gettext_lazy("E-mail"), gettext_lazy("Curator"), gettext_lazy("Status"), gettext_lazy("Changed"),
)


Finished = Callable[[int], None]  # told the number of client rows written when a writer stops


@dataclass(frozen=True)
class ExportScope:
    """Which clients an export takes, in which order, and how the log names the selection."""

    queryset: QuerySet[Client]
    description: str


def _ordering(sort: str) -> list[Any]:
    """The registry's own order for `sort` (the same keys, directions and NULL placement as its pages)."""
    parsed = parse_sort(sort) or parse_sort(DEFAULT_SORT)
    assert parsed is not None
    column, descending = parsed
    return sort_ordering(SORTS[column], descending)


def export_scope(
    *, fetched_by: Any, sort: str, filter_q: Q | None = None, filter_label: str = "",
    marked: list[int] | None = None,
) -> ExportScope:
    """The clients of an export: the registry's (under the active filter) or, with `marked`, the marked ones.

    Marked ids come from the session; they are re-scoped through `visible_clients` here so that a stale or
    forged mark never reaches a client the user no longer sees.
    """
    if marked is not None:
        qs = visible_clients(fetched_by).filter(pk__in=[int(pk) for pk in marked])
        description = _("marked clients")
    else:
        qs = registry_queryset(fetched_by=fetched_by, filter_q=filter_q)
        description = filter_label or _("all visible clients")
    qs = (qs.select_related("curator", "status", "settlement").only(*ROW_FIELDS)
          .annotate(k_opens=access.opens_flag(fetched_by)).order_by(*_ordering(sort)))
    return ExportScope(queryset=qs, description=description[:500])


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    return None if moment is None else timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _cells(client: Client, *, for_csv: bool) -> list[Any]:
    """One client as the export's columns: texts as typed (neutralised for CSV), the code a number, the change
    time a datetime. The card's columns stay empty for a client the user may list but not open."""
    opens = bool(getattr(client, "k_opens", False))
    texts = (
        client.short_name, client.full_name if opens else "", client.inn if opens else "",
        client.kpp if opens else "", client.settlement.name if client.settlement else "",
        client.address if opens else "", client.phone, client.email if opens else "",
        client.curator.full_name if client.curator else "", client.status.name if client.status else "",
    )
    short_name, full_name, inn, kpp, city, address, phone, email, curator, status = (
        neutralise(str(t or "")) if for_csv else str(t or "") for t in texts
    )
    return [client.code, short_name, full_name, inn, kpp, city, address, phone, email, curator, status,
            _local(client.changed_at)]


def csv_stream(scope: ExportScope, *, finished: Finished) -> Iterator[bytes]:
    """The CSV file piece by piece: UTF-8 with BOM and ";" so that Excel in a Russian locale opens it as is.

    `finished` learns how many client rows were written when the stream ends — also when the browser
    drops the download half-way (the generator is closed then).
    """
    written = 0
    line = Pieces()
    try:
        line.row([str(h) for h in HEADERS])
        yield (BOM + line.take()).encode("utf-8")
        batch = 0
        for client in scope.queryset.iterator(chunk_size=CHUNK):
            cells = _cells(client, for_csv=True)
            changed = cells[-1]
            cells[-1] = changed.strftime("%d.%m.%Y %H:%M") if changed else ""
            line.row(cells)
            written += 1
            batch += 1
            if batch >= CSV_BATCH:
                yield line.take().encode("utf-8")
                batch = 0
        rest = line.take()
        if rest:
            yield rest.encode("utf-8")
    finally:
        finished(written)


def xlsx_write(scope: ExportScope, target: IO[bytes], *, finished: Finished) -> int:
    """The XLSX workbook into `target`, streamed row by row (kontora.core.xlsx)."""
    written = 0
    try:
        with XlsxWriter(target, sheet=_("Clients"), frozen_rows=1) as workbook:
            workbook.header([str(h) for h in HEADERS])
            for client in scope.queryset.iterator(chunk_size=CHUNK):
                # Texts are written as typed, as inline strings: nothing becomes a formula.
                workbook.row(_cells(client, for_csv=False))
                written += 1
    finally:
        finished(written)
    return written


def xlsx_file(scope: ExportScope, *, finished: Finished) -> IO[bytes]:
    """A temporary file holding the workbook, positioned at its start (deleted when closed)."""
    target = tempfile.TemporaryFile()  # the response closes (and so deletes) it
    try:
        xlsx_write(scope, target, finished=finished)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def file_name(fmt: str, *, now: datetime.datetime | None = None) -> str:
    """"клиенты-2026-11-28-2215.csv": the translated word, the local time; nothing a file system refuses."""
    moment = timezone.localtime(now or timezone.now())
    word = re.sub(r"[^\w-]+", "-", _("clients")).strip("-") or "clients"
    return f"{word}-{moment:%Y-%m-%d-%H%M}.{fmt}"



def client_export_log(*, cursor: Mapping[str, str], size: int = 50) -> Page[ClientExport]:
    """Administration → the client export log: newest first, one keyset page from `cursor` (core.ui.pager)."""
    return NEWEST_FIRST.page(ClientExport.objects.select_related("user"), cursor, size=size)
