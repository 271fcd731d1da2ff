"""The one registry of named rights and the one answer to "does user U have right R".

Roles carry base rights; an administrator adds more per user on the card's Rights tab.
Later features register their rights here with `register()` at import time of this module's
callers, so the Rights tab always shows every right the program knows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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


ACCESS = "access"
ADDITIONAL = "additional"

_REGISTRY: dict[str, Right] = {}


def register(right: Right) -> Right:
    if right.code in _REGISTRY:
        raise ValueError(f"right {right.code!r} registered twice")
    _REGISTRY[right.code] = right
    return right


def all_rights() -> list[Right]:
    return list(_REGISTRY.values())


def get(code: str) -> Right:
    return _REGISTRY[code]


MANAGE_USERS = register(Right(
    "manage_users", _("Manage users"),
    _("Add, change and disable users, assign roles and rights, end sessions."), ACCESS, grantable=False,
))
CONFIGURE_SYSTEM = register(Right(
    "configure_system", _("Configure the system"),
    _("Constants, functionality toggles, login options, backups and other system settings."),
    ACCESS, grantable=False,
))
EDIT_DIRECTORIES = register(Right(
    "edit_directories", _("Edit directories"),
    _("Add, change and deactivate items of directories and classifiers, also on the fly from forms."), ACCESS,
))
EDIT_NOMENCLATURE = register(Right(
    "edit_nomenclature", _("Edit nomenclature"),
    _("Add and change goods and services in the nomenclature directory."), ACCESS,
))
CHANGE_PAST_DATA = register(Right(
    "change_past_data", _("Change main data with a past date"),
    _("Enter and correct main data and documents dated in the past."), ACCESS,
))
JOURNALS_ALL_USERS = register(Right(
    "journals_all_users", _("See journals of all users"),
    _("Journals of events, tasks and documents show the work of every employee, not only one's own."), ACCESS,
))
REPORTS_ALL_USERS = register(Right(
    "reports_all_users", _("Reports on all users"),
    _("Build reports over the work of every employee, not only one's own."), ACCESS,
))
GROUP_PROCESSING = register(Right(
    "group_processing", _("Group processing"),
    _("Change classifiers, curators and access of marked clients at once; assign tasks to them."), ADDITIONAL,
))
MAILING = register(Right(
    "mailing", _("E-mail and SMS mailing"),
    _("Send mailings to marked clients through one's own mailbox or SMS account."), ADDITIONAL,
))
KEEP_PRIVATE_CLIENTS = register(Right(
    "keep_private_clients", _("Keep private clients"),
    _("Mark own clients as private: nobody else sees them, administrators included."), ADDITIONAL,
))
SECURITY_DECISIONS = register(Right(
    "security_decisions", _("Makes economic-security decisions"),
    _("Sign conclusions on the client card's Security tab with one's own password."), ADDITIONAL,
))
CONFIGURATOR = register(Right(
    "configurator", _("Configurator"),
    _("Edit the scripts bound to system events and the report designer."), ADDITIONAL,
))
IMPORT_DATA = register(Right(
    "import_data", _("Import data"),
    _("Import clients from Excel files."), ADDITIONAL,
))
EXPORT_CLIENTS = register(Right(
    "export_clients", _("Export the client list"),
    _("Export lists of clients to files; every export is logged."), ADDITIONAL,
))
DELETE_UNFINISHED_PROCESSES = register(Right(
    "delete_unfinished_processes", _("Delete unfinished processes"),
    _("Delete business processes that have not reached their end stage."), ADDITIONAL,
))

ROLE_BASE_RIGHTS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({
        "manage_users", "configure_system", "edit_directories", "edit_nomenclature", "change_past_data",
        "journals_all_users", "reports_all_users", "group_processing", "mailing", "import_data",
        "export_clients", "delete_unfinished_processes",
    }),
    Role.SUPERVISOR: frozenset({"journals_all_users", "reports_all_users"}),
    Role.MANAGER: frozenset(),
    Role.SPECIALIST: frozenset(),
}

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
    return ROLE_BASE_RIGHTS.get(role, frozenset())


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
        granted = {code for code in user.granted_rights.values_list("code", flat=True) if code in _REGISTRY}
        grantable = {code for code in granted if _REGISTRY[code].grantable}
        rights = role_rights(user.role) | grantable
    user._kontora_rights = rights  # type: ignore[attr-defined]
    return rights


def has_right(user: User, code: str) -> bool:
    if code not in _REGISTRY:
        raise KeyError(f"unknown right {code!r}")
    return code in effective_rights(user)


def forget(user: User) -> None:
    if hasattr(user, "_kontora_rights"):
        del user._kontora_rights
