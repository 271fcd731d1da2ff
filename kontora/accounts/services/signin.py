"""Sign-in and sign-out; the failures of a password re-entered to confirm an act.

Every sign-in writes one audit row, whatever its outcome: `accounts.signin.succeeded`, `accounts.signin.failed`
(a wrong password, a locked, disabled or dismissed account, an address slowed down by failures of many logins:
`extra.reason`) or `accounts.signin.locked` (the failure that locks the login). A refused sign-in's row and failure
are committed before the refusal is raised.
Signing out is not audited: a session that ends is not an act on the base (it also ends by expiring).
"""

from __future__ import annotations

import logging

from django.contrib.auth import authenticate
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kontora.accounts import selectors, tasks
from kontora.accounts.models import LoginFailure, User, UserSession, login_key
from kontora.core.audit import audit_record
from kontora.core.errors import Refused, Throttled
from kontora.core.middleware import client_ip

log = logging.getLogger(__name__)


def sign_in(request: HttpRequest, *, login: str, password: str) -> User:
    """Checks the password and the account's state; opens the session or raises Refused with the reason."""
    login = (login or "").strip()
    ip = client_ip(request)
    slowed = selectors.address_slowed_until(ip)
    if slowed is not None:
        # Checked before anything else: while the address waits, no password is tried and nothing is counted.
        seconds = selectors.seconds_until(slowed)
        log.warning("sign-in of %r from %s refused: the address is slowed for %d s", login, ip, seconds)
        _refused(login, ip, reason="address_slowed")
        raise Throttled(ngettext(
            "Too many failed sign-ins from your address. Try again in %(seconds)d second.",
            "Too many failed sign-ins from your address. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}, retry_after=seconds)
    until = selectors.locked_until(login=login, ip=ip)
    if until is not None:
        log.warning("sign-in of %r from %s refused: locked out until %s", login, ip, until.isoformat())
        _refused(login, ip, reason="locked_out")
        minutes = selectors.minutes_until(until)
        raise Refused(ngettext(
            "Too many failed attempts. Sign-in for this login is locked; try again in %(minutes)d minute.",
            "Too many failed attempts. Sign-in for this login is locked; try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes})
    user = authenticate(request, username=login, password=password)
    if user is None:
        with transaction.atomic():
            LoginFailure.objects.create(login=selectors.failure_login(login), ip=ip)
            locked = selectors.locked_until(login=login, ip=ip)
            if locked is None:
                _audit_failure(login, ip, reason="password")
            else:
                audit_record(
                    actor=None, event="accounts.signin.locked",
                    summary=_("Sign-in locked after repeated failures"), target=_named(login),
                    extra={"login": login, "ip": ip, "until": locked.isoformat()},
                )
        log.info("sign-in failed for %r from %s", login, ip)
        raise Refused(_("Wrong login or password."))
    assert isinstance(user, User)
    if user.dismissed:
        _refused(login, ip, reason="dismissed", user=user)
        raise Refused(_("This employee is dismissed; the account can no longer sign in."))
    if user.disabled:
        _refused(login, ip, reason="disabled", user=user)
        raise Refused(_("This account is disabled. Ask your administrator to enable it."))
    with transaction.atomic():
        LoginFailure.objects.filter(login=selectors.failure_login(login), ip=ip).delete()
        django_login(request, user)
        record = UserSession.objects.create(
            user=user,
            session_key=request.session.session_key or "",
            ip=ip,
            user_agent=request.headers.get("User-Agent", "")[:300],
        )
        audit_record(actor=user, event="accounts.signin.succeeded", summary=_("Signed in"), target=user,
                     extra={"ip": ip})
        transaction.on_commit(lambda: tasks.session_resolve_hostname(record.pk))
    log.info("user %s signed in from %s", user.login, ip)
    return user


def _named(login: str) -> User | None:
    """The account a typed login names, if any: the target of a failed sign-in's audit row."""
    return User.objects.filter(login_key=login_key(login)).first()


def _audit_failure(login: str, ip: str, *, reason: str, user: User | None = None) -> None:
    audit_record(actor=None, event="accounts.signin.failed", summary=_("Sign-in failed"), target=user or _named(login),
                 extra={"login": login, "ip": ip, "reason": reason})


def _refused(login: str, ip: str, *, reason: str, user: User | None = None) -> None:
    """The audit row of a sign-in refused before any failure is counted, in a transaction of its own."""
    with transaction.atomic():
        _audit_failure(login, ip, reason=reason, user=user)


def sign_out(request: HttpRequest) -> None:
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).delete()
    django_logout(request)


def reentry_failed(user: User) -> None:
    """A wrong password re-entered to confirm an act; LOGIN_FAILURE_LIMIT of them lock re-entry like sign-in
    (selectors.reentry_locked_minutes). The act's own service audits the attempt."""
    LoginFailure.objects.create(login=selectors.reentry_login(user), ip=selectors.REENTRY_IP)


def reentry_forget(user: User) -> None:
    LoginFailure.objects.filter(login=selectors.reentry_login(user), ip=selectors.REENTRY_IP).delete()
