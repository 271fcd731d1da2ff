"""Who may do what with users and system settings, and the one answer to "does user U have right R".

Pages are guarded by `core.permissions.policy_required` with these predicates; views ask here, templates get
booleans. The rights themselves are declared in `accounts.hooks` (RIGHTS); a role's base set is the rights
that name the role, an administrator grants more per user (UserRight rows).

The roles and working modes are named here by their values ("admin", "full"): `accounts.models` imports this
module for `User.has_right`, so this one imports the models only for typing (and nothing that loads Django's auth
forms, which ask for the user model while it is being defined: core.permissions defers that import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontora.accounts.hooks import RIGHTS
from kontora.core.permissions import is_administrator

if TYPE_CHECKING:
    from kontora.accounts.models import User


def user_of(request: HttpRequest) -> User:
    """The signed-in user of a view behind a guard (`login_required`, `policy_required`), typed as the services
    and selectors take it."""
    return cast("User", request.user)


# Administration is for active administrators: the predicate that guards the administration pages.
can_administer = is_administrator


def can_delete_user(acting_user: Any, target: Any) -> bool:
    """The Delete button of the user card: not on one's own card (disable the account instead)."""
    return can_administer(acting_user) and target.pk is not None and target.pk != acting_user.pk


# Role → the working mode with clients the card proposes when the role is chosen (Role → ClientScope values).
ROLE_DEFAULT_SCOPE: dict[str, str] = {
    "admin": "full",
    "supervisor": "own",
    "manager": "own",
    "specialist": "own",
}


# The manual's own words about each role's base set, shown under the role on the Rights tab.
ROLE_DESCRIPTIONS: dict[str, str | Promise] = {
    "admin": _(
        "The widest base set of rights: sees, deletes and edits any information except private clients, "
        "manages other users. There must always be at least one administrator."
    ),
    "supervisor": _(
        "The base rights of a manager, and also sees the journals and builds reports on all employees."
    ),
    "manager": _(
        "A limited base set: cannot change main data with a past date, edit directories or configure "
        "the system; works only with the clients they curate or were given access to."
    ),
    "specialist": _(
        "The same limited base set as a manager: cannot change main data with a past date, edit directories "
        "or configure the system; works only with the clients they curate or were given access to."
    ),
}


def role_rights(role: str) -> frozenset[str]:
    return frozenset(right.code for right in RIGHTS.items() if role in right.roles)


def role_description(role: str) -> str | Promise:
    return ROLE_DESCRIPTIONS.get(role, "")


_UNREAD = object()


def effective_rights(user: User) -> frozenset[str]:
    """Role's base rights plus the user's grants; cached on the user object for the request."""
    cached: frozenset[str] | None = getattr(user, "_kontora_rights", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        rights: frozenset[str] = frozenset()
    else:
        read: Any = getattr(user, "granted_codes", _UNREAD)  # read with the user (selectors.with_rights), or not
        codes = user.granted_rights.values_list("code", flat=True) if read is _UNREAD else (read or "").split(",")
        granted = {code for code in codes if code in RIGHTS}
        grantable = {code for code in granted if RIGHTS.get(code).grantable}
        rights = role_rights(user.role) | grantable
    user._kontora_rights = rights  # type: ignore[attr-defined]
    return rights


def has_right(user: User, code: str) -> bool:
    if code not in RIGHTS:
        raise KeyError(f"unknown right {code!r}")
    return code in effective_rights(user)


def sees_all_employees(user: User) -> bool:
    """May the user's journals show the work of every employee (the right «журналы всех сотрудников»: supervisors and
    administrators by role, anyone it is granted to)? Without it each journal shows his own work only."""
    return has_right(user, "journals_all_users")


def forget(user: User) -> None:
    for name in ("_kontora_rights", "granted_codes"):
        if hasattr(user, name):
            delattr(user, name)
