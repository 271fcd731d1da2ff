"""Administration → Active users: who is signed in now, from which computer; ending a session."""

from __future__ import annotations

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
    current = request.session.session_key
    rows = [
        {"record": record, "is_current": record.session_key == current}
        for record in selectors.active_sessions(now=timezone.now())
    ]
    return render(request, "accounts/sessions.html", {"rows": rows})


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
