"""Every write of the accounts app: sign-in, sessions, users, rights."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import LoginFailure, User, UserSession
from kontora.core.middleware import client_ip

log = logging.getLogger(__name__)


class SignInRefused(Exception):
    """The reason, in the user's language, why a sign-in was refused."""


def _lockout_window_start() -> datetime:
    return timezone.now() - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def is_locked_out(*, login: str, ip: str) -> bool:
    recent = LoginFailure.objects.filter(login=login.lower(), ip=ip, at__gte=_lockout_window_start())
    return recent.count() >= settings.LOGIN_FAILURE_LIMIT


def sign_in(request: HttpRequest, *, login: str, password: str) -> User:
    """Checks the password and the account's state; opens the session or raises SignInRefused."""
    from django.contrib.auth import authenticate

    login = (login or "").strip()
    ip = client_ip(request)
    if is_locked_out(login=login, ip=ip):
        minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
        raise SignInRefused(
            _("Too many failed attempts. Sign-in for this login is locked for %(minutes)d minutes.")
            % {"minutes": minutes}
        )
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


def session_end(*, acting_user: User, session_id: int) -> None:
    """Administration → Active users → End session: the user is signed out at the next request."""
    with transaction.atomic():
        record = UserSession.objects.select_for_update().filter(pk=session_id).first()
        if record is None:
            return
        Session.objects.filter(session_key=record.session_key).delete()
        record.delete()
    log.info("session of %s ended by %s", record.user_id, acting_user.login)


def sessions_prune() -> int:
    """Removes Active users rows whose browser session has expired or was deleted."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    deleted, _rows = UserSession.objects.exclude(session_key__in=live).delete()
    Session.objects.filter(expire_date__lte=timezone.now()).delete()
    LoginFailure.objects.filter(at__lt=_lockout_window_start()).delete()
    return deleted
