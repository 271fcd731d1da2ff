"""The client card's extension points, and what clients plugs into the others.

Points: CARD_TABS (tabs and journals of the card, CLI-14) and CARD_ACTIONS (buttons of the card's header,
CLI-13). Another app adds a tab or a button from its own hooks.py; the card renders what is registered and
imports none of those apps. A tab's pane is loaded by htmx from its own URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontora.clients.models import Client
from kontora.core.hooks import Point

KINDS_ALL = frozenset({Client.Kind.COMPANY, Client.Kind.PERSON})


@dataclass(frozen=True)
class CardTab:
    code: str  # the pane id is "tab-<code>"
    label: str | Promise
    url_name: str  # reversed with the client's id; answers the pane's content
    # Position among the card's tabs, in the manual's order: Common 10, Operational work 20, Personnel or
    # Passport 30, Registration data 40, Attributes 45, Bank 50, Access 55, Mailing 60, Security 70,
    # Shipping 80, Service 90, Files 100; journals 200+.
    order: int
    kinds: frozenset[str] = KINDS_ALL
    # Extra condition (functionality toggles, edition, rights): (user, client) → shown?
    predicate: Callable[[Any, Client], bool] | None = None


@dataclass(frozen=True)
class CardAction:
    key: str
    label: str | Promise
    url_name: str  # reversed without arguments; the client goes in the query string as ?client=<id>
    order: int = 100
    # Extra condition (rights, functionality, data set up): (user, client) → shown?
    predicate: Callable[[Any, Client], bool] | None = None


CARD_TABS: Point[CardTab] = Point("client card tabs", key=lambda tab: tab.code)
CARD_ACTIONS: Point[CardAction] = Point("client card actions", key=lambda action: action.key)


def register() -> None:
    from kontora.accounts.hooks import ADDITIONAL, ADMIN_ONLY, RIGHTS, Right
    from kontora.clients.access import visible_clients
    from kontora.clients.flexi import hooks as flexi_hooks
    from kontora.clients.views.registry import registry_centre
    from kontora.clients.views.sorting import parameters_tab_form, parameters_tab_save
    from kontora.core.hooks import (
        CENTRE,
        CODE_KINDS,
        MENU,
        PARAMETERS_TABS,
        Centre,
        CodeKind,
        MenuItem,
        ParametersTab,
        admins,
        right,
    )
    from kontora.core.selectors.settings import system_settings
    from kontora.directories.hooks import DIRECTORIES, Directory

    for item in (
        Right("keep_private_clients", _("Keep private clients"),
              _("Mark own clients as private: nobody else sees them, administrators included."), ADDITIONAL,
              order=130),
        Right("security_decisions", _("Makes economic-security decisions"),
              _("Sign conclusions on the client card's Security tab with one's own password."), ADDITIONAL,
              order=140),
        Right("export_clients", _("Export the client list"),
              _("Export lists of clients to files; every export is logged."), ADDITIONAL, roles=ADMIN_ONLY,
              order=170),
    ):
        RIGHTS.register(item)
    CODE_KINDS.register(CodeKind("client", "clients_client"))
    CENTRE.register(Centre("clients/registry.html", registry_centre))
    # The clients picker: forms choose a client by typing the start of its name. As a directory, the engine's
    # search-as-you-type widget and `directories:pick` serve it; its rows start from `visible_clients`, so a
    # picker never offers a client (a private one above all) the user may not see. Clients are created and
    # changed in their own card, never from the picker.
    DIRECTORIES.register(Directory(
        key="clients", model=Client, fields=("code", "short_name"), title=_("Clients"), search_field="name_key",
        order_by=("name_key", "id"), in_menu=False, queryset_for=visible_clients, editable=False,
    ))
    PARAMETERS_TABS.register(ParametersTab(
        key="sorting", label=_("Sorting"), template="clients/registry_sorting_tab.html",
        form_factory=parameters_tab_form, save=parameters_tab_save,
    ))
    flexi_hooks.register()  # the Flexi-filter's own fields (later apps register theirs from their hooks)
    for menu_item in (
        MenuItem("file", _("Export clients"), "clients:export", right("export_clients")),
        MenuItem("admin", _("Change curator/specialist"), "clients:admin_change_curator", admins, order=30),
        MenuItem("admin", _("Why does a user see a client"), "clients:admin_explain", admins, order=40),
        MenuItem("admin", _("Client export log"), "clients:admin_exports", admins, order=50),
    ):
        MENU.register(menu_item)
    for tab in (
        # A person has the passport tab instead of Registration data (CLI-01); both kinds have Bank (CLI-07).
        CardTab("personal", _("Passport and personal data"), "clients:personal", order=30,
                kinds=frozenset({Client.Kind.PERSON})),
        CardTab("bank", _("Bank"), "clients:bank", order=50),
        # Mailing, Security and Shipping (CLI-09 … CLI-11); the last two obey Settings → Functionality.
        CardTab("mailing", _("Mailing E-Mail & SMS"), "clients:mailing", order=60),
        CardTab("security", _("Security"), "clients:security", order=70,
                predicate=lambda user, client: system_settings().security_tab_enabled),
        CardTab("shipping", _("Shipping requisites"), "clients:shipping", order=80,
                predicate=lambda user, client: system_settings().shipping_tab_enabled),
        CardTab("files", _("Files"), "clients:files", order=100),
    ):
        CARD_TABS.register(tab)
