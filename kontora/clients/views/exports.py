"""Export of the client registry (right "export_clients") and the administrator's export log (ACL-06)."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from kontora.clients.flexi.selectors.session import active_filter as session_filter
from kontora.clients.forms.exports import ExportForm
from kontora.clients.models import ClientExport
from kontora.clients.selectors import exports
from kontora.clients.selectors.sorting import default_sort, session_sort
from kontora.clients.services.exports import client_export_finish, client_export_start
from kontora.clients.views.registry import session_marks
from kontora.core.middleware import client_ip
from kontora.core.permissions import admin_required, right_required

LOG_PAGE_SIZE = 50


def active_filter(request: HttpRequest) -> tuple[Q | None, str]:
    """The registry's active Flexi-filter (condition, label), or (None, "") when none is applied."""
    current = session_filter(request)
    if current is None:
        return None, ""
    return current.q, str(current.label)


@right_required("export_clients")
@require_http_methods(["GET", "POST"])
def export_clients(request: HttpRequest) -> HttpResponse:
    """GET: the export dialog; POST: the file, streamed, with its row in the export log."""
    user: Any = request.user
    filter_q, filter_label = active_filter(request)
    marked = session_marks(request)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["what"] == "marked" and not marked:
            form.add_error("what", _("No client is marked in the registry: mark clients with Space first."))
        else:
            scope = exports.export_scope(
                fetched_by=user, sort=session_sort(request.session, default_sort(user)),
                filter_q=filter_q, filter_label=filter_label,
                marked=marked if form.cleaned_data["what"] == "marked" else None,
            )
            fmt = form.cleaned_data["format"]
            log = client_export_start(acting_user=user, fmt=fmt, description=scope.description,
                                      address=client_ip(request))
            # The log row learns how many rows were written when the writer stops.
            finished = partial(_finished, user, log)
            # The policy decorators are typed for HttpResponse; a file answer streams (StreamingHttpResponse).
            return cast(HttpResponse, _file_response(scope, fmt, finished))
    return render(request, "clients/export.html", {
        "title": _("Export clients"), "form": form, "filter_label": filter_label, "marked_count": len(marked),
    })


def _finished(user: Any, log: ClientExport, rows: int) -> None:
    client_export_finish(acting_user=user, export=log, rows=rows)


def _file_response(scope: exports.ExportScope, fmt: str, finished: exports.Finished) -> HttpResponseBase:
    name = exports.file_name(fmt)
    response: HttpResponseBase
    if fmt == exports.CSV:
        response = StreamingHttpResponse(exports.csv_stream(scope, finished=finished),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, name)
    else:
        response = FileResponse(
            exports.xlsx_file(scope, finished=finished), as_attachment=True, filename=name,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@admin_required
@require_GET
def export_log(request: HttpRequest) -> HttpResponse:
    """Administration → the client export log: newest first, 50 a page."""
    page = exports.client_export_log(cursor=request.GET, size=LOG_PAGE_SIZE)
    return render(request, "clients/admin_exports.html", {
        "entries": page.rows, "nav": page.nav(reverse("clients:admin_exports")),
    })
