"""Administration → Users: every write to users, their roles and rights.

The base must always keep at least one active administrator (role Administrator, neither disabled
nor dismissed). Every change that could take the last one away locks all administrator rows first
(locks.admins_and_user), so two administrators demoting each other at the same moment cannot both succeed.

Whoever writes a login writes its key with it (`login_key`): the base finds users by the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from kontora.accounts import hooks, locks, policies, selectors
from kontora.accounts.models import ClientScope, Role, User, UserRight, UserSession, login_key
from kontora.core.audit import Change, audit_record, changes_between, model_update, shown, snapshot
from kontora.core.errors import Refused
from kontora.core.models import Department, Position

PROFILE_FIELDS = (
    "login", "full_name", "department_id", "position_id", "doc_prefix", "email", "mobile", "disabled", "dismissed",
    "language",
)
# The fields both tabs of the card write, as the audit names them (the structure by its records, not their ids).
CARD_FIELDS = (
    "login", "full_name", "department", "position", "doc_prefix", "email", "mobile", "disabled", "dismissed",
    "language", "role", "client_scope",
)
CHOICE_FIELDS = ("role", "client_scope", "language")
PASSWORD_CHANGE = selectors.PASSWORD_OWN  # the user's own
PASSWORD_RESET = selectors.PASSWORD_RESET  # set by someone else (an administrator)


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


def user_create(*, acting_user: User | None, profile: UserProfile, access: UserAccess, password: str) -> User:
    """`acting_user` is None for an administrator made by `kontora createadmin`."""
    _validate_access(access)
    values = _card_values(profile, access)
    user = User(**values, login_key=login_key(values["login"]))
    _validate_password(password, user)
    try:
        with transaction.atomic():
            _check_login_free(user.login, exclude_pk=None)
            user.set_password(password)
            user.save()
            granted = _store_rights(user, access)
            created = {name: value for name, value in _shown_values(user).items() if value not in (None, "", False)}
            audit_record(
                actor=acting_user, event="accounts.user.create", summary=_("User created"), target=user,
                changes=[*changes_between(User, {}, created, CARD_FIELDS), *_rights_change(set(), granted)],
            )
    except IntegrityError as exc:
        raise ValidationError({"login": _login_taken_message()}) from exc
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
    """Saves both tabs of the card at once; `password`, when given, replaces the user's password.

    Audited as `accounts.user.disable` / `accounts.user.enable` when the account stops or starts being able to
    sign in, `accounts.user.update` otherwise; the row lists every changed field, the rights and the password.
    """
    return _user_change(acting_user=acting_user, user_id=user_id, profile=profile, access=access, password=password,
                        keep_session_key=keep_session_key, event="")


def user_rights_set(*, acting_user: User, user_id: int, access: UserAccess) -> User:
    """The Rights tab alone: role, working mode with clients and additional rights."""
    user = User.objects.get(pk=user_id)
    profile = UserProfile(**{name: getattr(user, name) for name in PROFILE_FIELDS})
    return _user_change(acting_user=acting_user, user_id=user_id, profile=profile, access=access, password="",
                        keep_session_key=None, event="accounts.user.rights")


def user_set_password(
    *, acting_user: User, user_id: int, password: str, keep_session_key: str | None = None
) -> None:
    """A new password ends the user's other sessions: whoever knew the old one is signed out."""
    with transaction.atomic():
        user = locks.user(user_id)
        _validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password", "changed_at"])
        _end_other_sessions(user, keep_session_key)
        _password_changed(acting_user, user)
        if user.pk == acting_user.pk:
            audit_record(actor=acting_user, event=PASSWORD_CHANGE, summary=_("Password changed"), target=user,
                         changes=[_password_change()])
        else:
            _audit_reset(acting_user, user)


def user_delete(*, acting_user: User, user_id: int) -> None:
    try:
        with transaction.atomic():
            locked = locks.admins_and_user(user_id, key_update=True)
            user = locked[user_id]
            _check_last_admin(locked, user, role=user.role, disabled=user.disabled, dismissed=user.dismissed,
                              deleting=True)
            if user_id == acting_user.pk:
                raise Refused(_("You cannot delete your own account; another administrator can."))
            # Written first: the row names the user by its id, which the deleted instance no longer has.
            audit_record(actor=acting_user, event="accounts.user.delete", summary=_("User deleted"), target=user,
                         extra={"login": user.login, "full_name": user.full_name})
            keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
            Session.objects.filter(session_key__in=keys).delete()
            user.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise Refused(_(
            "The user is referred to by records of the base and cannot be deleted. "
            "Mark the account disabled and the employee dismissed instead."
        )) from exc


def _user_change(
    *, acting_user: User, user_id: int, profile: UserProfile, access: UserAccess, password: str,
    keep_session_key: str | None, event: str,
) -> User:
    """Both tabs of the card, and the audit row: `event`, or the one user_update's docstring names when empty."""
    _validate_access(access)
    values = _card_values(profile, access)
    try:
        with transaction.atomic():
            locked = locks.admins_and_user(user_id)
            user = locked[user_id]
            _check_last_admin(
                locked, user, role=access.role, disabled=profile.disabled, dismissed=profile.dismissed,
            )
            _check_login_free(values["login"], exclude_pk=user.pk)
            was_active = user.is_active
            before = _shown_values(user)
            model_update(user, data=values, fields=CARD_FIELDS)
            if user.login_key != login_key(user.login):
                user.login_key = login_key(user.login)
                user.save(update_fields=["login_key"])
            changes = changes_between(User, before, _shown_values(user), CARD_FIELDS)
            if password:
                _validate_password(password, user)
                user.set_password(password)
                user.save(update_fields=["password", "changed_at"])
                _end_other_sessions(user, keep_session_key)
                _password_changed(acting_user, user)
                changes.append(_password_change())
            rights_before = selectors.granted_rights(user)
            changes += _rights_change(rights_before, _store_rights(user, access))
            if was_active and not user.is_active:
                # The session itself ends at the user's next request (AccountStateMiddleware),
                # with the notice why; Active users stops listing it right away.
                UserSession.objects.filter(user=user).delete()
            event, summary = _change_event(event, was_active=was_active, active=user.is_active)
            audit_record(actor=acting_user, event=event, summary=summary, target=user, changes=changes)
            if password and user.pk != acting_user.pk:
                _audit_reset(acting_user, user)
    except IntegrityError as exc:
        raise ValidationError({"login": _login_taken_message()}) from exc
    policies.forget(user)
    return user


def _change_event(event: str, *, was_active: bool, active: bool) -> tuple[str, str]:
    if event == "accounts.user.rights":
        return event, _("User rights changed")
    if was_active and not active:
        return "accounts.user.disable", _("User disabled")
    if active and not was_active:
        return "accounts.user.enable", _("User enabled")
    return "accounts.user.update", _("User changed")


def _card_values(profile: UserProfile, access: UserAccess) -> dict[str, Any]:
    """The card's values as the model's fields, the structure as its records (checked: see _structure)."""
    department, position = _structure(profile)
    return {
        "login": profile.login.strip(), "full_name": profile.full_name, "department": department,
        "position": position, "doc_prefix": profile.doc_prefix, "email": profile.email, "mobile": profile.mobile,
        "disabled": profile.disabled, "dismissed": profile.dismissed, "language": profile.language,
        "role": access.role, "client_scope": access.client_scope,
    }


def _structure(profile: UserProfile) -> tuple[Department | None, Position | None]:
    """A position belongs to one department: the department follows the position, a mismatch is refused."""
    department = Department.objects.get(pk=profile.department_id) if profile.department_id is not None else None
    if profile.position_id is None:
        return department, None
    position = Position.objects.select_related("department").filter(pk=profile.position_id).first()
    if position is None:
        raise ValidationError({"position": _("Choose a position of the enterprise structure.")})
    if department is None:
        return position.department, position
    if department.pk != position.department_id:
        raise ValidationError({"position": _("Choose a position of the chosen department.")})
    return department, position


def _shown_values(user: User) -> dict[str, Any]:
    """The card's values as the card shows them: choices by their labels (for the audit row)."""
    values = snapshot(user, CARD_FIELDS)
    for name in CHOICE_FIELDS:
        labels = dict(User._meta.get_field(name).flatchoices)  # type: ignore[union-attr]
        values[name] = labels.get(values[name], values[name])
    return values


def _rights_change(before: set[str], after: set[str]) -> list[Change]:
    if before == after:
        return []
    labels = {right.code: right.label for right in hooks.all_rights()}
    return [{
        "field": _("Permissions"),
        "old": shown([labels.get(code, code) for code in before]),
        "new": shown([labels.get(code, code) for code in after]),
    }]


def _audit_reset(acting_user: User, user: User) -> None:
    """A password set by someone else: whoever knows it may sign in as the user, so the row has a name of its own
    and the user is told of it at his next sign-in (selectors.signin_notices)."""
    audit_record(actor=acting_user, event=PASSWORD_RESET, summary=_("Password reset by another user"), target=user,
                 changes=[_password_change()])


def _password_changed(acting_user: User, user: User) -> None:
    """What the other apps end with the old password (hooks.PASSWORD_CHANGED), in this transaction."""
    for react in hooks.PASSWORD_CHANGED.items():
        react(acting_user, user)


def _password_change() -> Change:
    return {"field": _("Password"), "old": "", "new": _("changed")}


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
    message = _("There must always be at least one administrator in the system: this user is the last active one.")
    if deleting:
        raise Refused(message)
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
    known = {right.code: right for right in hooks.all_rights()}
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


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _store_rights(user: User, access: UserAccess) -> set[str]:
    """Keeps only the grants beyond the role: what the role gives is shown on the tab as "from the role"."""
    wanted = set(access.rights) - policies.role_rights(access.role)
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
