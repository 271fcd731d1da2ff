from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from kontora.accounts.models import User, UserRight, UserSession, login_key

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


def session_touch(request: HttpRequest, *, every: timedelta, now: datetime) -> None:
    """Keep the Active users list's last request time fresh, writing at most once a minute."""
    last = request.session.get("kontora_seen")
    if last is not None and now.timestamp() - float(last) < every.total_seconds():
        return
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key).update(last_seen_at=now)
    request.session["kontora_seen"] = now.timestamp()


def active_sessions(*, now: datetime) -> QuerySet[UserSession]:
    """Administration → Active users: signed-in sessions whose browser session is still alive."""
    live = Session.objects.filter(expire_date__gt=now).values("session_key")
    return UserSession.objects.filter(session_key__in=live).select_related("user").order_by("-started_at", "-id")


def login_choices() -> QuerySet[User]:
    """Users offered in the login page's drop-down (when an administrator switched the list on)."""
    return User.objects.filter(disabled=False, dismissed=False).only("id", "login", "full_name")


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


def access_user(user_id: int) -> User:
    return get_object_or_404(User, pk=user_id)


def granted_rights(user: User) -> set[str]:
    """Rights given to the user on the card beyond the role's base set."""
    return set(UserRight.objects.filter(user=user).values_list("code", flat=True))


def login_taken(login: str, *, exclude_pk: int | None = None) -> bool:
    others = User.objects.all() if exclude_pk is None else User.objects.exclude(pk=exclude_pk)
    return others.filter(login_key=login_key(login)).exists()


def active_admin_count(*, exclude: User | None = None) -> int:
    qs = User.objects.filter(role="admin", disabled=False, dismissed=False)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.count()
