from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.http import HttpRequest

from kontora.accounts.models import User, UserSession

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


def active_sessions() -> QuerySet[UserSession]:
    return UserSession.objects.select_related("user").order_by("-started_at")


def login_choices() -> QuerySet[User]:
    """Users offered in the login page's drop-down (when an administrator switched the list on)."""
    return User.objects.filter(disabled=False, dismissed=False).only("id", "login", "full_name")


def user_list() -> QuerySet[User]:
    return User.objects.order_by("full_name", "id")


def active_admin_count(*, exclude: User | None = None) -> int:
    qs = User.objects.filter(role="admin", disabled=False, dismissed=False)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.count()
