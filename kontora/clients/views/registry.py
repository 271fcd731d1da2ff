"""The client registry in the main window's centre (REG-01 … REG-03, REG-07, REG-09 … REG-11)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from kontora.accounts.policies import user_of
from kontora.clients.flexi.selectors.session import active_filter, active_filter_q
from kontora.clients.selectors import registry as selectors
from kontora.clients.selectors.sorting import SORTS, default_sort, parse_sort, remember_session_sort, session_sort
from kontora.clients.services import registry as services
from kontora.core import budget
from kontora.core.models import Job
from kontora.core.selectors.jobs import access_job
from kontora.core.text import id_param

MARKS_KEY = "clients_registry_marked"

# Columns in display order; those named in selectors.sorting.SORTS sort on a header click.
COLUMNS = ("flag", "access", "code", "name", "city", "phone", "curator", "status", "changed", "files")


def _current_sort(request: HttpRequest) -> str:
    return session_sort(request.session, default_sort(request.user))


def session_marks(request: HttpRequest) -> list[int]:
    """The clients marked in the registry (Space), as kept in the session: ids only, re-scoped by whoever acts on
    them (the export, group processing)."""
    return [pk for pk in (id_param(raw) for raw in request.session.get(MARKS_KEY, [])) if pk]


def _marks(request: HttpRequest) -> set[int]:
    return {int(pk) for pk in request.session.get(MARKS_KEY, [])}


def rows_context(request: HttpRequest, page: selectors.RegistryPage) -> dict[str, Any]:
    marks = _marks(request)
    rows = [
        {
            "client": client,
            "marked": client.pk in marks,
            "href": reverse("clients:card", args=[client.pk]),
        }
        for client in page.rows
    ]
    return {
        "rows": rows,
        "sort": page.sort,
        "next_url": (f"{reverse('clients:registry_rows')}?sort={page.sort}&after={page.next_after}"
                     if page.next_after is not None else ""),
        "prev_url": (f"{reverse('clients:registry_rows')}?sort={page.sort}&before={page.prev_before}"
                     if page.prev_before is not None else ""),
    }


def _headers(sort: str) -> list[dict[str, Any]]:
    column, descending = parse_sort(sort) or ("name", False)
    headers = []
    for code in COLUMNS:
        spec = SORTS.get(code)
        active = code == column
        headers.append({
            "code": code,
            "sortable": spec is not None,
            "active": active,
            "descending": active and descending,
            # A click on the active column turns its direction over; on another column it sorts ascending.
            "next_sort": (code if active and descending else f"-{code}" if active else code) if spec else "",
        })
    return headers


def counter_context(page: selectors.RegistryPage, count: int, more: bool) -> dict[str, Any]:
    """The "N of M" counter: N the rows loaded (behaviours/registry.js keeps it true as more load), M the count,
    exact up to selectors.COUNT_CAP; past it "10 000+" offers the exact total, counted by a background job."""
    return {
        "shown": len(page.rows),
        # Marked up here: the translated sentence carries it as a value, and the script finds it to update it.
        "shown_html": format_html('<span data-k-registry-loaded data-testid="registry-loaded">{}</span>',
                                  len(page.rows)),
        "total": count,
        "total_display": f"{count:,}".replace(",", "\u00a0"),
        "total_more": more,
    }


def registry_centre(request: HttpRequest) -> dict[str, Any]:
    """Context of the main window's centre: the first page in the session's sort (`?sort=` changes it);
    `?focus=<id>` (back from a client's card) the rows around that client, with the cursor on it."""
    user: Any = request.user
    default = default_sort(user)
    asked = request.GET.get("sort", "")
    if parse_sort(asked):
        remember_session_sort(request.session, asked, default)
    sort = session_sort(request.session, default)
    filter_q = active_filter_q(request)  # the active Flexi-filter or template narrows the registry
    focus = id_param(request.GET.get("focus"))
    overrun = ""
    try:
        with budget.guarded():
            page = selectors.registry_page(fetched_by=user, sort=sort, filter_q=filter_q, around=focus)
            count, more = selectors.registry_count(fetched_by=user, filter_q=filter_q)
    except budget.Overrun as exc:
        # A filter too heavy for the time budget: the main window still opens, the message in place of the rows,
        # and the filter stays on the toolbar to be narrowed or reset.
        page, count, more, overrun = selectors.RegistryPage(rows=[], sort=sort, next_after=None), 0, False, exc.message
    sort_menu = [{"sort": code, "label": spec.label} for code, spec in SORTS.items()]
    return {
        **rows_context(request, page),
        "headers": _headers(sort),
        "sort_menu": sort_menu,
        **counter_context(page, count, more),
        "focus_id": page.cursor,
        "marked_count": len(_marks(request)),
        "new_url": reverse("clients:new"),
        "export_url": reverse("clients:export") if user.has_right("export_clients") else "",
        "group_actions": selectors.registry_actions(user),
        "flexi_active": active_filter(request),  # the toolbar's "filter active" badge
        "overrun": overrun,
    }


@login_required
@require_GET
@budget.heavy
def registry_rows(request: HttpRequest) -> HttpResponse:
    """The next page of rows after `after` (the id of the last row shown), the rows just before `before`
    (the first row shown, after a jump into the middle of the list), or the rows around `around` with the cursor
    on it (the browser's Back from a card: registry.js asks for the row the card was opened from)."""
    try:
        after = int(request.GET["after"]) if "after" in request.GET else None
        before = int(request.GET["before"]) if "before" in request.GET else None
    except ValueError:
        return HttpResponseBadRequest()
    around = id_param(request.GET.get("around"))
    if [after, before, around].count(None) != 2:
        return HttpResponseBadRequest()
    sort = request.GET.get("sort", "")
    if not parse_sort(sort):
        sort = _current_sort(request)
    try:
        with budget.guarded():
            page = selectors.registry_page(fetched_by=request.user, sort=sort, after=after, before=before,
                                           around=around, filter_q=active_filter_q(request))
    except budget.Overrun as exc:
        return _overrun_rows(request, exc)
    return render(request, "clients/partials/registry_rows.html",
                  {**rows_context(request, page), "focus_id": page.cursor})


def _overrun_rows(request: HttpRequest, exc: budget.Overrun) -> HttpResponse:
    """The rows' place shows that the filter or the search is too heavy (htmx swaps only a 2xx answer)."""
    return render(request, "clients/partials/registry_rows.html", {"rows": [], "overrun": exc.message})


@login_required
@require_GET
@budget.heavy
def registry_find(request: HttpRequest) -> HttpResponse:
    """Ctrl+F: the rows from the best match of the typed name on, in name order; the match gets the cursor.
    With `focus` (back from a card opened from the found rows), the rows around that client, in name order."""
    text = request.GET.get("q", "").strip()
    focus = id_param(request.GET.get("focus")) if text else None
    try:
        with budget.guarded():
            if text:
                page = selectors.registry_page(fetched_by=request.user, sort="name", find=text, around=focus,
                                               filter_q=active_filter_q(request))
            else:
                page = selectors.registry_page(fetched_by=request.user, sort=_current_sort(request),
                                               filter_q=active_filter_q(request))
    except budget.Overrun as exc:
        return _overrun_rows(request, exc)
    context = rows_context(request, page)
    context["focus_id"] = page.cursor if text else None  # the found row, or the last one when none follows
    # The found rows are in name order whatever the session's sort: the header's arrow says so (out of band).
    context.update(headers=_headers(page.sort), oob=True)
    return render(request, "clients/partials/registry_find.html", context)


@login_required
@require_POST
def registry_count_exact(request: HttpRequest) -> HttpResponse:
    """The counter's "count exactly": a background job counts the list under the active filter to its end."""
    active = active_filter(request)
    job = services.registry_count_start(acting_user=user_of(request), spec=active.spec if active else None)
    return count_job_answer(request, job.pk)


@login_required
@require_GET
def registry_count_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """The exact count's place in the counter, polled until its job ends."""
    return count_job_answer(request, job_id)


def count_job_answer(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(request.user, job_id)
    if job.kind != services.COUNT_JOB or job.created_by_id != request.user.pk:
        raise Http404  # only one's own count: it tells how many clients its author sees
    count = job.result.get("count") if job.status == Job.Status.DONE and job.result else None
    return render(request, "clients/partials/registry_count_job.html", {
        "job": job, "done": count is not None, "failed": job.is_finished and count is None,
        "exact_display": f"{count:,}".replace(",", "\u00a0") if count is not None else "",
    })


@login_required
@require_POST
def registry_mark(request: HttpRequest) -> HttpResponse:
    """Space on a row: the mark is kept in the session, so it lasts over pages and feeds group processing."""
    try:
        pk = int(request.POST.get("id", ""))
    except ValueError:
        return HttpResponseBadRequest()
    marks = _marks(request)
    if request.POST.get("marked") == "true":
        marks.add(pk)
    else:
        marks.discard(pk)
    request.session[MARKS_KEY] = selectors.marked_ids(fetched_by=request.user, ids=sorted(marks))
    return render(request, "clients/partials/registry_marked.html",
                  {"marked_count": len(request.session[MARKS_KEY])})


@login_required
@require_POST
def registry_marks_clear(request: HttpRequest) -> HttpResponse:
    request.session[MARKS_KEY] = []
    response = render(request, "clients/partials/registry_marked.html", {"marked_count": 0})
    response["HX-Trigger"] = "k:registry-unmarked"
    return response
