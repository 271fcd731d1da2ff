"""Administration → Active users: ending a session; and the upkeep of the list (last request, computer name,
clean-up of ended sessions).

Only ending a session is an act of a person and writes an audit row; the upkeep is the program's own
bookkeeping (a row per request or per quarter-hour would bury the audit) and writes none.
"""

from __future__ import annotations

import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts import locks
from kontora.accounts.models import LoginFailure, User, UserSession
from kontora.core.audit import audit_record


def session_end(*, acting_user: User, session_id: int) -> UserSession | None:
    """Administration → Active users → End session: the user is signed out at the next request.

    Returns the ended record (no longer in the base), or None when the session had already ended (then nothing
    is written, nor audited).
    """
    with transaction.atomic():
        record = locks.user_session(session_id)
        if record is None:
            return None
        Session.objects.filter(session_key=record.session_key).delete()
        record.delete()
        audit_record(
            actor=acting_user, event="accounts.session.end", summary=_("Session ended"), target=record.user,
            extra={"ip": record.ip, "hostname": record.hostname},
        )
    return record


def session_touch(request: HttpRequest, *, every: timedelta, now: datetime) -> None:
    """Keep the Active users list's last request time fresh, writing at most once a minute."""
    last = request.session.get("kontora_seen")
    if last is not None and now.timestamp() - float(last) < every.total_seconds():
        return
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).update(last_seen_at=now)
    request.session["kontora_seen"] = now.timestamp()


def session_hostname_resolve(*, session_id: int) -> None:
    """Reverse DNS of the user's address for Active users; run off the request (a task), it can be slow."""
    record = UserSession.objects.filter(pk=session_id).only("ip").first()
    if record is None:
        return
    try:
        hostname = socket.gethostbyaddr(record.ip)[0]
    except (OSError, UnicodeError):
        return
    UserSession.objects.filter(pk=session_id).update(hostname=hostname[:255])


def sessions_prune() -> int:
    """Removes Active users rows whose browser session has expired or was deleted, and failed sign-ins too old to
    count towards a lockout or an address's slow-down."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    deleted, _rows = UserSession.objects.exclude(session_key__in=live).delete()
    Session.objects.filter(expire_date__lte=timezone.now()).delete()
    # A lockout looks back two windows (the failures that caused it, then its duration); an address's slow-down
    # looks back its own window.
    kept = max(2 * settings.LOGIN_LOCKOUT_SECONDS, settings.SIGNIN_ADDRESS_WINDOW_SECONDS)
    LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(seconds=kept)).delete()
    return deleted
