"""Administration → Active users: who is signed in now, his sessions grouped, from which computer; ending a
session."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kontora.accounts import selectors
from kontora.accounts.policies import user_of
from kontora.accounts.services import sessions as services
from kontora.core.permissions import admin_required


@admin_required
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    people = selectors.active_people(now=timezone.now(), current_key=request.session.session_key,
                                     idle_after=timedelta(minutes=settings.SESSION_IDLE_MINUTES))
    rows = sorted((row for person in people for row in person.sessions),
                  key=lambda row: (row.record.started_at, row.record.pk), reverse=True)
    return render(request, "accounts/sessions.html", {
        "people": people, "rows": rows, "idle_minutes": settings.SESSION_IDLE_MINUTES,
        "working": sum(1 for person in people if person.working),
    })


@admin_required
@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    record = services.session_end(acting_user=user_of(request), session_id=pk)
    if record is None:
        messages.info(request, gettext("This session has already ended."))
    else:
        messages.success(request, gettext(
            "The session of %(name)s has been ended: the user is signed out at their next request."
        ) % {"name": record.user.full_name})
    return redirect("accounts:sessions")
