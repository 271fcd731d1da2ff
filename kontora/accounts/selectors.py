"""Every read of the accounts app: the setup state, users, sessions, the lockout of sign-in."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Aggregate, CharField, Count, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from kontora.accounts import hooks, policies
from kontora.accounts.models import LoginFailure, User, UserRight, UserSession, login_key
from kontora.core.models import AuditEvent
from kontora.core.selectors.settings import system_settings
from kontora.core.text import ip_networks, ip_within

_has_users = False


def setup_required() -> bool:
    """True until the first user exists; remembered per process once false (users are never all deleted)."""
    global _has_users
    if _has_users:
        return False
    _has_users = User.objects.exists()
    return not _has_users


def forget_setup_state() -> None:
    global _has_users
    _has_users = False


# --- users ------------------------------------------------------------------------------------------------------

USER_SORTS = {
    "login": ("login", "id"),
    "full_name": ("full_name", "id"),
    "position": ("position__name", "full_name", "id"),
    "department": ("department__name", "full_name", "id"),
    "role": ("role", "full_name", "id"),
    "doc_prefix": ("doc_prefix", "full_name", "id"),
}


def user_list(*, sort: str = "full_name") -> QuerySet[User]:
    """Administration → Users; `sort` is a column key of USER_SORTS, "-key" for descending."""
    descending = sort.startswith("-")
    keys = USER_SORTS.get(sort.lstrip("-"), USER_SORTS["full_name"])
    return User.objects.select_related("department", "position").order_by(
        *(f"-{key}" if descending else key for key in keys)
    )


def access_user(fetched_by: User, user_id: int) -> User:
    """A user's card, for one who may administer users; 404 for anyone else, as for a user that does not exist."""
    if not policies.can_administer(fetched_by):
        raise Http404
    return get_object_or_404(User, pk=user_id)


class _Joined(Aggregate):
    """The group's texts joined by commas: SQLite's group_concat, PostgreSQL's string_agg."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="STRING_AGG",
                           template="%(function)s(%(expressions)s, ',')", **extra)


def with_rights(users: QuerySet[User]) -> QuerySet[User]:
    """Users read with the codes of the rights granted to them (`granted_codes`, joined by commas), in the same query:
    the request's user is read so (accounts.backends), and his rights then cost no query of their own
    (policies.effective_rights)."""
    codes = (UserRight.objects.filter(user_id=OuterRef("pk")).order_by().values("user_id")
             .annotate(codes=_Joined("code")).values("codes"))
    return users.annotate(granted_codes=Subquery(codes))


def granted_rights(user: User) -> set[str]:
    """Rights given to the user on the card beyond the role's base set."""
    return set(UserRight.objects.filter(user=user).values_list("code", flat=True))


def login_taken(login: str, *, exclude_pk: int | None = None) -> bool:
    others = User.objects.all() if exclude_pk is None else User.objects.exclude(pk=exclude_pk)
    return others.filter(login_key=login_key(login)).exists()


# --- sessions and sign-in -----------------------------------------------------------------------------------------

def active_sessions(*, now: datetime) -> QuerySet[UserSession]:
    """Administration → Active users: signed-in sessions whose browser session is still alive."""
    live = Session.objects.filter(expire_date__gt=now).values("session_key")
    return UserSession.objects.filter(session_key__in=live).select_related("user").order_by("-started_at", "-id")


@dataclass(frozen=True)
class SessionRow:
    record: UserSession
    is_current: bool
    idle: bool  # no request for longer than the idle time: most often a browser closed without signing out
    idle_minutes: int  # whole minutes since the last request


@dataclass(frozen=True)
class Person:
    """A signed-in user of Active users with his sessions, the most recently used first."""

    user: User
    sessions: list[SessionRow]

    @property
    def working(self) -> int:
        """Sessions with a request within the idle time: the person works in them now."""
        return sum(1 for row in self.sessions if not row.idle)

    @property
    def last_seen_at(self) -> datetime:
        return self.sessions[0].record.last_seen_at


def active_people(*, now: datetime, current_key: str | None, idle_after: timedelta) -> list[Person]:
    """Administration → Active users by person: a closed browser leaves its session alive until it expires, so one
    person may hold many; those without a request for longer than `idle_after` are idle. People working now come
    first, then by the last request; one query."""
    people: dict[int, list[SessionRow]] = {}
    users: dict[int, User] = {}
    for record in active_sessions(now=now):
        idle_for = max(now - record.last_seen_at, timedelta(0))
        users[record.user_id] = record.user
        people.setdefault(record.user_id, []).append(SessionRow(
            record=record, is_current=record.session_key == current_key, idle=idle_for > idle_after,
            idle_minutes=int(idle_for.total_seconds() // 60),
        ))
    shown = []
    for user_id, rows in people.items():
        rows.sort(key=lambda row: (row.record.last_seen_at, row.record.pk), reverse=True)
        shown.append(Person(user=users[user_id], sessions=rows))
    shown.sort(key=lambda person: (person.working == 0, -person.last_seen_at.timestamp(), person.user.full_name))
    return shown


def users_working() -> list[tuple[int, str, str]]:
    """(id, full name, login) of every user neither disabled nor dismissed, for matching typed names in memory (an
    import's curator column): one query, however many rows name them."""
    return list(User.objects.filter(disabled=False, dismissed=False).order_by("id")
                .values_list("id", "full_name", "login"))


def login_choices() -> QuerySet[User]:
    """Users offered in the login page's drop-down (when an administrator switched the list on)."""
    return User.objects.filter(disabled=False, dismissed=False).only("id", "login", "full_name")


def failure_login(login: str) -> str:
    """The form in which failures of a typed login are counted: the authentication's own key (`login_key`, a
    case fold), so every spelling that signs in to one account ("Manager", "ſup1" for "sup1", "ﬆiﬀ" for
    "stiff") counts against that account's one lockout (issue 11, F11)."""
    return login_key(login)


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
        LoginFailure.objects.filter(login=failure_login(login), ip=ip, at__gte=now - 2 * window)
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


def address_allowed(ip: str) -> bool:
    """Whether the address lies in an office network the administrator listed (Settings → Functionality): such
    an address is never slowed, since a whole office may sign in from it."""
    networks, _bad = ip_networks(system_settings().signin_allowed_networks)
    return ip_within(ip, networks)


def address_slowed_until(ip: str) -> datetime | None:
    """Until when sign-ins from this address wait unchecked, or None when they are checked now (issue 11, F12).

    Failures are counted per address across all logins, within SIGNIN_ADDRESS_WINDOW_SECONDS, from the rows every
    web process writes (LoginFailure). From SIGNIN_ADDRESS_FAILURE_LIMIT of them on, each further attempt waits
    SIGNIN_ADDRESS_DELAY_SECONDS after the last failure, doubled with every failure beyond the limit, up to
    SIGNIN_ADDRESS_DELAY_MAX_SECONDS: the address is slowed, never locked. Successes are not counted (a success
    even forgets its login's failures from the address), nor are refusals while slowed, so waiting out the delay
    always brings one checked attempt. Listed office networks are never slowed.
    """
    if ip == REENTRY_IP:
        return None
    now = timezone.now()
    failures = LoginFailure.objects.filter(
        ip=ip, at__gte=now - timedelta(seconds=settings.SIGNIN_ADDRESS_WINDOW_SECONDS)
    ).aggregate(count=Count("id"), last=Max("at"))
    beyond = failures["count"] - settings.SIGNIN_ADDRESS_FAILURE_LIMIT
    if beyond < 0 or address_allowed(ip):
        return None
    delay = min(settings.SIGNIN_ADDRESS_DELAY_SECONDS * 2 ** min(beyond, 32), settings.SIGNIN_ADDRESS_DELAY_MAX_SECONDS)
    until: datetime = failures["last"] + timedelta(seconds=delay)
    return until if until > now else None


def seconds_until(moment: datetime) -> int:
    """Whole seconds left until `moment`, at least one (the slowed address's message counts them down)."""
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def minutes_until(moment: datetime) -> int:
    """Whole minutes left until `moment`, at least one (the lockout messages count them down)."""
    return max(1, math.ceil((moment - timezone.now()).total_seconds() / 60))


# A password re-entered to confirm an act (a signature) is counted like a sign-in, per user wherever it comes from:
# in the database, so every web process of an installation counts the same failures.
REENTRY_IP = "::"  # "no address": the same row key from wherever the password is typed


def reentry_login(user: User) -> str:
    return f"reentry:{user.pk}"


def reentry_locked_minutes(user: User) -> int:
    """Minutes until the user may re-enter the password again (LOGIN_FAILURE_LIMIT wrong ones lock it for
    LOGIN_LOCKOUT_SECONDS, as sign-in); 0 when they may now."""
    until = locked_until(login=reentry_login(user), ip=REENTRY_IP)
    return 0 if until is None else minutes_until(until)


# --- what others did to the user, told at his next sign-in (F1) --------------------------------------------------

PASSWORD_RESET = "accounts.user.password_reset"  # a password set by someone else
PASSWORD_OWN = "accounts.user.password"  # the user's own change of his password
SIGNED_IN = "accounts.signin.succeeded"
NOTICES_SHOWN = 20  # the newest ones; the notice says how many more there are


@dataclass(frozen=True)
class Notice:
    at: datetime
    actor: str
    action: str


@dataclass(frozen=True)
class SigninNotices:
    previous_at: datetime | None  # the sign-in before this one (None: this is the first)
    previous_ip: str
    items: list[Notice]  # newest first
    more: int  # older ones not listed


def password_reset_rows(user: User) -> Q:
    return Q(target_type=User._meta.label_lower, target_id=user.pk)


def password_reset_action(row: AuditEvent) -> str:
    return gettext("reset of your password (whoever knows the new one can sign in as you)")


def signin_notices(user: User) -> SigninNotices | None:
    """What others did to the user's account and clients between his previous sign-in and this one (the rows of
    `hooks.SIGNIN_NOTICES`), for the notice shown right after he signs in: each act once, at the first sign-in after
    it — except a reset of his password, told at every sign-in until he sets his own: whoever reset it may have
    signed in as him first and so used up the one telling. Called after the sign-in's own audit row is written; None
    when there is nothing to tell."""
    signins = list(
        AuditEvent.objects.filter(event=SIGNED_IN, target_type=User._meta.label_lower, target_id=user.pk)
        .order_by("-at", "-id").values_list("at", "extra")[:2]
    )
    if not signins:
        return None
    condition = Q()
    for notice in hooks.SIGNIN_NOTICES.items():
        about_user = notice.rows(user)
        if about_user is not None:
            condition |= Q(event=notice.event) & about_user
    if not condition:
        return None
    previous_at, previous_ip = (signins[1][0], str(signins[1][1].get("ip", ""))) if len(signins) > 1 else (None, "")
    if previous_at is not None:
        condition &= Q(at__gt=previous_at)
    own_password = AuditEvent.objects.filter(
        password_reset_rows(user), event=PASSWORD_OWN, actor_id=user.pk).order_by("-at").values_list("at", flat=True)
    unanswered_resets = Q(event=PASSWORD_RESET) & password_reset_rows(user)
    if own_password:
        unanswered_resets &= Q(at__gt=own_password[0])
    rows = AuditEvent.objects.filter(condition | unanswered_resets, at__lte=signins[0][0]).exclude(actor_id=user.pk)
    found = list(rows.select_related("actor").order_by("-at", "-id")[:NOTICES_SHOWN + 1])
    if not found:
        return None
    more = rows.count() - NOTICES_SHOWN if len(found) > NOTICES_SHOWN else 0
    actions = {notice.event: notice.action for notice in hooks.SIGNIN_NOTICES.items()}
    items = [Notice(at=row.at, actor=str(row.actor) if row.actor else "", action=actions[row.event](row))
             for row in found[:NOTICES_SHOWN]]
    return SigninNotices(previous_at=previous_at, previous_ip=previous_ip, items=items, more=more)


def signin_landing(user: User) -> str:
    """Where the user lands after signing in without a page asked for (TSK-08): the first registered landing
    (`hooks.SIGNIN_LANDINGS`, by order) that answers a URL, else ""."""
    for landing in sorted(hooks.SIGNIN_LANDINGS.items(), key=lambda item: item.order):
        url = landing.url(user)
        if url:
            return url
    return ""
