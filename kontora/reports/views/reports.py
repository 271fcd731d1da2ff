"""A report's page: its parameters form; with «Сформировать» the result on screen; with `format` the same result
as a file (RPT-04). Everything is a GET, so a report's address can be kept and its files asked for with the same
parameters."""

from __future__ import annotations

import tempfile
from itertools import islice
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.http import content_disposition_header, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.core.errors import Refused
from kontora.core.htmx import is_htmx
from kontora.core.printing import html_context
from kontora.core.selectors.jobs import own_done_job
from kontora.core.services.jobs import job_cancellable
from kontora.core.ui.download import stored_attachment
from kontora.core.ui.pager import AFTER, BEFORE
from kontora.reports import services
from kontora.reports.forms.saved import SCREEN, OpenForm
from kontora.reports.framework import edited, saved
from kontora.reports.framework.base import PagedReport, Report
from kontora.reports.framework.render import Format, file_name, formats, table
from kontora.reports.framework.render.htmlfile import chart_urls
from kontora.reports.framework.result import ROW, Result, materialised, walk
from kontora.reports.hooks import REPORTS

RUN, FORMAT, SAVE, EDIT = "run", "format", "save", "edit"
PRINT = "print"  # the edited report as a printable page
SCREEN_LINES = 2_000  # lines drawn on screen; a longer report is read whole in its files


def report_of(slug: str, user: Any) -> Report:
    if slug not in REPORTS:
        raise Http404
    report = REPORTS.get(slug)
    if not report.available(user):
        raise Http404
    return report


@login_required
@require_GET
def report(request: HttpRequest, slug: str) -> HttpResponse:
    user = user_of(request)
    definition = report_of(slug, user)
    asked = definition.asked(request.GET)
    form = definition.form(user, request.GET if asked else None)
    context: dict[str, Any] = {"definition": definition, "form": form, "asked": asked}
    if not (asked and form.is_valid()):
        return render(request, "reports/report.html", context)
    wanted = request.GET.get(FORMAT, "")
    if isinstance(definition, PagedReport) and not (wanted or SAVE in request.GET or EDIT in request.GET):
        return _paged_screen(request, definition, form, context)
    result = definition.build(user, form)
    if SAVE in request.GET:
        try:
            return cast(HttpResponse, saved_response(result))
        except Refused as refusal:
            context["export_error"] = str(refusal)
            result = definition.build(user, form)
    elif EDIT in request.GET:
        try:
            token, whole = edited.signed(result)
        except Refused as refusal:
            context["export_error"] = str(refusal)
            result = definition.build(user, form)
        else:
            return render(request, "reports/edit.html", {
                "definition": definition, "result": whole, "original": token, "formats": formats().values(),
                "charts": chart_urls(whole), "head": mark_safe(table.head(whole.columns)),  # noqa: S308
                "rows": mark_safe("".join(table.editable(whole))),  # noqa: S308 - escaped by `table`
                "back": f"{request.path}?{urlencode({**_query(request), RUN: '1'}, doseq=True)}",
            })
    elif wanted:
        chosen = formats().get(wanted)
        if chosen is None:
            raise Http404
        if result.rows is None and chosen.rows_now is not None:
            try:  # a report that does not know its rows is counted up to the format's limit
                result = materialised(result, cap=chosen.rows_now)
            except Refused:
                result = definition.build(user, form)
        if chosen.runs_as_job(result.rows):
            # Written by a job, started by the format's button (a POST); the result's rows are not read yet.
            context.update(screen(result), export_query=urlencode({**_query(request), RUN: "1"}, doseq=True),
                           export_error=_("A file this big is prepared in the background: press its button."))
            return render(request, "reports/report.html", context, status=422)
        try:
            # The policy decorators are typed for HttpResponse; a file answer may stream.
            return cast(HttpResponse, file_response(result, chosen))
        except Refused as refusal:
            context["export_error"] = str(refusal)
            result = definition.build(user, form)  # the refused file read the rows: read them again for the screen
    context.update(screen(result))
    context["export_query"] = urlencode({**_query(request), RUN: "1"}, doseq=True)
    return render(request, "reports/report.html", context, status=422 if "export_error" in context else 200)


@login_required
@require_POST
def report_job(request: HttpRequest, slug: str) -> HttpResponse:
    """A format's button for a big report: the job that writes its file, for the parameters of the query string;
    its progress bar answers, and the file is collected from it (or from «Мои задания») when it is done."""
    user = user_of(request)
    definition = report_of(slug, user)
    chosen = formats().get(request.GET.get(FORMAT, ""))
    form = definition.form(user, request.GET)
    if chosen is None or not form.is_valid():
        raise Http404
    job = services.report_file_start(acting_user=user, report=definition, query=_query(request), chosen=chosen)
    context = {"job": job, "job_can_cancel": job_cancellable(job)}
    if is_htmx(request):
        return render(request, "reports/partials/file_job.html", context)
    return redirect("core:job", job_id=job.pk)


@login_required
@require_GET
def job_file(request: HttpRequest, job_id: int) -> HttpResponseBase:
    """A report's file a job wrote: to the user who asked for it only (it holds what he may see)."""
    job = own_done_job(user_of(request), job_id, kind=services.FILE_JOB)
    stored_name = str(job.result.get("_file", ""))
    if not stored_name:  # deleted a week after it was prepared
        raise Http404
    response = stored_attachment(stored_name, str(job.result.get("_name", "")))
    response["Cache-Control"] = "private, no-store"
    return response


def _exports(rows: int | None) -> list[tuple[Format, bool]]:
    """Every format's button, and whether its file is written by a job."""
    return [(item, item.runs_as_job(rows)) for item in formats().values()]


def _paged_screen(request: HttpRequest, definition: PagedReport, form: Any, context: dict[str, Any]) -> HttpResponse:
    """A paged report on screen: its first page under the form, and «Показать ещё» asking for the next rows only."""
    result, after = definition.page(user_of(request), form, request.GET, definition.screen_size)
    more = f"{request.path}?{urlencode({**_query(request), RUN: '1', AFTER: after}, doseq=True)}" if after else ""
    if is_htmx(request) and request.GET.get(AFTER):
        return render(request, "reports/partials/more.html", {
            "rows": mark_safe("".join(table.rows(walk(result), result.columns))),  # noqa: S308 - escaped by `table`
            "more_url": more, "span": len(result.columns)})
    context.update(screen(result, whole=False))
    context.update({"export_query": urlencode({**_query(request), RUN: "1"}, doseq=True), "more_url": more,
                    "span": len(result.columns)})
    return render(request, "reports/report.html", context)


@login_required
@require_GET
def client_summary(request: HttpRequest) -> HttpResponse:
    """«Сводная информация по клиенту» from the card's header (?client=<id>)."""
    return report(request, "client-summary")


def _query(request: HttpRequest) -> dict[str, list[str]]:
    """The report's parameters as asked, without the actions."""
    return {name: value for name, value in request.GET.lists()
            if name not in (FORMAT, SAVE, EDIT, RUN, AFTER, BEFORE)}


@login_required
@require_POST
def edited_report(request: HttpRequest) -> HttpResponse:
    """The edited report (RPT-06) as a printable page or a file of any format; nothing is written to the base."""
    try:
        result = edited.applied(request.POST.get("original", ""), request.POST.get("edits", ""))
    except Refused as refusal:
        return render(request, "reports/edit_refused.html", {"message": str(refusal)}, status=422)
    show = request.POST.get("show", PRINT)
    if show == PRINT:
        return render(request, "reports/print.html", html_context({
            "result": result, "charts": chart_urls(result), "head": mark_safe(table.head(result.columns)),  # noqa: S308
            "rows": mark_safe("".join(table.rows(walk(result), result.columns))),  # noqa: S308 - escaped by `table`
        }, landscape=result.landscape, title=result.title))
    chosen = formats().get(show)
    if chosen is None:
        raise Http404
    try:
        return cast(HttpResponse, file_response(result, chosen))
    except Refused as refusal:
        return render(request, "reports/edit_refused.html", {"message": str(refusal)}, status=422)


def saved_response(result: Result) -> HttpResponse:
    """«Сохранить»: the saved-report file (RPT-05), to download."""
    response = HttpResponse(saved.saved_file(result), content_type=saved.CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, file_name(result, saved.EXTENSION))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def open_saved(request: HttpRequest) -> HttpResponse:
    """«Открыть»: a saved report's file shown exactly as it was saved, on screen or as a file of any format."""
    form = OpenForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "formats": formats().values()}
    if request.method == "POST" and form.is_valid():
        try:
            opened = saved.open_file(form.cleaned_data["report"].read(saved.MAX_FILE + 1))
        except Refused as refusal:
            form.add_error("report", str(refusal))
        else:
            show = form.cleaned_data["show"]
            if show != SCREEN:
                try:
                    return cast(HttpResponse, file_response(opened.result, formats()[show]))
                except Refused as refusal:
                    form.add_error("show", str(refusal))
                    return render(request, "reports/open.html", context, status=422)
            context.update(screen(opened.result))
            context["verified"] = opened.verified
    status = 422 if form.errors else 200
    return render(request, "reports/open.html", context, status=status)


def screen(result: Result, *, whole: bool = True) -> dict[str, Any]:
    """The result drawn for the page: at most SCREEN_LINES lines (then it says where the rest is). Unless only a page
    of the rows is there (not `whole`), the columns sort on screen, and a count of rows the report did not know is
    the lines drawn — which tells the export buttons whose files a job writes."""
    walked = list(islice(walk(result), SCREEN_LINES + 1))
    cut = len(walked) > SCREEN_LINES
    rows = result.rows
    if rows is None and whole and not cut:
        rows = sum(1 for line in walked if line.kind == ROW)
    return {
        "result": result, "charts": chart_urls(result), "cut": cut, "exports": _exports(rows),
        "cut_at": number_format(SCREEN_LINES, force_grouping=True),
        # every value escaped by `table`
        "head": mark_safe(table.head(result.columns, sortable=whole)),  # noqa: S308
        "rows": mark_safe("".join(table.rows(iter(walked[:SCREEN_LINES]), result.columns, groups=True))),  # noqa: S308
    }


def file_response(result: Result, chosen: Format) -> HttpResponseBase:
    """The file: streamed for the text formats; written to a temporary file for the others (which the response
    closes, and so deletes). Always an attachment: an HTML file is never shown under the program's address."""
    response: HttpResponseBase
    if chosen.stream is not None:
        response = StreamingHttpResponse(chosen.stream(result), content_type=chosen.content_type)
        extension = chosen.extension
    else:
        target = tempfile.TemporaryFile()
        try:
            extension = chosen.write(result, target) or chosen.extension
        except BaseException:
            target.close()
            raise
        target.seek(0)
        content_type = "application/zip" if extension == "zip" else chosen.content_type
        response = FileResponse(target, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name(result, extension))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
