"""The main window and the menu bar every signed-in page draws: what the apps registered, for this user."""

from __future__ import annotations

import functools
from typing import Any

from django.urls import get_script_prefix, reverse

from kontora.core import hooks
from kontora.core.models import SystemSettings
from kontora.core.selectors.settings import block_enabled


@functools.lru_cache(maxsize=1024)
def _menu_url(prefix: str, url_name: str, args: tuple[str, ...], query: str) -> str:
    """An item's URL, reversed once per process: the URL patterns are code, and reversing the whole menu on every
    page came to a tenth of a page's time. The script prefix is part of the key (it is per request)."""
    return reverse(url_name, args=args) + (f"?{query}" if query else "")


def visible_menu(user: Any, system: SystemSettings) -> list[dict[str, Any]]:
    """The main menu for this user: the registered items by section, (group, order), a divider between groups;
    an item of a switched-off functionality block or refused to the user is left out, and so is an empty
    section."""
    declared = list(hooks.MENU.items())
    for provider in hooks.MENU_PROVIDERS.items():
        declared.extend(item for item in provider.items() if item.section == provider.section)
    sections = []
    for key, label in hooks.MENU_SECTIONS:
        items: list[dict[str, Any] | None] = []
        group = None
        for item in sorted((i for i in declared if i.section == key), key=lambda i: (i.group, i.order)):
            if item.block and not block_enabled(system, item.block):
                continue
            if not item.visible(user, system):
                continue
            if group is not None and item.group != group:
                items.append(None)
            group = item.group
            items.append({
                "label": item.label,
                "url": _menu_url(get_script_prefix(), item.url_name, item.args, item.query),
                "shortcut": item.shortcut,
                "method": item.method,
            })
        if items:
            sections.append({"key": key, "label": label, "items": items})
    return sections


def main_window_centre() -> hooks.Centre | None:
    centre = hooks.CENTRE.items()
    return centre[0] if centre else None


def assistant_monitors() -> list[dict[str, Any]]:
    """The Assistant's monitors in order, with their URLs, for core/home.html."""
    return [
        {"key": m.key, "url": reverse(m.url_name), "every": m.every_seconds}
        for m in sorted(hooks.MONITORS.items(), key=lambda m: (m.order, m.key))
    ]


def informer_notices(user: Any) -> list[dict[str, Any]]:
    """The warnings for this user at the top of the Informer (`hooks.NOTICES`), those that have something to say."""
    notices = []
    for notice in sorted(hooks.NOTICES.items(), key=lambda n: n.key):
        if not notice.visible(user):
            continue
        text = notice.text()
        if text:
            notices.append({"key": notice.key, "text": text, "url": reverse(notice.url_name),
                            "link_label": notice.link_label})
    return notices
