"""The client card's «История взаимоотношений» journal and its «Событие» form (HIS-01, HIS-02, CLI-14)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.activity import policies
from kontora.activity.forms.events import EventForm
from kontora.activity.models import Event
from kontora.activity.selectors import events as selectors
from kontora.activity.services import events as services
from kontora.clients import policies as client_policies
from kontora.clients.models import Client
from kontora.core.permissions import is_administrator
from kontora.core.ui.links import IdLink
from kontora.core.ui.pager import AFTER
from kontora.core.ui.submit import modal, refresh, submit

PAGE = 50
TARGET = "#client-events"  # the card's pane of the History tab (clients/card.html: "client-<tab code>")


def _pane_context(user: Any, client: Client, cursor: Any) -> dict[str, Any]:
    page = selectors.client_events_page(client, cursor=cursor, size=PAGE)
    event_link = IdLink("activity:event")
    return {
        "client": client,
        "rows": [{"event": event, "href": event_link(event.pk)} for event in page.rows],
        "next_url": page.link(reverse("activity:card_events", args=[client.pk]), AFTER),
        "can_add": client_policies.clients.can(user, "change", client),
    }


@login_required
@require_GET
def card_events(request: HttpRequest, client_id: int) -> HttpResponse:
    """The card's History tab (a journal): the client's events, newest first, 50 at a time ("show more"); Ins and
    the button add one when the user may edit the client. From a card the user may open (404 otherwise)."""
    user = user_of(request)
    client = client_policies.clients.get(user, client_id)
    context = _pane_context(user, client, request.GET)
    # A pane (or its next rows) is drawn without the request: it needs none of the page's context.
    template = "card_event_rows.html" if AFTER in request.GET else "card_events.html"
    return HttpResponse(render_to_string(f"activity/partials/{template}", context))


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, client_id: int) -> HttpResponse:
    """The «Событие» form for a new event of the card (Ins in its History)."""
    user = user_of(request)
    client = client_policies.clients.get(user, client_id, related=("ladder_stage",))
    if not client_policies.clients.can(user, "change", client):
        raise PermissionDenied
    form = EventForm(request.POST or None, client=client)
    return _event_form(request, client, None, form, lambda: services.event_create(
        acting_user=user, client=client, values=form.cleaned_data))


@login_required
@require_http_methods(["GET", "POST"])
def event(request: HttpRequest, pk: int) -> HttpResponse:
    """An event of the history: its form for its author on the day it was made (on his clock) or an administrator,
    on a client he may edit; read-only for everyone else who opens the client."""
    user = user_of(request)
    found = policies.events.get(user, pk)
    client = client_policies.clients.get(user, found.client_id, related=("ladder_stage",))
    may_change = policies.can_change_event(user, found) and client_policies.clients.can(user, "change", client)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = EventForm(request.POST or None, client=client, event=found, read_only=not may_change)
    return _event_form(request, client, found, form, lambda: services.event_update(
        acting_user=user, event=found, edit=form.edit(),
        values={name: form.cleaned_data[name] for name in form.changed_data}),
        may_change=may_change, may_delete=may_change and is_administrator(user))


def _event_form(request: HttpRequest, client: Client, found: Event | None, form: EventForm, save: Any, *,
                may_change: bool = True, may_delete: bool = False) -> HttpResponse:
    action = reverse("activity:event", args=[found.pk]) if found else reverse("activity:event_new", args=[client.pk])
    stage = client.ladder_stage
    context = {
        "form": form, "client": client, "event": found, "action": action, "may_change": may_change,
        "may_delete": may_delete, "current_stage": stage.name if stage is not None else "",
        "card_url": reverse("clients:card", args=[client.pk]) + "#tab-events",
    }
    return submit(request, form, save, done=lambda saved: _changed(request, client, moved=_moves(saved, form)),
                  page=lambda: modal(request, "activity/partials/event_form.html", context,
                                     page="core/ui/modal_page.html"))


def _moves(saved: Event, form: EventForm) -> bool:
    """Did the saved event move the client (its stage or next contact): the Operational work tab is read anew."""
    return bool(saved.stage_id or saved.next_contact_date) and bool(
        {"stage", "next_contact_date"} & set(form.changed_data))


@login_required
@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes an event (administrators only): the card's History is drawn again."""
    user = user_of(request)
    found = policies.events.get(user, pk)
    client = client_policies.clients.get(user, found.client_id)
    services.event_delete(acting_user=user, event=found)
    return _changed(request, client, moved=False)


def _changed(request: HttpRequest, client: Client, *, moved: bool) -> HttpResponse:
    """The History drawn again in the card and the modal closed; when the event moved the client, the Operational
    work pane is put back to be loaded anew when next shown, so it shows the new stage and next contact date."""
    context = _pane_context(user_of(request), client, {})
    if moved:
        context["operational_url"] = reverse("clients:operational", args=[client.pk])
    return refresh(request, "activity/partials/card_events.html", context, target=TARGET,
                   fallback=reverse("clients:card", args=[client.pk]) + "#tab-events")

