"""Administration → Users: every write to users, their roles and rights.

The base must always keep at least one active administrator (role Administrator, neither disabled
nor dismissed). Every change that could take the last one away locks all administrator rows first,
always in primary-key order, so two administrators demoting each other at the same moment cannot
both succeed.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils.translation import gettext as _

from kontora.accounts import rights as registry
from kontora.accounts import selectors
from kontora.accounts.models import User, UserRight, UserSession
from kontora.accounts.rights import ClientScope, Role
from kontora.core.models import Position

audit = logging.getLogger("kontora.audit")

PROFILE_FIELDS = (
    "login", "full_name", "department_id", "position_id", "doc_prefix", "email", "mobile", "disabled", "dismissed",
    "language",
)


@dataclass(frozen=True)
class UserProfile:
    """The General tab of the user card."""

    login: str
    full_name: str
    department_id: int | None = None
    position_id: int | None = None
    doc_prefix: str = ""
    email: str = ""
    mobile: str = ""
    disabled: bool = False
    dismissed: bool = False
    language: str = "ru"


@dataclass(frozen=True)
class UserAccess:
    """The Rights tab: the role, the working mode with clients and the rights granted beyond the role."""

    role: str
    client_scope: str
    rights: frozenset[str] = field(default_factory=frozenset)


def last_admin_message() -> str:
    return _("There must always be at least one administrator in the system: this user is the last active one.")


def user_create(*, acting_user: User | None, profile: UserProfile, access: UserAccess, password: str) -> User:
    """`acting_user` is None only for the first administrator, entered by the first-run wizard."""
    _validate_access(access)
    profile = _with_structure(profile)
    profile = replace(profile, login=profile.login.strip())
    user = User(**asdict(profile), role=access.role, client_scope=access.client_scope)
    _validate_password(password, user)
    try:
        with transaction.atomic():
            _check_login_free(profile.login, exclude_pk=None)
            user.set_password(password)
            user.save()
            granted = _store_rights(user, access)
    except IntegrityError as exc:
        raise ValidationError({"login": _login_taken_message()}) from exc
    audit.info(
        "%s created user %s (role %s, scope %s, rights %s%s)",
        acting_user.login if acting_user else "first-run wizard", user.login, user.role,
        user.client_scope, ",".join(sorted(granted)) or "-", ", disabled" if not user.is_active else "",
    )
    return user


def user_update(
    *,
    acting_user: User,
    user_id: int,
    profile: UserProfile,
    access: UserAccess,
    password: str = "",
    keep_session_key: str | None = None,
) -> User:
    """Saves both tabs of the card at once; `password`, when given, replaces the user's password."""
    _validate_access(access)
    profile = _with_structure(profile)
    profile = replace(profile, login=profile.login.strip())
    try:
        with transaction.atomic():
            locked = _lock_admins_and(user_id)
            user = locked[user_id]
            _check_last_admin(
                locked, user, role=access.role, disabled=profile.disabled, dismissed=profile.dismissed,
            )
            _check_login_free(profile.login, exclude_pk=user.pk)
            before = _snapshot(user)
            was_active = user.is_active
            for name in PROFILE_FIELDS:
                setattr(user, name, getattr(profile, name))
            user.role = access.role
            user.client_scope = access.client_scope
            update_fields = [*PROFILE_FIELDS, "role", "client_scope", "changed_at"]
            if password:
                _validate_password(password, user)
                user.set_password(password)
                update_fields.append("password")
            user.save(update_fields=update_fields)
            rights_before = set(user.granted_rights.values_list("code", flat=True))
            granted = _store_rights(user, access)
            if was_active and not user.is_active:
                # The session itself ends at the user's next request (AccountStateMiddleware),
                # with the notice why; Active users stops listing it right away.
                UserSession.objects.filter(user=user).delete()
            if password:
                _end_other_sessions(user, keep_session_key)
    except IntegrityError as exc:
        raise ValidationError({"login": _login_taken_message()}) from exc
    registry.forget(user)
    changes = _diff(before, _snapshot(user))
    added, removed = granted - rights_before, rights_before - granted
    if added:
        changes.append("rights +" + ",".join(sorted(added)))
    if removed:
        changes.append("rights -" + ",".join(sorted(removed)))
    if password:
        changes.append("password set")
    audit.info("%s changed user %s: %s", acting_user.login, user.login, "; ".join(changes) or "nothing")
    return user


def user_rights_set(*, acting_user: User, user_id: int, access: UserAccess) -> User:
    """The Rights tab alone: role, working mode with clients and additional rights."""
    user = User.objects.get(pk=user_id)
    profile = UserProfile(**{name: getattr(user, name) for name in PROFILE_FIELDS})
    return user_update(acting_user=acting_user, user_id=user_id, profile=profile, access=access)


def user_set_password(
    *, acting_user: User, user_id: int, password: str, keep_session_key: str | None = None
) -> None:
    """A new password ends the user's other sessions: whoever knew the old one is signed out."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        _validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password", "changed_at"])
        _end_other_sessions(user, keep_session_key)
    audit.info("%s set a new password for user %s", acting_user.login, user.login)


def user_delete(*, acting_user: User, user_id: int) -> None:
    try:
        with transaction.atomic():
            locked = _lock_admins_and(user_id)
            user = locked[user_id]
            _check_last_admin(locked, user, role=user.role, disabled=user.disabled, dismissed=user.dismissed,
                              deleting=True)
            if user_id == acting_user.pk:
                raise ValidationError(_("You cannot delete your own account; another administrator can."))
            login = user.login
            keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
            Session.objects.filter(session_key__in=keys).delete()
            user.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(_(
            "The user is referred to by records of the base and cannot be deleted. "
            "Mark the account disabled and the employee dismissed instead."
        )) from exc
    audit.info("%s deleted user %s", acting_user.login, login)


def _lock_admins_and(user_id: int) -> dict[int, User]:
    """Locks every administrator and the user being changed, in one query and one order."""
    rows = User.objects.select_for_update().filter(Q(role=Role.ADMIN) | Q(pk=user_id)).order_by("pk")
    locked = {user.pk: user for user in rows}
    if user_id not in locked:
        raise User.DoesNotExist(f"user {user_id} does not exist")
    return locked


def _is_active_admin(user: User) -> bool:
    return user.role == Role.ADMIN and not user.disabled and not user.dismissed


def _check_last_admin(
    locked: dict[int, User], user: User, *, role: str, disabled: bool, dismissed: bool, deleting: bool = False,
) -> None:
    stays_admin = not deleting and role == Role.ADMIN and not disabled and not dismissed
    if not _is_active_admin(user) or stays_admin:
        return
    if any(_is_active_admin(other) for pk, other in locked.items() if pk != user.pk):
        return
    message = last_admin_message()
    if deleting:
        raise ValidationError(message)
    errors: dict[str, str] = {}
    if role != Role.ADMIN:
        errors["role"] = message
    if disabled:
        errors["disabled"] = message
    if dismissed:
        errors["dismissed"] = message
    raise ValidationError(errors)


def _login_taken_message() -> str:
    return _("A user with this login already exists (logins do not depend on letter case).")


def _check_login_free(login: str, *, exclude_pk: int | None) -> None:
    if selectors.login_taken(login, exclude_pk=exclude_pk):
        raise ValidationError({"login": _login_taken_message()})


def _validate_access(access: UserAccess) -> None:
    errors: dict[str, Any] = {}
    if access.role not in Role.values:
        errors["role"] = _("Choose one of the roles.")
    if access.client_scope not in ClientScope.values:
        errors["client_scope"] = _("Choose one of the working modes with clients.")
    known = {right.code: right for right in registry.all_rights()}
    wrong = []
    for code in sorted(access.rights):
        right = known.get(code)
        if right is None:
            wrong.append(_("Unknown right “%(code)s”.") % {"code": code})
        elif not right.grantable:
            wrong.append(_("“%(right)s” comes only with a role.") % {"right": right.label})
    if wrong:
        errors["rights"] = wrong
    if errors:
        raise ValidationError(errors)


def _with_structure(profile: UserProfile) -> UserProfile:
    """A position belongs to one department: the department follows the position, a mismatch is refused."""
    if profile.position_id is None:
        return profile
    department_id = Position.objects.filter(pk=profile.position_id).values_list("department_id", flat=True).first()
    if department_id is None:
        raise ValidationError({"position": _("Choose a position of the enterprise structure.")})
    if profile.department_id is None:
        return replace(profile, department_id=department_id)
    if profile.department_id != department_id:
        raise ValidationError({"position": _("Choose a position of the chosen department.")})
    return profile


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _store_rights(user: User, access: UserAccess) -> set[str]:
    """Keeps only the grants beyond the role: what the role gives is shown on the tab as "from the role"."""
    wanted = set(access.rights) - registry.role_rights(access.role)
    UserRight.objects.filter(user=user).exclude(code__in=wanted).delete()
    have = set(UserRight.objects.filter(user=user).values_list("code", flat=True))
    UserRight.objects.bulk_create([UserRight(user=user, code=code) for code in sorted(wanted - have)])
    return wanted


def _end_other_sessions(user: User, keep_session_key: str | None) -> None:
    records = UserSession.objects.filter(user=user)
    if keep_session_key:
        records = records.exclude(session_key=keep_session_key)
    keys = list(records.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    records.delete()


def _snapshot(user: User) -> dict[str, Any]:
    return {name: getattr(user, name) for name in (*PROFILE_FIELDS, "role", "client_scope")}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [f"{name}: {before[name]!r} → {after[name]!r}" for name in before if before[name] != after[name]]
