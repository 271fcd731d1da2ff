"""What every renderer shares: the `Format` record, the row cap of the paged formats and the file's name."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kontora.core.errors import Refused
from kontora.reports.framework.result import Result, materialised

PAGED_CAP = 2_500
# Above this many rows (or when the count is not known) a file that is not streamed is written by a job — it would
# take more than a second or so — and collected from the job's page or «Мои задания». A streamed format never is: its
# download starts at once and grows as the rows are read.
PAGED_NOW, WRITTEN_NOW = 200, 5_000


@dataclass(frozen=True)
class Format:
    code: str
    label: str | Promise
    extension: str
    content_type: str
    write: Callable[[Result, IO[bytes]], str | None]  # answers another extension when it wrote one (a ZIP)
    stream: Callable[[Result], Iterator[bytes]] | None = None  # the text formats: pieces as they are written
    paged: bool = False  # laid out in memory: at most PAGED_CAP rows

    @property
    def rows_now(self) -> int | None:
        """At most this many rows are written in the request, more by a job; None: any number (streamed)."""
        if self.stream is not None:
            return None
        return PAGED_NOW if self.paged else WRITTEN_NOW

    def runs_as_job(self, rows: int | None) -> bool:
        """Whether a file of this many rows (None: not known) is written by a job rather than in the request (a
        paged file of more rows than it takes is refused in the request, with the advice what to take)."""
        limit = self.rows_now
        if limit is None or (self.paged and rows is not None and rows > PAGED_CAP):
            return False
        return rows is None or rows > limit


def capped(result: Result) -> Result:
    """The result materialised for a paged format, or `Refused` past PAGED_CAP rows."""
    if result.rows is not None and result.rows > PAGED_CAP:
        raise Refused(too_long(result.rows))
    return materialised(result, cap=PAGED_CAP, too_many=lambda: too_long(None))


def too_long(rows: int | None) -> str:
    cap = number_format(PAGED_CAP, force_grouping=True)
    if rows is None:
        return _("The report has more than %(cap)s rows, too many for this format. Export it to Excel (XLSX) or "
                 "CSV, or narrow the parameters.") % {"cap": cap}
    return _("The report has %(rows)s rows, more than the %(cap)s this format can take. Export it to Excel (XLSX) "
             "or CSV, or narrow the parameters.") % {"rows": number_format(rows, force_grouping=True), "cap": cap}


def file_name(result: Result, extension: str) -> str:
    """«Статистика-по-событиям-2026-12-04-1015.xlsx»: the title and the moment it was generated."""
    word = re.sub(r"[^\w-]+", "-", result.title).strip("-")[:60] or "report"
    return f"{word}-{result.generated_at:%Y-%m-%d-%H%M}.{extension}"
