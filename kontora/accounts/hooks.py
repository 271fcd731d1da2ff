"""The registry of named rights (the point every app registers its rights into), and what accounts plugs into
the others: its own rights, its menu items.

Roles carry base rights (`Right.roles`); an administrator adds more per user on the card's Rights tab. Each
app registers its rights into `RIGHTS` from its own hooks.py, so the Rights tab always shows every right the
program knows. Who holds which right is answered by `accounts.policies`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontora.core.hooks import MENU, MenuItem, Point, admins


@dataclass(frozen=True)
class Right:
    code: str
    label: str | Promise
    description: str | Promise
    group: str  # "access" or "additional", the two blocks of the Rights tab
    grantable: bool = True  # False: comes with the role only (e.g. managing users)
    roles: frozenset[str] = frozenset()  # the roles (accounts.models.Role values) that carry it as a base right
    order: int = 0  # place on the Rights tab


ACCESS = "access"
ADDITIONAL = "additional"
ADMIN_ONLY = frozenset({"admin"})
ADMIN_AND_SUPERVISOR = frozenset({"admin", "supervisor"})

# Every right the program knows, in the order of the Rights tab; each app registers its own from its hooks.py.
RIGHTS: Point[Right] = Point("rights", key=lambda right: right.code)


@dataclass(frozen=True)
class SigninNotice:
    """A kind of audit row its subject is told of at his next sign-in (F1: what someone else does to a user's
    account or private clients is never silent): a password reset, a hand-over of his clients, a backup download."""

    event: str  # the audit rows' event
    rows: Callable[[Any], Q | None]  # the condition on those rows that makes them about this user; None: none is
    action: Callable[[Any], str]  # the act as the notice names it, from its row ("reset of your password")


# Each app registers the rows its users are told of from its hooks.py (clients: hand-overs, backup downloads).
SIGNIN_NOTICES: Point[SigninNotice] = Point("sign-in notices", key=lambda notice: notice.event)


# What else a new password ends: each item is called as `item(acting_user, user)` by the accounts services that set
# a user's password (his own change, an administrator's reset), inside their transaction, so a failure rolls the
# password back too. Activity revokes the user's calendar address (its token may have leaked with the password).
PasswordChanged = Callable[[Any, Any], None]
PASSWORD_CHANGED: Point[PasswordChanged] = Point(
    "password changed", key=lambda item: f"{item.__module__}.{item.__qualname__}"
)


@dataclass(frozen=True)
class SigninLanding:
    """A page a user may land on right after signing in, instead of the main window (TSK-08: the task journal when
    he has active tasks, the overdue-tasks report): `url(user)` answers the local URL, or None to pass. The first
    answer by `order` wins; an explicit `next` of the sign-in wins over them all."""

    key: str
    url: Callable[[Any], str | None]
    order: int = 100


# Apps above accounts register their landings from their hooks.py (activity: the task journal, overdue tasks).
SIGNIN_LANDINGS: Point[SigninLanding] = Point("sign-in landings", key=lambda landing: landing.key)


def all_rights() -> list[Right]:
    return sorted(RIGHTS.items(), key=lambda right: right.order)


def get(code: str) -> Right:
    return RIGHTS.get(code)


def register() -> None:
    from kontora.accounts import selectors

    SIGNIN_NOTICES.register(SigninNotice(selectors.PASSWORD_RESET, selectors.password_reset_rows,
                                         selectors.password_reset_action))
    for right in (
        Right("manage_users", _("Manage users"),
              _("Add, change and disable users, assign roles and rights, end sessions."), ACCESS,
              grantable=False, roles=ADMIN_ONLY, order=10),
        Right("configure_system", _("Configure the system"),
              _("Constants, functionality toggles, login options, backups and other system settings."), ACCESS,
              grantable=False, roles=ADMIN_ONLY, order=20),
        # The rights of features still to come (journals, reports, bulk work, import, configurator) are the
        # users' today already; each moves to its app's hooks when the app lands.
        Right("change_past_data", _("Change main data with a past date"),
              _("Enter and correct main data and documents dated in the past."), ACCESS,
              roles=ADMIN_ONLY, order=50),
        Right("journals_all_users", _("See journals of all users"),
              _("Journals of events, tasks and documents show the work of every employee, not only one's own."),
              ACCESS, roles=ADMIN_AND_SUPERVISOR, order=60),
        Right("reports_all_users", _("Reports on all users"),
              _("Build reports over the work of every employee, not only one's own."), ACCESS,
              roles=ADMIN_AND_SUPERVISOR, order=70),
        Right("group_processing", _("Group processing"),
              _("Change classifiers, curators and access of marked clients at once; assign tasks to them."),
              ADDITIONAL, roles=ADMIN_ONLY, order=110),
        Right("mailing", _("E-mail and SMS mailing"),
              _("Send mailings to marked clients through one's own mailbox or SMS account."), ADDITIONAL,
              roles=ADMIN_ONLY, order=120),
        Right("configurator", _("Configurator"),
              _("Edit the scripts bound to system events and the report designer."), ADDITIONAL, order=150),
        Right("import_data", _("Import data"), _("Import clients from Excel files."), ADDITIONAL,
              roles=ADMIN_ONLY, order=160),
    ):
        RIGHTS.register(right)
    MENU.register(MenuItem("file", _("Sign out"), "accounts:logout", method="post", group=90))
    MENU.register(MenuItem("admin", _("Users"), "accounts:users", admins, order=10))
    MENU.register(MenuItem("admin", _("Active users"), "accounts:sessions", admins, order=20))
