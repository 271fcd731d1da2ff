"""The bell's poll, the notifications page, and Administration → Message to a user."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.core.forms.notifications import MessageForm
from kontora.core.permissions import actor_of, admin_required
from kontora.core.selectors import notifications as selectors
from kontora.core.services import notifications as services
from kontora.core.services.notifications import TEXT_MAX_LENGTH
from kontora.core.text import count_param
from kontora.core.ui.pager import position
from kontora.core.ui.submit import submit

PAGE_SIZE = 50
View = TypeVar("View", bound=Callable[..., HttpResponse])


def passive_request(view: View) -> View:
    """Marks a background request (a poll) that is not the person's activity; see AccountStateMiddleware."""
    view.passive_request = True  # type: ignore[attr-defined]
    return view


def _number(request: HttpRequest, name: str, default: int) -> int:
    number = count_param(request.GET.get(name))
    return default if number is None else number


def _local(url: str) -> str:
    """The server stores only local paths; checked again so that a toast never links elsewhere."""
    return url if url.startswith("/") and not url.startswith("//") else ""


@passive_request
@require_GET
def poll(request: HttpRequest) -> HttpResponse:
    """The bell, polled by htmx with what the page shows: `after`, the last notification shown as a toast in this
    browser tab, and `unread`, the count on the badge. 204 while nothing is new (htmx leaves the page alone; a 304
    would swap in an empty body); else the new count and the toasts of the notifications above `after`, out of band,
    and the new `after` and `unread` for the next poll."""
    if not request.user.is_authenticated:
        # Signed out elsewhere: refused without a redirect, and the bell stops polling (behaviours/bell.js).
        return HttpResponse(status=401)
    after, shown = _number(request, "after", 0), _number(request, "unread", -1)
    unread, last_id = selectors.notification_state(request.user)
    if unread == shown and last_id <= after:
        return HttpResponse(status=204)
    items = selectors.notifications_unread_after(request.user, after) if unread > 0 and last_id > after else []
    # Rendered without the request: a poll every few seconds runs none of the page's context processors.
    response = HttpResponse(render_to_string("core/partials/bell_poll.html", {
        "after": max([after, *(n.pk for n in items)]),
        "unread": unread,
        "toasts": [{"notification": n, "link": _local(n.url)} for n in items],
    }))
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = selectors.notification_list(fetched_by=request.user, cursor=request.GET, size=PAGE_SIZE)
    unread, _last = selectors.notification_state(request.user)
    context = {
        "notifications": page.rows,
        "unread": unread,
        "nav": page.nav(reverse("core:notifications")),
        "position": position(request.GET),  # the mark-read forms come back to this page
    }
    return render(request, "core/notifications.html", context)


def _back_to_list(request: HttpRequest) -> HttpResponse:
    here = position(request.POST)
    url = reverse("core:notifications")
    return redirect(f"{url}?{urlencode(here)}" if here else url)


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    services.notification_mark_read(acting_user=actor_of(request), notification_id=notification_id)
    return _back_to_list(request)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notification_mark_all_read(acting_user=actor_of(request))
    return _back_to_list(request)


@admin_required
@require_http_methods(["GET", "POST"])
def message_send(request: HttpRequest) -> HttpResponse:
    form = MessageForm(request.POST or None)
    return submit(
        request, form,
        lambda: services.message_send(acting_user=actor_of(request), recipient=form.cleaned_data["recipient"],
                                      text=form.cleaned_data["text"]),
        message=lambda _sent: gettext("The message was sent to %(name)s.") % {
            "name": form.cleaned_data["recipient"].full_name},
        done=lambda _sent: reverse("core:message_send"),
        page=lambda: render(request, "core/message_send.html", {
            "title": gettext("Message to a user"), "form": form, "text_max_length": TEXT_MAX_LENGTH}),
    )
