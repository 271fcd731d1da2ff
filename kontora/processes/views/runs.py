"""The process journal, «Запустить процесс» and the Assistant's process monitor (BPM-02, BPM-03, CLI-13)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from kontora.clients import access
from kontora.core.text import id_param
from kontora.processes.selectors import runs as selectors
from kontora.processes.services import runs as services
from kontora.processes.forms.runs import RunStartForm
from kontora.processes.models import ProcessRun

PAGE = 50


def _cursor(run: ProcessRun) -> str:
    return f"{run.started_at.isoformat()}|{run.pk}"


def _after(queryset: QuerySet[ProcessRun], cursor: str) -> QuerySet[ProcessRun]:
    """Keyset paging on (started_at, id) descending: the rows after the last one shown, no OFFSET, no COUNT."""
    when, _, pk = cursor.rpartition("|")
    try:
        started = datetime.fromisoformat(when)
    except ValueError:
        return queryset
    if not pk.isdigit():
        return queryset
    return queryset.filter(Q(started_at__lt=started) | Q(started_at=started, pk__lt=int(pk)))


def _journal_rows(request: HttpRequest, show_closed: bool, client_id: int | None) -> dict[str, Any]:
    user = request.user
    queryset = selectors.run_journal(user, show_closed=show_closed, client_id=client_id)
    cursor = request.GET.get("after", "")
    if cursor:
        queryset = _after(queryset, cursor)
    runs = list(queryset[: PAGE + 1])
    more = len(runs) > PAGE
    runs = runs[:PAGE]
    # One query for the whole page: which clients' cards the user may open (the others are names, not links).
    client_ids = {run.client_id for run in runs if run.client_id}
    openable = set(access.openable_clients(user).filter(pk__in=client_ids).values_list("pk", flat=True)) \
        if client_ids else set()
    focus = id_param(request.GET.get("focus"))
    rows = [{
        "run": run,
        "href": reverse("processes:run", args=[run.pk]),
        "client_href": reverse("clients:card", args=[run.client_id]) if run.client_id in openable else "",
        "mine": not run.is_closed and run.responsible_id == user.pk,
        "focus": run.pk == focus,
    } for run in runs]
    next_url = ""
    if more:
        query = {"after": _cursor(runs[-1]), "closed": "1" if show_closed else "0"}
        if client_id is not None:
            query["client"] = str(client_id)
        next_url = f"{reverse('processes:journal')}?{urlencode(query)}"
    return {"rows": rows, "next_url": next_url}


@login_required
@require_GET
def journal(request: HttpRequest) -> HttpResponse:
    """«Журнал процессов»: the runs the user sees, newest first, 50 at a time ("show more" seeks on)."""
    show_closed = request.GET.get("closed", "1") != "0"
    client_id = id_param(request.GET.get("client"))
    context = _journal_rows(request, show_closed, client_id)
    if request.headers.get("HX-Request") and request.GET.get("after"):
        return render(request, "processes/partials/journal_rows.html", context)
    client = access.visible_clients(request.user).filter(pk=client_id).first() if client_id is not None else None
    start_query = {"client": client.pk} if client is not None and access.can_open(request.user, client) else {}
    context.update({
        "show_closed": show_closed,
        "client": client,
        "client_id": client_id,
        "start_url": reverse("processes:start") + (f"?{urlencode(start_query)}" if start_query else ""),
    })
    return render(request, "processes/journal.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """«Запустить процесс»: from the journal with the client picked, or from a card with the card's client fixed."""
    user = request.user
    locked = None
    client_param = request.GET.get("client")
    if client_param is not None:
        # The same 404 as the card's for a client this user does not see.
        locked = access.visible_clients(user).filter(pk=id_param(client_param) or 0).first()
        if locked is None:
            raise Http404
    form = RunStartForm(request.POST or None, user=user, locked_client=locked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.run_start(acting_user=user, process=data["process"], client=data["client"],
                                     note=data["note"])
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            messages.success(request, gettext("Process «%(process)s» No. %(number)s started.") % {
                "process": run.process.name, "number": run.pk})
            if locked is not None:
                return redirect("clients:card", client_id=locked.pk)
            return redirect(f"{reverse('processes:journal')}?{urlencode({'focus': run.pk})}")
    if locked is not None:
        cancel_url = reverse("clients:card", args=[locked.pk])
        action = f"{reverse('processes:start')}?{urlencode({'client': locked.pk})}"
    else:
        cancel_url, action = reverse("processes:journal"), reverse("processes:start")
    return render(request, "processes/start.html", {
        "form": form, "locked_client": locked, "cancel_url": cancel_url, "action": action,
        "has_processes": form.fields["process"].queryset.exists(),  # type: ignore[attr-defined]
    })


@login_required
@require_GET
def monitor(request: HttpRequest) -> HttpResponse:
    """The process monitor of the Assistant panel (BPM-03): open runs on the user's stages, polled by htmx."""
    runs = list(selectors.monitor_runs(request.user)[:PAGE + 1])
    rows = [{"run": run, "href": reverse("processes:run", args=[run.pk])} for run in runs[:PAGE]]
    return render(request, "processes/partials/monitor.html", {
        "rows": rows, "more": len(runs) > PAGE,
        "journal_url": reverse("processes:journal") + "?closed=0",
    })
