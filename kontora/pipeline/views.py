"""The sales ladder board's pages (LAD-04): the board, a column's next cards, and the move of a card."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from kontora.accounts.policies import user_of
from kontora.activity.services.events import EVENT_FIELDS
from kontora.clients import policies as client_policies
from kontora.clients.flexi.selectors.session import active_filter
from kontora.clients.flexi.selectors.specs import to_q
from kontora.clients.flexi.selectors.templates import template_ref, template_spec, templates_for
from kontora.core import budget
from kontora.core.errors import Overrun
from kontora.core.text import id_param
from kontora.core.ui.pager import AFTER, Page
from kontora.core.ui.submit import modal, submit
from kontora.pipeline import policies, selectors, services
from kontora.pipeline.forms import MoveForm

ACTIVE = "active"  # the scope "the registry's active filter"


@dataclass(frozen=True)
class Scope:
    key: str  # "" (every client one opens), ACTIVE, or a template's ref ("static:my", "user:12")
    label: str
    q: Q | None
    spec: dict[str, Any] | None = None
    problem: str = ""  # why the scope asked for could not be used (the board shows every client instead)


def _scope(request: HttpRequest) -> Scope:
    user = user_of(request)
    everyone = Scope("", gettext("All clients I may open"), None)
    key = request.GET.get("scope", "")
    if not key:
        return everyone
    if key == ACTIVE:
        active = active_filter(request)
        if active is None:
            return Scope("", everyone.label, None, problem=gettext(
                "The registry has no filter on any more: the board shows every client you may open."))
        return Scope(ACTIVE, gettext("Registry filter: %(label)s") % {"label": active.label}, active.q, active.spec)
    try:
        ref = template_ref(user, key)
        spec = template_spec(user, ref)
    except Http404:
        return Scope("", everyone.label, None, problem=gettext(
            "This template is not available to you: the board shows every client you may open."))
    except ValidationError:
        return Scope("", everyone.label, None, problem=gettext(
            "This template refers to what no longer exists: the board shows every client you may open."))
    return Scope(ref.ref, ref.name, to_q(spec, user=user), spec)


def _scope_choices(request: HttpRequest) -> list[tuple[str, str]]:
    choices = [("", gettext("All clients I may open"))]
    active = active_filter(request)
    if active is not None:
        choices.append((ACTIVE, gettext("Registry filter: %(label)s") % {"label": active.label}))
    choices += [(ref.ref, ref.name) for ref in templates_for(user_of(request))]
    return choices


def _board_url(scope: str, **more: Any) -> str:
    query = {name: value for name, value in {"scope": scope, **more}.items() if value not in (None, "")}
    return reverse("pipeline:board") + (f"?{urlencode(query)}" if query else "")


def _column(user: Any, scope: Scope, stage: selectors.Stage, params: Any,
            page: Page[dict[str, Any]] | None = None) -> dict[str, Any]:
    page = page if page is not None else selectors.cards(user, scope.q, stage, params)
    return {
        "stage": stage, "cards": page.rows, "scope": scope.key,
        "more_url": page.link(reverse("pipeline:column"), AFTER, scope=scope.key, stage=stage.key),
    }


@login_required
@require_GET
@budget.heavy
def board(request: HttpRequest) -> HttpResponse:
    """The board: a column per stage of the ladder (and one of the clients off it), each with its count and its
    first cards; «Показать ещё» under a column reads on along its index."""
    user = user_of(request)
    scope = _scope(request)
    columns = selectors.stages()
    exact = request.GET.get("exact") == "1"
    refused = ""
    drawn: list[dict[str, Any]] = []
    try:
        with budget.guarded():
            counted = selectors.counts(user, scope.q, columns, exact=exact)
            first = selectors.first_cards(user, scope.q, columns)
            for stage in columns:
                drawn.append({**_column(user, scope, stage, {}, first[stage.key]), "counted": counted[stage.key]})
    except Overrun as exc:
        refused, drawn = str(exc), []
    return render(request, "pipeline/board.html", {
        "scope": scope, "choices": _scope_choices(request), "columns": drawn, "refused": refused,
        "capped": any(column["counted"].more for column in drawn),
        "exact_url": _board_url(scope.key, exact=1),
        "conversion_url": _conversion_url(scope),
        "has_ladder": len(columns) > 1,
    })


def _conversion_url(scope: Scope) -> str:
    """The report «Конверсия по лестнице продаж» over the board's clients (the reports app draws it)."""
    query: dict[str, str] = {}
    if scope.key == ACTIVE and scope.spec is not None:
        query["spec"] = json.dumps(scope.spec, ensure_ascii=False, separators=(",", ":"))
    elif scope.key:
        query["clients"] = scope.key
    return reverse("reports:report", args=["ladder-conversion"]) + (f"?{urlencode(query)}" if query else "")


@login_required
@require_GET
def column(request: HttpRequest) -> HttpResponse:
    """A column's next cards (htmx: appended under the ones shown)."""
    stage = selectors.stage_of(request.GET.get("stage", ""))
    if stage is None:
        raise Http404
    context = _column(user_of(request), _scope(request), stage, request.GET)
    return render(request, "pipeline/partials/cards.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest) -> HttpResponse:
    """«Переместить на этап»: the event that records a card's move (opened by dropping it on a column, or by its
    «Переместить» button); saved, the board is drawn again."""
    user = user_of(request)
    # The form's own URL names the client; a form posted without it may name it in its body.
    client_id = id_param(request.GET.get("client") or request.POST.get("client"))
    client = client_policies.clients.get(user, client_id or 0, related=("ladder_stage",))
    if not policies.can_move(user, client):
        raise PermissionDenied
    target = selectors.stage_of(request.GET.get("stage", ""))
    seen = request.GET.get("seen")
    initial: dict[str, Any] = {"seen_stage": id_param(seen) if seen is not None else client.ladder_stage_id}
    if target is not None and target.pk is not None:
        initial.update(stage=target.pk, description=gettext("Moved to the stage «%(stage)s» on the sales ladder "
                                                            "board.") % {"stage": target.name})
    form = MoveForm(request.POST or None, client=client, initial=initial)
    scope = request.GET.get("scope", "")
    query = {"client": str(client.pk), "scope": scope}
    if target is not None:
        query["stage"] = target.key
    action = reverse("pipeline:move") + "?" + urlencode(query)

    def save() -> Any:
        data = form.cleaned_data
        return services.board_move(
            acting_user=user, client_id=client.pk, stage=data["stage"], seen_stage_id=data["seen_stage"],
            values={name: data[name] for name in EVENT_FIELDS if name != "stage"})

    return submit(
        request, form, save, done=lambda event: _board_url(scope),
        message=lambda event: gettext("«%(client)s» moved to the stage «%(stage)s».") % {
            "client": client.short_name, "stage": event.stage},
        page=lambda: modal(request, "pipeline/partials/move_form.html", {
            "form": form, "client": client, "action": action, "back_url": _board_url(scope),
            "current_stage": client.ladder_stage.name if client.ladder_stage else "",
        }, page="core/ui/modal_page.html"))
