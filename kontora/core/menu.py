"""The main menu: sections of the manual, each item shown only when it works for this user.

An item names its URL and a predicate over (user, system settings); a section with no visible
item is not shown at all. Later features add their items to MENU.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontora.core.selectors import block_enabled

Predicate = Callable[[Any, Any], bool]


def everyone(user: Any, system: Any) -> bool:
    return True


def admins(user: Any, system: Any) -> bool:
    return bool(user.is_admin)


def right(code: str) -> Predicate:
    return lambda user, system: user.has_right(code)


@dataclass(frozen=True)
class Item:
    label: str | Promise
    url_name: str
    visible: Predicate = everyone
    shortcut: str = ""
    method: str = "get"  # "post" items render as a small form (sign out)
    block: str = ""  # a functionality block (selectors.block_enabled); switched off → the item disappears


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    items: list[Item | None] = field(default_factory=list)  # None draws a divider


MENU: list[Section] = [
    Section("file", _("File"), [
        Item(_("Sign out"), "accounts:logout", method="post"),
    ]),
    Section("admin", _("Administration"), [
        Item(_("Users"), "accounts:users", admins),
        Item(_("Active users"), "accounts:sessions", admins),
        Item(_("Enterprise: constants"), "core:constants", admins),
        Item(_("Message to a user"), "core:message_send", admins),
        Item(_("Jobs"), "core:jobs", admins),
        Item(_("Backups"), "core:backups", admins),
    ]),
    Section("settings", _("Settings"), [
        Item(_("Parameters"), "core:parameters"),
        Item(_("Functionality"), "core:functionality", admins),
    ]),
    Section("help", _("Help"), [
        Item(_("Keyboard shortcuts"), "core:shortcuts", shortcut="?"),
        Item(_("About"), "core:about"),
    ]),
]


def visible_menu(user: Any, system: Any) -> list[dict[str, Any]]:
    sections = []
    for section in MENU:
        items: list[dict[str, Any] | None] = []
        for item in section.items:
            if item is None:
                if items and items[-1] is not None:
                    items.append(None)
                continue
            if item.block and not block_enabled(system, item.block):
                continue
            if item.visible(user, system):
                items.append({
                    "label": item.label, "url": reverse(item.url_name), "shortcut": item.shortcut,
                    "method": item.method,
                })
        while items and items[-1] is None:
            items.pop()
        if items:
            sections.append({"key": section.key, "label": section.label, "items": items})
    return sections
