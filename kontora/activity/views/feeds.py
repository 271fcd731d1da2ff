"""The calendar address (PLN-04): its page (make, replace, revoke; the token shown once), its tab of Parameters, and
the feed itself — `calendar/<token>.ics`, reached without a session by phone and desktop calendars.

The feed is iCalendar (RFC 5545) written here: one VEVENT per task, its UID stable per task, times in UTC, the
summary the description's first line, the client named only while the user may still open it.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kontora.accounts.policies import user_of
from kontora.activity.forms.feeds import CREATE, CalendarFeedForm, CalendarTabForm
from kontora.activity.models import Task
from kontora.activity.selectors import feeds as selectors
from kontora.activity.services import feeds as services
from kontora.core.errors import DomainError, error_messages
from kontora.core.selectors.calendar import user_zone

# --- the page and the Parameters' tab ---------------------------------------------------------------------------


def parameters_tab_form(user: Any, data: Any) -> CalendarTabForm:
    return CalendarTabForm(data, feed=selectors.calendar_feed_state(user))


def parameters_tab_save(user: Any, form: Any) -> None:
    """Nothing to save: the address is made and revoked on its own page."""


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = CalendarFeedForm(request.POST or None)
    token = ""
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["action"] == CREATE:
                token = services.calendar_feed_create(acting_user=user)
            else:
                services.calendar_feed_revoke(acting_user=user)
        except DomainError as exc:
            errors = error_messages(exc)
    context = {
        "feed": selectors.calendar_feed_state(user),
        # Shown in this answer only: the base keeps the token's hash, and this page is never cached.
        "feed_url": request.build_absolute_uri(reverse("activity:feed", kwargs={"token": token})) if token else "",
        "errors": errors or [str(error) for error in form.non_field_errors()],
    }
    return render(request, "activity/calendar_feed.html", context, status=400 if errors else 200)


# --- the feed -----------------------------------------------------------------------------------------------------


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    owner = selectors.feed_owner(token)
    if owner is None:
        raise Http404  # revoked, unknown or malformed: the same answer
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        body = ics_calendar(owner, selectors.feed_tasks(owner=owner), request)
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kontora-tasks.ics"'
    # The address is a secret: no shared cache keeps the answer, no search engine lists it.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def ics_calendar(owner: Any, tasks: Iterable[Task], request: HttpRequest) -> str:
    stamp = _utc(timezone.now())
    site = _site_id()
    zone = user_zone(owner)  # the due time in the description is on the user's clock; DTSTART/DTEND are UTC
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kontora//Kontora CRM//RU", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", "X-WR-CALNAME:" + _escape(_("Kontora tasks: %(user)s") % {"user": owner}),
        "REFRESH-INTERVAL;VALUE=DURATION:PT15M", "X-PUBLISHED-TTL:PT15M",
    ]
    for task in tasks:
        lines += _vevent(task, request, site=site, stamp=stamp, zone=zone)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _vevent(task: Task, request: HttpRequest, *, site: str, stamp: str, zone: Any) -> list[str]:
    description = task.description.strip()
    summary = description.splitlines()[0].strip() if description else ""
    lines = [
        "BEGIN:VEVENT",
        f"UID:task-{task.pk}-{site}@kontora",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{_utc(task.starts_at)}",
    ]
    if task.duration_minutes:
        lines.append(f"DTEND:{_utc(task.starts_at + datetime.timedelta(minutes=task.duration_minutes))}")
    lines += [
        "SUMMARY:" + _escape(summary[:250] or _("Task #%(number)s") % {"number": task.pk}),
        "DESCRIPTION:" + _escape("\n".join(_details(task, zone))),
        "URL:" + request.build_absolute_uri(reverse("activity:task", kwargs={"pk": task.pk})),
        f"LAST-MODIFIED:{_utc(task.changed_at)}",
    ]
    if task.importance == Task.Importance.HIGH:
        lines.append("PRIORITY:1")
    lines.append("END:VEVENT")
    return lines


def _details(task: Task, zone: Any) -> list[str]:
    if task.client_id is None:
        about = _("Case: %(title)s") % {"title": task.case.title if task.case else "—"}
    elif getattr(task, "client_open", False):
        about = _("Client: %(name)s") % {"name": task.client.short_name if task.client else "—"}
    else:
        about = _("Client: %(name)s") % {"name": _("client unavailable")}
    return [
        about,
        _("Importance: %(value)s") % {"value": task.get_importance_display()},
        _("State: %(value)s") % {"value": task.get_state_display()},
        _("Due: %(value)s") % {"value": task.due_at.astimezone(zone).strftime("%d.%m.%Y %H:%M")},
        "",
        task.description.strip(),
    ]


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _site_id() -> str:
    """A short, stable mark of this installation: UIDs stay the same across requests and hosts, and differ from
    another Kontora's tasks of the same number."""
    return hashlib.sha256(f"kontora-feed-uid:{settings.SECRET_KEY}".encode()).hexdigest()[:12]


def _escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped; other controls dropped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(ch for ch in text if ch == "\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F))


def _fold(line: str) -> str:
    """Lines longer than 75 octets folded (§3.1), never inside a UTF-8 character."""
    if len(line.encode("utf-8")) <= 75:
        return line
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # a continuation line starts with a space
        current += ch
        size += width
    parts.append(current)
    return "\r\n ".join(parts)

