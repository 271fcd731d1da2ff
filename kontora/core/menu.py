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
    args: tuple[str, ...] = ()  # arguments of url_name


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    items: list[Item | None] = field(default_factory=list)  # None draws a divider
    # Apps that declare their items elsewhere (the directories registry) add a provider, called per render;
    # its items follow the static ones.
    providers: list[Callable[[], list[Item | None]]] = field(default_factory=list)


MENU: list[Section] = [
    Section("file", _("File"), [
        Item(_("Export clients"), "clients:export", right("export_clients")),
        None,
        Item(_("Sign out"), "accounts:logout", method="post"),
    ]),
    Section("directories", _("Directories"), [
        Item(_("Banks"), "directories:banks"),
        Item(_("Nomenclature"), "nomenclature:tree"),
        None,
    ]),
    Section("processes", _("Processes"), [
        Item(_("Process journal"), "processes:journal"),
        Item(_("Process setup"), "processes:setup", admins),  # processes.policies.can_design
    ]),
    Section("admin", _("Administration"), [
        Item(_("Users"), "accounts:users", admins),
        Item(_("Active users"), "accounts:sessions", admins),
        Item(_("Change curator/specialist"), "clients:admin_change_curator", admins),
        Item(_("Why does a user see a client"), "clients:admin_explain", admins),
        Item(_("Client export log"), "clients:admin_exports", admins),
        Item(_("Enterprise: constants"), "core:constants", admins),
        Item(_("Enterprise: structure"), "core:structure", admins),
        Item(_("Data management: attributes"), "attributes:list", admins),
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


def menu_section(key: str) -> Section:
    return next(s for s in MENU if s.key == key)


def visible_menu(user: Any, system: Any) -> list[dict[str, Any]]:
    sections = []
    for section in MENU:
        items: list[dict[str, Any] | None] = []
        declared = list(section.items)
        for provider in section.providers:
            declared.extend(provider())
        for item in declared:
            if item is None:
                if items and items[-1] is not None:
                    items.append(None)
                continue
            if item.block and not block_enabled(system, item.block):
                continue
            if item.visible(user, system):
                items.append({
                    "label": item.label, "url": reverse(item.url_name, args=item.args), "shortcut": item.shortcut,
                    "method": item.method,
                })
        while items and items[-1] is None:
            items.pop()
        if items:
            sections.append({"key": section.key, "label": section.label, "items": items})
    return sections
