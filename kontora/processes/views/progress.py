"""«Ход процесса» (BPM-04, BPM-05): a run's page with its progress form and protocol, the print form, delete."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.clients import access
from kontora.core.text import id_param
from kontora.processes import policies
from kontora.processes.selectors import runs as selectors
from kontora.processes.services import runs as services
from kontora.processes.forms.progress import ProgressForm
from kontora.processes.models import ProcessRun, ProtocolEntry


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
    client_openable = run.client is not None and access.can_open(request.user, run.client)
    return {
        "run": run,
        "protocol": _protocol(run),
        "client_openable": client_openable,
        "can_progress": policies.can_progress(request.user, run),
        "can_delete": policies.can_delete(request.user, run),
    }


def _page(request: HttpRequest, run: ProcessRun, form: ProgressForm | None = None, tab: str = "progress",
          top_errors: list[str] | None = None) -> HttpResponse:
    context = _context(request, run)
    if context["can_progress"] and form is None:
        form = ProgressForm(run=run)
    context.update({"form": form if context["can_progress"] else None, "tab": tab, "top_errors": top_errors or []})
    return render(request, "processes/run.html", context)


def _moved_message(run: ProcessRun) -> str:
    # The same words as the service's refusal of a stale page (services.run_progress).
    return gettext("The process has already moved to stage «%(stage)s»: reopen it to see where it stands.") % {
        "stage": run.stage.name
    }


@login_required
@require_http_methods(["GET", "POST"])
def run_view(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.access_run(request.user, pk)
    tab = "protocol" if request.GET.get("tab") == "protocol" else "progress"
    if request.method != "POST":
        return _page(request, run, tab=tab)
    if not policies.can_progress(request.user, run) and not run.is_closed:
        if id_param(request.POST.get("seen_stage_id")) not in (None, run.stage_id):
            # A page left open on a stage that has since passed to someone else: say so rather than 403.
            return _page(request, run, top_errors=[_moved_message(run)])
        raise PermissionDenied
    form = ProgressForm(request.POST, run=run)
    if not form.is_valid():
        return _page(request, run, form)
    data = form.cleaned_data
    try:
        services.run_progress(
            acting_user=request.user, run_id=run.pk, seen_stage_id=data["seen_stage_id"], state=data["state"],
            result=data["result"], comment=data["comment"],
        )
    except PermissionError as exc:
        raise PermissionDenied from exc
    except ValidationError as exc:
        fresh = selectors.access_run(request.user, pk)
        if fresh.is_closed or fresh.stage_id != data["seen_stage_id"]:
            # The run has moved or closed meanwhile: show where it stands now with the reason on top;
            # the form (if any) is a fresh one for the stage now in front of the user.
            return _page(request, fresh, top_errors=list(exc.messages))
        form.apply_error(exc)
        return _page(request, fresh, form)
    return redirect("processes:run", pk=run.pk)


@login_required
@require_GET
def run_print(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.access_run(request.user, pk)
    return render(request, "processes/run_print.html", _context(request, run))


@login_required
@require_POST
def run_delete(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.access_run(request.user, pk)
    try:
        services.run_delete(acting_user=request.user, run=run)
    except PermissionError as exc:
        raise PermissionDenied from exc
    except ValidationError as exc:
        return _page(request, run, top_errors=list(exc.messages))
    messages.success(request, gettext("Process #%(number)s deleted.") % {"number": pk})
    return redirect(reverse("processes:journal"))
