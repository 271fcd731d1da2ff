"""The bell's poll, the notifications page, and Administration → Message to a user."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import parse_etags, urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.core.forms.notifications import MessageForm
from kontora.core.permissions import actor_of, admin_required
from kontora.core.selectors import notifications as selectors
from kontora.core.services import notifications as services
from kontora.core.services.notifications import TEXT_MAX_LENGTH
from kontora.core.ui.pager import position
from kontora.core.ui.submit import submit

PAGE_SIZE = 50
View = TypeVar("View", bound=Callable[..., HttpResponse])


def passive_request(view: View) -> View:
    """Marks a background request (a poll) that is not the person's activity; see AccountStateMiddleware."""
    view.passive_request = True  # type: ignore[attr-defined]
    return view


@passive_request
@require_GET
def poll(request: HttpRequest) -> HttpResponse:
    """The bell: 304 while (unread count, newest unread id) is unchanged, else the count and new items."""
    if not request.user.is_authenticated:
        # A JSON endpoint: the script stops polling rather than following a redirect to the login page.
        return JsonResponse({"error": "unauthenticated"}, status=401)
    unread, last_id = selectors.notification_state(request.user)
    etag = f'"n{request.user.pk}-{unread}-{last_id}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        after = request.GET.get("after", "")
        after_id = int(after) if after.isdigit() else 0
        items = selectors.notifications_unread_after(request.user, after_id) if unread > 0 else []
        response = JsonResponse({
            "unread": unread,
            "items": [
                {
                    "id": n.pk,
                    "text": n.text,
                    "url": n.url,
                    "sender": str(n.sender) if n.sender else "",
                    "created": date_format(timezone.localtime(n.created_at), "SHORT_DATETIME_FORMAT"),
                }
                for n in items
            ],
        })
    response["ETag"] = etag
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
        page=lambda: render(request, "core/message_send.html", {"form": form, "text_max_length": TEXT_MAX_LENGTH}),
    )
