"""Администрирование → «Импорт клиентов» (IMP-01 … IMP-04): the list of imports with the upload (step 1), and one
import's page through the manual's three steps — the file's reading and mapping, the rows in an editable grid with
their problems (step 2), the dry run, the write, cancel and undo (step 3). Loading, checking and undoing run as
jobs (services.uploads): the page shows their progress and, once the job has ended, lands on the import's page as it
now is (the progress bar follows the job: core.views.jobs). An import that has not started writing may be deleted.

A workbook's sheets are offered from the kept file's list of sheets (`sheets.stored_sheet_names`, no cell read);
choosing one, or switching a part of the automatic processing, sends the step 1 form at once (a load again)."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.core.errors import DomainError, form_error
from kontora.core.models import Job
from kontora.core.permissions import policy_required
from kontora.core.selectors import jobs as job_selectors
from kontora.core.services.jobs import job_cancellable
from kontora.core.text import id_param
from kontora.imports import policies
from kontora.imports.forms import CheckForm, ReloadForm, RowForm, UploadForm
from kontora.imports.models import Import, ImportRow
from kontora.imports.selectors import columns as c
from kontora.imports.selectors import runs as selectors
from kontora.imports.selectors import sheets
from kontora.imports.services import loading, uploads, writing
from kontora.imports.services.loading import EDITABLE

may_import = policy_required(policies.may_import)


def _job_url(run: Import | None, job: Job) -> str:
    base = reverse("imports:detail", args=[run.pk]) if run else reverse("imports:list")
    return f"{base}?job={job.pk}"


def _landing(request: HttpRequest, job: Job) -> HttpResponse | None:
    """A page opened for a job of the import that is already done goes where the job's progress bar would have
    taken it: the import's page as the job left it."""
    url = job_selectors.job_result_url(job)
    return redirect(url) if url and url != request.get_full_path() else None


@may_import
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    """Step 1: the upload, and the imports so far (administrators: everyone's)."""
    user = user_of(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = uploads.import_upload_start(acting_user=user, upload=upload, filename=upload.name)
        except (ValidationError, DomainError) as exc:
            form.apply_error(ValidationError({"file": [str(exc)]}) if isinstance(exc, DomainError) else exc)
        else:
            return redirect(_job_url(None, job))
    job_pk = id_param(request.GET.get("job", ""))
    watched = job_selectors.access_job(user, job_pk) if job_pk else None
    if watched is not None and (landing := _landing(request, watched)):
        return landing
    return render(request, "imports/list.html", {
        "form": form, "job": watched, "imports": selectors.import_list(fetched_by=user), "user_id": user.pk,
    }, status=400 if request.method == "POST" else 200)


def _lines(run: Import, rows: list[ImportRow]) -> list[dict[str, Any]]:
    """The grid's rows: each mapped field's value with its problems beside it, the problems of no mapped field at
    the end, and the dry run's decision."""
    keys = list(dict.fromkeys(run.mapping.values()))
    lines = []
    for row in rows:
        by_field: dict[str, list[dict[str, Any]]] = {}
        other: list[dict[str, Any]] = []
        for problem in row.problems:
            (by_field.setdefault(problem["field"], []) if problem["field"] in keys else other).append(problem)
        lines.append({"row": row, "cells": [(key, row.values.get(key, ""), by_field.get(key, [])) for key in keys],
                      "other": other})
    return lines


@may_import
@require_GET
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    user = user_of(request)
    run = selectors.access_import(user, import_id)
    errors_only = request.GET.get("errors") == "1"
    after = id_param(request.GET.get("after", "")) or 0
    rows = selectors.import_rows(fetched_by=user, import_id=run.pk, after=after, limit=selectors.PAGE + 1,
                                 errors_only=errors_only)
    more = len(rows) > selectors.PAGE
    rows = rows[: selectors.PAGE]
    job_pk = id_param(request.GET.get("job", ""))
    if job_pk and (landing := _landing(request, job_selectors.access_job(user, job_pk))):
        return landing
    job = job_selectors.access_job(user, job_pk) if job_pk else run.job
    editable = run.state in EDITABLE
    check_form = CheckForm(initial={"status": run.status_id, "priority": run.priority_id,
                                    "match_key": run.match_key, "on_match": run.on_match})
    return render(request, "imports/detail.html", _detail_context(run, {
        "lines": _lines(run, rows), "keys": [c.field_label(key) for key in dict.fromkeys(run.mapping.values())],
        "next_after": rows[-1].number if more and rows else None, "after": after, "errors_only": errors_only,
        "job": job, "job_can_cancel": bool(job and job.pk != run.job_id and job_cancellable(job)),
        "editable": editable, "check_form": check_form,
        "reload_form": ReloadForm(run=run, sheet_names=_sheet_names(run)) if editable and run.upload else None,
    }))


def _sheet_names(run: Import) -> list[str]:
    """The kept workbook's sheets, for the sheet chooser ([] for a CSV)."""
    return sheets.stored_sheet_names(run.upload, filename=run.filename) if run.sheet else []


def _detail_context(run: Import, context: dict[str, Any]) -> dict[str, Any]:
    width = max([len(run.headers), *(len(row) for row in run.preview), *(int(k) + 1 for k in run.mapping)] or [1])
    return {"run": run, "title": run.filename,
            "preview": [[*row, *[""] * (width - len(row))] for row in run.preview],
            "headers": [*run.headers, *[""] * (width - len(run.headers))] if run.headers else [],
            "checked": run.state not in (Import.State.LOADED, Import.State.CHECKING) and run.checked_at is not None,
            "may_start": run.state == Import.State.CHECKED and bool(run.to_create or run.to_update),
            "may_cancel": run.state == Import.State.RUNNING,
            "may_undo": run.state == Import.State.DONE,
            "may_delete": run.started_at is None and run.state in (*EDITABLE, Import.State.CANCELLED),
            "keep_days": uploads.upload_keep_days(),
            "written": run.state in (Import.State.DONE, Import.State.UNDONE, Import.State.FAILED,
                                     Import.State.CANCELLED),
            **context}


@may_import
@require_POST
def import_reload(request: HttpRequest, import_id: int) -> HttpResponse:
    """Step 1 again: the kept file read with the user's sheet, encoding, delimiter, mapping and options."""
    user = user_of(request)
    run = selectors.access_import(user, import_id)
    form = ReloadForm(request.POST, run=run, sheet_names=_sheet_names(run))
    if form.is_valid():
        try:
            job = uploads.import_reload_start(acting_user=user, run=run, choices=form.choices())
        except (ValidationError, DomainError) as exc:
            form_error(form, exc)
        else:
            return redirect(_job_url(run, job))
    return render(request, "imports/detail.html", _detail_context(run, {
        "lines": [], "keys": [], "reload_form": form, "editable": run.state in EDITABLE,
        "check_form": CheckForm(), "job": None}), status=400)


@may_import
@require_http_methods(["GET", "POST"])
def import_row(request: HttpRequest, import_id: int, number: int) -> HttpResponse:
    """Step 2, one row of the grid (htmx): GET its form in place, POST its fix (`import_row_edit`), answered with
    the row as cleaned again and its problems beside its cells; a refusal is shown in the row."""
    user = user_of(request)
    run = selectors.access_import(user, import_id)
    number_id = id_param(number)  # a path's digits past a bigint are no row
    if number_id is None:
        raise Http404
    found = selectors.import_rows(fetched_by=user, import_id=run.pk, after=number_id - 1, limit=1)
    if not found or found[0].number != number:
        raise Http404
    row = found[0]
    if request.method == "POST" and request.POST.get("cancel") != "1":
        form = RowForm(request.POST, run=run)
        if form.is_valid():
            try:
                row = loading.import_row_edit(acting_user=user, import_id=run.pk, number=number,
                                              values=form.values())
            except (ValidationError, DomainError) as exc:
                form_error(form, exc)
            else:
                return render(request, "imports/partials/row.html", {"line": _lines(run, [row])[0], "run": run,
                                                                     "editable": True})
        # Drawn in place of the row with the refusal beside the fields (htmx swaps a 200 answer only).
        return render(request, "imports/partials/row_form.html", {"form": form, "row": row, "run": run})
    if request.method == "POST":
        return render(request, "imports/partials/row.html", {"line": _lines(run, [row])[0], "run": run,
                                                             "editable": run.state in EDITABLE})
    form = RowForm(run=run, initial={key: row.values.get(key, "") for key in run.mapping.values()})
    return render(request, "imports/partials/row_form.html", {"form": form, "row": row, "run": run})


@may_import
@require_POST
def import_check(request: HttpRequest, import_id: int) -> HttpResponse:
    """Step 3's «Проверить»: the dry run as a job."""
    user = user_of(request)
    run = selectors.access_import(user, import_id)
    form = CheckForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            job = uploads.import_check_start(
                acting_user=user, run=run, match_key=data["match_key"], on_match=data["on_match"],
                status_id=data["status"].pk if data["status"] else None,
                priority_id=data["priority"].pk if data["priority"] else None)
        except (ValidationError, DomainError) as exc:
            form_error(form, exc)
        else:
            return redirect(_job_url(run, job))
    return render(request, "imports/detail.html", _detail_context(run, {
        "lines": [], "keys": [], "check_form": form, "editable": run.state in EDITABLE, "job": None}), status=400)


def _acted(request: HttpRequest, run: Import, action: Any) -> HttpResponse:
    try:
        job = action()
    except DomainError as exc:
        return render(request, "imports/detail.html", _detail_context(run, {
            "lines": [], "keys": [], "refusal": str(exc), "check_form": CheckForm(),
            "editable": run.state in EDITABLE, "job": None}), status=exc.status)
    return redirect(_job_url(run, job) if isinstance(job, Job) else reverse("imports:detail", args=[run.pk]))


@may_import
@require_POST
def import_start(request: HttpRequest, import_id: int) -> HttpResponse:
    """Step 3's «Импортировать»: the write job."""
    user = user_of(request)
    run = selectors.access_import(user, import_id)
    return _acted(request, run, lambda: writing.import_start(acting_user=user, import_id=run.pk).job)


@may_import
@require_POST
def import_cancel(request: HttpRequest, import_id: int) -> HttpResponse:
    """Cancels a running import (its job takes back what it wrote) or drops a loaded or checked one."""
    user = user_of(request)
    run = selectors.access_import(user, import_id)
    return _acted(request, run, lambda: writing.import_cancel(acting_user=user, import_id=run.pk))


@may_import
@require_POST
def import_undo(request: HttpRequest, import_id: int) -> HttpResponse:
    """«Отменить импорт»: undo as a job; its refusal (the clients changed since) is the job's error."""
    user = user_of(request)
    run = selectors.access_import(user, import_id)
    return _acted(request, run, lambda: uploads.import_undo_start(acting_user=user, run=run))


@may_import
@require_POST
def import_delete(request: HttpRequest, import_id: int) -> HttpResponse:
    """«Удалить»: an import that has not started writing goes with its staged rows and kept file."""
    user = user_of(request)
    run = selectors.access_import(user, import_id)
    try:
        uploads.import_delete(acting_user=user, import_id=run.pk)
    except DomainError as exc:
        return render(request, "imports/detail.html", _detail_context(run, {
            "lines": [], "keys": [], "refusal": str(exc), "check_form": CheckForm(),
            "editable": run.state in EDITABLE, "job": None}), status=exc.status)
    return redirect("imports:list")


@may_import
@require_GET
def import_errors(request: HttpRequest, import_id: int) -> HttpResponse:
    """The per-row error report, CSV for Excel."""
    user = user_of(request)
    run = selectors.access_import(user, import_id)
    response = StreamingHttpResponse(selectors.import_errors_csv(fetched_by=user, import_id=run.pk),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-errors.csv"'
    # The policy decorators are typed for HttpResponse; the report streams.
    return cast(HttpResponse, response)
