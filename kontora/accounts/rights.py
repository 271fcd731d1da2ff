"""The one registry of named rights and the one answer to "does user U have right R".

Roles carry base rights (`Right.roles`); an administrator adds more per user on the card's Rights tab.
Each app registers its rights into `RIGHTS` from its hooks.py, so the Rights tab always shows every right
the program knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontora.core.hooks import Point

if TYPE_CHECKING:
    from kontora.accounts.models import User


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    SPECIALIST = "specialist", _("Specialist")


class ClientScope(models.TextChoices):
    """The manual's four working modes with clients (ACL-01)."""

    OWN = "own", _("Sees and works only with own clients")
    LIST_ALL = "list_all", _("Sees all clients in the list, opens only own")
    OPEN_ALL = "open_all", _("Opens all clients, edits all but main data of others'")
    FULL = "full", _("Sees and works with all clients")


@dataclass(frozen=True)
class Right:
    code: str
    label: str | Promise
    description: str | Promise
    group: str  # "access" or "additional", the two blocks of the Rights tab
    grantable: bool = True  # False: comes with the role only (e.g. managing users)
    roles: frozenset[str] = frozenset()  # the roles that carry it as a base right
    order: int = 0  # place on the Rights tab


ACCESS = "access"
ADDITIONAL = "additional"
ADMIN_ONLY = frozenset({"admin"})
ADMIN_AND_SUPERVISOR = frozenset({"admin", "supervisor"})

# Every right the program knows, in the order of the Rights tab; each app registers its own from its hooks.py.
RIGHTS: Point[Right] = Point("rights", key=lambda right: right.code)


def all_rights() -> list[Right]:
    return sorted(RIGHTS.items(), key=lambda right: right.order)


def get(code: str) -> Right:
    return RIGHTS.get(code)


ROLE_DEFAULT_SCOPE: dict[str, str] = {
    Role.ADMIN: ClientScope.FULL,
    Role.SUPERVISOR: ClientScope.OWN,
    Role.MANAGER: ClientScope.OWN,
    Role.SPECIALIST: ClientScope.OWN,
}


# The manual's own words about each role's base set, shown under the role on the Rights tab.
ROLE_DESCRIPTIONS: dict[str, str | Promise] = {
    Role.ADMIN: _(
        "The widest base set of rights: sees, deletes and edits any information except private clients, "
        "manages other users. There must always be at least one administrator."
    ),
    Role.SUPERVISOR: _(
        "The base rights of a manager, and also sees the journals and builds reports on all employees."
    ),
    Role.MANAGER: _(
        "A limited base set: cannot change main data with a past date, edit directories or configure "
        "the system; works only with the clients they curate or were given access to."
    ),
    Role.SPECIALIST: _(
        "The same limited base set as a manager: cannot change main data with a past date, edit directories "
        "or configure the system; works only with the clients they curate or were given access to."
    ),
}


def role_rights(role: str) -> frozenset[str]:
    return frozenset(right.code for right in RIGHTS.items() if role in right.roles)


def role_description(role: str) -> str | Promise:
    return ROLE_DESCRIPTIONS.get(role, "")


def effective_rights(user: User) -> frozenset[str]:
    """Role's base rights plus the user's grants; cached on the user object for the request."""
    cached: frozenset[str] | None = getattr(user, "_kontora_rights", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        rights: frozenset[str] = frozenset()
    else:
        granted = {code for code in user.granted_rights.values_list("code", flat=True) if code in RIGHTS}
        grantable = {code for code in granted if RIGHTS.get(code).grantable}
        rights = role_rights(user.role) | grantable
    user._kontora_rights = rights  # type: ignore[attr-defined]
    return rights


def has_right(user: User, code: str) -> bool:
    if code not in RIGHTS:
        raise KeyError(f"unknown right {code!r}")
    return code in effective_rights(user)


def forget(user: User) -> None:
    if hasattr(user, "_kontora_rights"):
        del user._kontora_rights
