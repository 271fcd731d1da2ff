"""«Ход процесса» (BPM-04, BPM-05): a run's page with its progress form and protocol, the print form, delete."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.core.errors import Conflict, NotAllowed, Refused, error_messages
from kontora.core.text import id_param
from kontora.processes import policies
from kontora.processes.forms.progress import ProgressForm
from kontora.processes.models import ProcessRun, ProtocolEntry
from kontora.processes.selectors import runs as selectors
from kontora.processes.services import runs as services


def human_duration(value: timedelta) -> str:
    """«3 дн 4 ч», «2 ч 15 мин», «5 мин»: two units at most, as people say how long a stage took."""
    minutes = int(value.total_seconds()) // 60
    if minutes < 1:
        return gettext("< 1 min")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        parts = [gettext("%(n)d d") % {"n": days}] + ([gettext("%(n)d h") % {"n": hours}] if hours else [])
    elif hours:
        parts = [gettext("%(n)d h") % {"n": hours}] + ([gettext("%(n)d min") % {"n": minutes}] if minutes else [])
    else:
        parts = [gettext("%(n)d min") % {"n": minutes}]
    return " ".join(parts)


def _protocol(run: ProcessRun) -> list[dict[str, Any]]:
    rows = []
    for entry in selectors.protocol_of(run):
        started = entry.kind == ProtocolEntry.Kind.START
        rows.append({"entry": entry, "duration": "" if started else human_duration(entry.duration)})
    return rows


def _context(request: HttpRequest, run: ProcessRun) -> dict[str, Any]:
    user = user_of(request)
    return {
        "run": run,
        "protocol": _protocol(run),
        "client_openable": policies.runs.can(user, "view_client", run),
        "can_progress": policies.runs.can(user, "progress", run),
        "can_delete": policies.runs.can(user, "delete", run),
    }


def _page(request: HttpRequest, run: ProcessRun, form: ProgressForm | None = None, tab: str = "progress",
          top_errors: list[str] | None = None) -> HttpResponse:
    context = _context(request, run)
    if context["can_progress"] and form is None:
        form = ProgressForm(run=run)
    context.update({"form": form if context["can_progress"] else None, "tab": tab, "top_errors": top_errors or []})
    return render(request, "processes/run.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def run_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    try:
        run = policies.runs.get(user, pk)
    except Http404:
        seen = id_param(request.POST.get("seen_stage_id")) if request.method == "POST" else None
        if selectors.moved_on_from_users_stage(user, pk, seen):
            # A stale tab of the run's own stage, which the run has left and taken out of the user's sight: he is
            # told so (never where it went), not shown a 404 for a run he just had in front of him.
            messages.warning(request, gettext("This process has already been moved to another stage."))
            return redirect("processes:journal")
        raise
    tab = "protocol" if request.GET.get("tab") == "protocol" else "progress"
    if request.method != "POST":
        return _page(request, run, tab=tab)
    form = ProgressForm(request.POST, run=run)
    if not form.is_valid():
        if not policies.runs.can(user, "progress", run) and not run.is_closed:
            raise NotAllowed  # only the responsible's form has errors worth showing
        return _page(request, run, form)
    data = form.cleaned_data
    try:
        services.run_progress(
            acting_user=user, run_id=run.pk, seen_stage_id=data["seen_stage_id"], state=data["state"],
            result=data["result"], comment=data["comment"], seen_entered=data["seen_entered"],
        )
    except ValidationError as exc:
        form.apply_error(exc)
        return _page(request, policies.runs.get(user, pk), form)
    except (Conflict, Refused) as exc:
        # The run has moved or closed meanwhile (a stale page, whoever sent it): where it stands now, the reason
        # on top, and a fresh form for the stage now in front of the user if it is his.
        return _page(request, policies.runs.get(user, pk), top_errors=error_messages(exc))
    return redirect("processes:run", pk=run.pk)


@login_required
@require_GET
def run_print(request: HttpRequest, pk: int) -> HttpResponse:
    run = policies.runs.get(user_of(request), pk)
    return render(request, "processes/run_print.html", _context(request, run))


@login_required
@require_POST
def run_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    run = policies.runs.get(user, pk)
    try:
        services.run_delete(acting_user=user, run=run)
    except Refused as exc:
        return _page(request, run, top_errors=error_messages(exc))
    messages.success(request, gettext("Process #%(number)s deleted.") % {"number": pk})
    return redirect(reverse("processes:journal"))
