"""The process journal, the card's «Процессы» tab, «Запустить процесс» and the Assistant's process monitor
(BPM-02, BPM-03, CLI-13)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from kontora.accounts.policies import user_of
from kontora.clients import access
from kontora.clients import policies as client_policies
from kontora.core.htmx import is_htmx
from kontora.core.text import id_param
from kontora.core.ui.pager import AFTER
from kontora.core.ui.submit import submit
from kontora.processes import policies
from kontora.processes.forms.runs import RunStartForm
from kontora.processes.models import ProcessRun
from kontora.processes.selectors import runs as selectors
from kontora.processes.services import runs as services

PAGE = 50


def _journal_rows(request: HttpRequest, show_closed: bool, client_id: int | None) -> dict[str, Any]:
    user = user_of(request)
    page = selectors.journal_page(user, show_closed=show_closed, client_id=client_id,
                                  whose=request.GET.get("whose"), cursor=request.GET, size=PAGE)
    focus = id_param(request.GET.get("focus"))
    rows = [{
        "run": run,
        "href": reverse("processes:run", args=[run.pk]),
        "client_href": reverse("clients:card", args=[run.client_id]) if run.client_id in page.openable else "",
        "mine": not run.is_closed and run.responsible_id == user.pk,
        "focus": run.pk == focus,
    } for run in page.runs]
    next_url = page.pager.link(reverse("processes:journal"), AFTER, closed="1" if show_closed else "0",
                               client=client_id, whose=page.whose)
    return {"rows": rows, "next_url": next_url, "whose": page.whose, "hidden": page.hidden}


@login_required
@require_GET
def journal(request: HttpRequest) -> HttpResponse:
    """«Журнал процессов»: the user's own runs, or every employee's to a user with «журналы всех сотрудников»
    (a choice of the page's filter), of those he may see, newest first, 50 at a time ("show more" seeks on); how
    many more client access hides is said under the rows."""
    user = user_of(request)
    show_closed = request.GET.get("closed", "1") != "0"
    client_id = id_param(request.GET.get("client"))
    context = _journal_rows(request, show_closed, client_id)
    if is_htmx(request) and request.GET.get("after"):
        return render(request, "processes/partials/journal_rows.html", context)
    client = access.visible_clients(user).filter(pk=client_id).first() if client_id is not None else None
    start_query = {"client": client.pk} if client is not None and policies.can_start_for(user, client) else {}
    context.update({
        "show_closed": show_closed,
        "client": client,
        "client_id": client_id,
        "start_url": reverse("processes:start") + (f"?{urlencode(start_query)}" if start_query else ""),
        "may_choose_whose": policies.sees_all_employees(user),
        "everyone": selectors.EVERYONE, "mine": selectors.MINE,
    })
    return render(request, "processes/journal.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """«Запустить процесс»: from the journal with the client picked, or from a card with the card's client fixed."""
    user = user_of(request)
    locked = None
    client_param = request.GET.get("client")
    if client_param is not None:
        # The same 404 as the card's for a client this user does not see.
        locked = access.visible_clients(user).filter(pk=id_param(client_param) or 0).first()
        if locked is None:
            raise Http404
    form = RunStartForm(request.POST or None, user=user, locked_client=locked)

    def done(run: ProcessRun) -> str:
        if locked is not None:
            return reverse("clients:card", args=[locked.pk])
        return f"{reverse('processes:journal')}?{urlencode({'focus': run.pk})}"

    if locked is not None:
        cancel_url = reverse("clients:card", args=[locked.pk])
        action = f"{reverse('processes:start')}?{urlencode({'client': locked.pk})}"
    else:
        cancel_url, action = reverse("processes:journal"), reverse("processes:start")
    return submit(
        request, form, lambda: services.run_start(acting_user=user, process=form.cleaned_data["process"],
                                                  client=form.cleaned_data["client"], note=form.cleaned_data["note"]),
        done=done, message=lambda run: gettext("Process «%(process)s» No. %(number)s started.") % {
            "process": run.process.name, "number": run.pk},
        page=lambda: render(request, "processes/start.html", {
            "form": form, "locked_client": locked, "cancel_url": cancel_url, "action": action,
            "has_processes": form.fields["process"].queryset.exists(),  # type: ignore[attr-defined]
        }),
    )


@login_required
@require_GET
def card_runs(request: HttpRequest, client_id: int) -> HttpResponse:
    """The client card's «Процессы» tab (a journal): the processes run about this client, newest first, 50 at a
    time; from the card the user may open (404 otherwise, as the card's own)."""
    user = user_of(request)
    client = client_policies.clients.get(user, client_id)
    page = selectors.client_runs_page(user, client_id=client.pk, cursor=request.GET, size=PAGE)
    context = {
        "client": client,
        "rows": [{"run": run, "href": reverse("processes:run", args=[run.pk]),
                  "mine": not run.is_closed and run.responsible_id == user.pk} for run in page.rows],
        "next_url": page.link(reverse("processes:card_runs", args=[client.pk]), AFTER),
        "journal_url": f"{reverse('processes:journal')}?{urlencode({'client': client.pk})}",
    }
    # A pane (or its next rows) is drawn without the request: it needs none of the page's context.
    template = "card_run_rows.html" if AFTER in request.GET else "card_runs.html"
    return HttpResponse(render_to_string(f"processes/partials/{template}", context))


@login_required
@require_GET
def monitor(request: HttpRequest) -> HttpResponse:
    """The process monitor of the Assistant panel (BPM-03): open runs on the user's stages, polled by htmx."""
    runs = list(selectors.monitor_runs(user_of(request))[:PAGE + 1])
    rows = [{"run": run, "href": reverse("processes:run", args=[run.pk])} for run in runs[:PAGE]]
    return render(request, "processes/partials/monitor.html", {
        "rows": rows, "more": len(runs) > PAGE,
        "journal_url": reverse("processes:journal") + "?closed=0",
    })
