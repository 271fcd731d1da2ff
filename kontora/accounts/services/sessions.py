"""Sign-in, lockout and sessions (users and their rights are written by services/users.py)."""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kontora.accounts.models import LoginFailure, User, UserSession
from kontora.core.middleware import client_ip

log = logging.getLogger(__name__)
audit = logging.getLogger("kontora.audit")


class SignInRefused(Exception):
    """The reason, in the user's language, why a sign-in was refused."""


def locked_until(*, login: str, ip: str) -> datetime | None:
    """When a lockout of this login from this address ends, or None if sign-in is open.

    LOGIN_FAILURE_LIMIT failures within LOGIN_LOCKOUT_SECONDS lock the login for LOGIN_LOCKOUT_SECONDS
    counted from the failure that reached the limit. Refused attempts during a lockout are not
    recorded, so the person is not kept out for ever by retrying.
    """
    now = timezone.now()
    window = timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    limit = settings.LOGIN_FAILURE_LIMIT
    times = list(
        LoginFailure.objects.filter(login=login.lower(), ip=ip, at__gte=now - 2 * window)
        .order_by("-at").values_list("at", flat=True)
    )
    for index, at in enumerate(times):
        if at + window <= now:
            break
        # `at` completes a lockout when it and the limit-1 failures before it fit in one window.
        earlier = times[index + limit - 1] if index + limit - 1 < len(times) else None
        if earlier is not None and at - earlier < window:
            return at + window
    return None


def is_locked_out(*, login: str, ip: str) -> bool:
    return locked_until(login=login, ip=ip) is not None


# A password re-entered to confirm an act (a signature) is counted like a sign-in, per user wherever it comes from:
# in the database, so every web process of an installation counts the same failures.
_REENTRY_IP = "::"  # "no address": the same row key from wherever the password is typed


def _reentry_key(user: User) -> str:
    return f"reentry:{user.pk}"


def reentry_locked_minutes(user: User) -> int:
    """Minutes until the user may re-enter the password again (LOGIN_FAILURE_LIMIT wrong ones lock it for
    LOGIN_LOCKOUT_SECONDS, as sign-in); 0 when they may now."""
    until = locked_until(login=_reentry_key(user), ip=_REENTRY_IP)
    return 0 if until is None else max(1, math.ceil((until - timezone.now()).total_seconds() / 60))


def reentry_failed(user: User) -> None:
    LoginFailure.objects.create(login=_reentry_key(user), ip=_REENTRY_IP)


def reentry_forget(user: User) -> None:
    LoginFailure.objects.filter(login=_reentry_key(user), ip=_REENTRY_IP).delete()


def sign_in(request: HttpRequest, *, login: str, password: str) -> User:
    """Checks the password and the account's state; opens the session or raises SignInRefused."""
    from django.contrib.auth import authenticate

    login = (login or "").strip()
    ip = client_ip(request)
    until = locked_until(login=login, ip=ip)
    if until is not None:
        minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
        log.warning("sign-in of %r from %s refused: locked out until %s", login, ip, until.isoformat())
        raise SignInRefused(ngettext(
            "Too many failed attempts. Sign-in for this login is locked; try again in %(minutes)d minute.",
            "Too many failed attempts. Sign-in for this login is locked; try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes})
    user = authenticate(request, username=login, password=password)
    if user is None:
        LoginFailure.objects.create(login=login.lower(), ip=ip)
        log.info("sign-in failed for %r from %s", login, ip)
        raise SignInRefused(_("Wrong login or password."))
    assert isinstance(user, User)
    if user.dismissed:
        raise SignInRefused(_("This employee is dismissed; the account can no longer sign in."))
    if user.disabled:
        raise SignInRefused(_("This account is disabled. Ask your administrator to enable it."))
    with transaction.atomic():
        LoginFailure.objects.filter(login=login.lower(), ip=ip).delete()
        django_login(request, user)
        UserSession.objects.create(
            user=user,
            session_key=request.session.session_key or "",
            ip=ip,
            user_agent=request.headers.get("User-Agent", "")[:300],
        )
        record_id = UserSession.objects.get(session_key=request.session.session_key or "").pk
        transaction.on_commit(lambda: _resolve_hostname_later(record_id))
    log.info("user %s signed in from %s", user.login, ip)
    return user


def _resolve_hostname_later(session_id: int) -> None:
    from kontora.accounts import tasks

    tasks.session_resolve_hostname(session_id)


def sign_out(request: HttpRequest) -> None:
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()
    django_logout(request)


def session_end(*, acting_user: User, session_id: int) -> UserSession | None:
    """Administration → Active users → End session: the user is signed out at the next request.

    Returns the ended record (no longer in the base), or None when the session had already ended.
    """
    with transaction.atomic():
        locked = UserSession.objects.select_for_update(of=("self",)).select_related("user")
        record = locked.filter(pk=session_id).first()
        if record is None:
            return None
        Session.objects.filter(session_key=record.session_key).delete()
        record.delete()
    audit.info("%s ended the session of %s from %s", acting_user.login, record.user.login, record.ip)
    return record


def sessions_prune() -> int:
    """Removes Active users rows whose browser session has expired or was deleted."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    deleted, _rows = UserSession.objects.exclude(session_key__in=live).delete()
    Session.objects.filter(expire_date__lte=timezone.now()).delete()
    # A lockout looks back two windows (the failures that caused it, then its duration).
    LoginFailure.objects.filter(at__lt=timezone.now() - 2 * timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)).delete()
    return deleted
