"""Row locks of the accounts app (every one through `core.locks.locked`: primary-key order, `of=("self",)`)."""

from __future__ import annotations

from django.db.models import Q

from kontora.accounts.models import Role, User, UserSession
from kontora.core.locks import locked
from kontora.core.models import SystemSettings


def admins_and_user(user_id: int, *, key_update: bool = False) -> dict[int, User]:
    """Every administrator and the user being changed, in one query and one order: two administrators demoting
    each other at the same moment cannot both pass the last-administrator check. `key_update` when the user is
    deleted (rows pointing at it must wait). A missing user raises User.DoesNotExist."""
    rows = locked(User.objects.filter(Q(role=Role.ADMIN) | Q(pk=user_id)), key_update=key_update)
    found = {user.pk: user for user in rows}
    if user_id not in found:
        raise User.DoesNotExist(f"user {user_id} does not exist")
    return found


def user(user_id: int) -> User:
    return locked(User.objects.filter(pk=user_id)).get()


def user_session(session_id: int) -> UserSession | None:
    """The Active users row (with its user, who is not locked) about to be ended; None once it has ended."""
    return locked(UserSession.objects.filter(pk=session_id).select_related("user"), key_update=True).first()


def setup_settings() -> SystemSettings:
    """The system settings row: it serialises two browsers finishing the first-run wizard at once."""
    return locked(SystemSettings.objects.filter(pk=1)).get()
