"""The client card's extension points, and what clients plugs into the others.

Points: CARD_TABS (tabs and journals of the card, CLI-14) and CARD_ACTIONS (buttons of the card's header,
CLI-13). Another app adds a tab or a button from its own hooks.py; the card renders what is registered and
imports none of those apps. A tab's pane is loaded by htmx from its own URL.
"""

from __future__ import annotations

import json
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
    _register_exits_and_policies()
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


# --- the exits by which a client's data leaves the server, and the record policies ----------------------------


def _of(row: Any) -> dict[str, Any]:
    """A client-owned row's URL arguments: its client."""
    return {"client_id": row.client_id}


def _card(client: Any) -> dict[str, Any]:
    return {"client_id": client.pk}


def _row(name: str) -> Callable[[Any], dict[str, Any]]:
    return lambda row: {"client_id": row.client_id, name: row.pk}


def _spec(client: Any, *conditions: dict[str, Any]) -> dict[str, Any]:
    """A Flexi-filter over one client (by its code, a registry column) and `conditions` on top."""
    code = {"field": "code", "operator": "eq", "value": client.code}
    return {"spec": json.dumps({"op": "and", "items": [code, *conditions]})}


def _contact_phone(client: Any) -> str:
    contact = client.contacts.exclude(phone_mobile="").first()
    return contact.phone_mobile if contact is not None else ""


def _contact_name(client: Any) -> str:
    contact = client.contacts.first()
    return contact.full_name if contact is not None else ""


def _exits() -> list[Any]:
    from kontora.core.hooks import (
        COUNT,
        EDITS,
        EDITS_MAIN,
        LIST,
        NOBODY,
        NOT_PRIVATE,
        OPENS,
        ROWS,
        SEES,
        Exit,
        Step,
    )
    from kontora.core.permissions import has_right, is_administrator

    client, contact, folder, attached = "clients.Client", "clients.ContactPerson", "clients.ClientFolder", \
        "clients.ClientFile"
    template = "clients.FilterTemplate"
    post = "POST"
    return [
        # the registry (the main window's centre), its pages, Ctrl+F, marks; Shift+F
        Exit("core:home", client, SEES, answer=LIST, once=True),
        Exit("clients:registry_rows", client, SEES, data=lambda c: {"sort": "name", "after": c.pk}, answer=LIST),
        Exit("clients:registry_rows", client, SEES, data=lambda c: {"sort": "name", "before": c.pk}, answer=LIST,
             key="before"),
        Exit("clients:registry_find", client, SEES, data=lambda c: {"q": c.short_name}, answer=ROWS),
        Exit("clients:registry_mark", client, SEES, post, data=lambda c: {"id": c.pk, "marked": "true"},
             answer=COUNT, reset="clients:registry_marks_clear"),
        Exit("clients:search_find", client, SEES, data=lambda c: {"name": c.short_name}, answer=ROWS),
        Exit("clients:search_find", client, OPENS, data=lambda c: {"phone": _contact_phone(c)}, answer=ROWS,
             key="contact phone"),
        Exit("clients:search_jump", client, SEES, data=lambda c: {"id": c.pk}, answer=ROWS),
        # the Flexi-filter: counts, the applied filter, templates; registry columns and card data
        Exit("clients:flexi_count", client, SEES, post, data=lambda c: _spec(c), answer=COUNT),
        Exit("clients:flexi_count", client, OPENS, post, answer=COUNT, key="INN", data=lambda c: _spec(
            c, {"field": "inn", "operator": "equals", "value": c.inn})),
        Exit("clients:flexi_count", client, OPENS, post, answer=COUNT, key="address", data=lambda c: _spec(
            c, {"field": "address", "operator": "contains", "value": c.address})),
        Exit("clients:flexi_count", client, OPENS, post, answer=COUNT, key="contact", data=lambda c: _spec(
            c, {"field": "contact_name", "operator": "contains", "value": _contact_name(c)})),
        Exit("clients:flexi_count", client, OPENS, post, answer=COUNT, key="contact phone", data=lambda c: _spec(
            c, {"field": "contact_phone", "operator": "contains", "value": _contact_phone(c)})),
        Exit("clients:flexi_count", client, OPENS, post, answer=COUNT, key="full name", data=lambda c: _spec(
            c, {"field": "name", "operator": "equals", "value": c.full_name})),
        Exit("clients:flexi_apply", client, SEES, post, data=lambda c: _spec(c), answer=ROWS,
             reset="clients:flexi_clear"),
        Exit("clients:flexi_apply", client, OPENS, post, answer=ROWS, reset="clients:flexi_clear", key="INN",
             data=lambda c: _spec(c, {"field": "inn", "operator": "equals", "value": c.inn})),
        Exit("clients:flexi_template_count", template, SEES, data=lambda t: {"ref": f"user:{t.pk}"},
             answer=COUNT),
        Exit("clients:flexi_template_apply", template, SEES, post, data=lambda t: {"ref": f"user:{t.pk}"},
             answer=ROWS, reset="clients:flexi_clear"),
        # the export (its right) of the shown and of the marked clients
        Exit("clients:export", client, SEES, post, data=lambda c: {"what": "shown", "format": "csv"}, answer=ROWS,
             once=True, who=has_right("export_clients")),
        Exit("clients:export", client, SEES, post, data=lambda c: {"what": "marked", "format": "csv"},
             answer=ROWS, who=has_right("export_clients"), reset="clients:registry_marks_clear",
             prepare=Step("clients:registry_mark", lambda c: {"id": c.pk, "marked": "true"}), key="marked"),
        # the duplicate warning while a card is typed: by the name (a registry column) and by the INN (card data)
        Exit("clients:duplicates", client, SEES, data=lambda c: {"short_name": c.short_name}, answer=ROWS),
        Exit("clients:duplicates", client, OPENS, data=lambda c: {"inn": c.inn}, answer=ROWS, key="INN"),
        # the clients picker and the clients directory's pages (never editable there)
        Exit("directories:pick", client, SEES, args=lambda c: {"key": "clients"},
             data=lambda c: {"q": c.short_name}, answer=ROWS),
        Exit("directories:list", client, SEES, args=lambda c: {"key": "clients"},
             data=lambda c: {"q": c.short_name}, answer=ROWS),
        Exit("directories:edit", client, NOBODY, args=lambda c: {"key": "clients", "pk": c.pk}),
        Exit("directories:delete", client, NOBODY, post, args=lambda c: {"key": "clients", "pk": c.pk}),
        Exit("directories:deactivate", client, NOBODY, post, args=lambda c: {"key": "clients", "pk": c.pk}),
        # administration: why a user sees a client (never another curator's private one), the change of curator
        Exit("clients:admin_explain", client, NOT_PRIVATE, data=lambda c: {"user": c.curator_id, "code": c.code},
             answer=ROWS, who=is_administrator),
        Exit("clients:admin_change_curator", client, SEES, post, answer=LIST, who=is_administrator,
             data=lambda c: {"old_curator": c.curator_id, "new_curator": c.curator_id, "preview": "1"}),
        # the card and its own form's parts
        Exit("clients:card", client, OPENS, args=_card),
        Exit("clients:card", client, EDITS, post, args=_card),
        Exit("clients:contact_new", client, EDITS, args=_card),
        Exit("clients:contact_new", client, EDITS, post, args=_card),
        Exit("clients:contact_edit", contact, EDITS, args=_row("contact_id")),
        Exit("clients:contact_edit", contact, EDITS, post, args=_row("contact_id")),
        Exit("clients:contact_delete", contact, EDITS, post, args=_row("contact_id"), removes=True),
        # the tabs loaded into the card
        Exit("clients:registration", "clients.ClientRegistration", OPENS, args=_of),
        Exit("clients:registration", "clients.ClientRegistration", EDITS_MAIN, post, args=_of),
        Exit("clients:legal_change_new", "clients.ClientRegistration", EDITS_MAIN, args=_of),
        Exit("clients:legal_change_new", "clients.ClientRegistration", EDITS_MAIN, post, args=_of),
        Exit("clients:legal_change_edit", "clients.ClientLegalChange", EDITS_MAIN, args=_row("change_id")),
        Exit("clients:legal_change_edit", "clients.ClientLegalChange", EDITS_MAIN, post, args=_row("change_id")),
        Exit("clients:legal_change_delete", "clients.ClientLegalChange", EDITS_MAIN, post, args=_row("change_id"),
             removes=True),
        Exit("clients:personal", "clients.ClientPersonal", OPENS, args=_of),
        Exit("clients:personal", "clients.ClientPersonal", EDITS_MAIN, post, args=_of),
        Exit("clients:bank", client, OPENS, args=_card),
        Exit("clients:bank_account_new", client, EDITS_MAIN, args=_card),
        Exit("clients:bank_account_new", client, EDITS_MAIN, post, args=_card),
        Exit("clients:bank_account_edit", "clients.ClientBankAccount", EDITS_MAIN, args=_row("account_id")),
        Exit("clients:bank_account_edit", "clients.ClientBankAccount", EDITS_MAIN, post, args=_row("account_id")),
        Exit("clients:bank_account_delete", "clients.ClientBankAccount", EDITS_MAIN, post,
             args=_row("account_id"), removes=True),
        Exit("clients:mailing", client, OPENS, args=_card),
        Exit("clients:mailing_settings", client, EDITS, post, args=_card),
        Exit("clients:mailing_address_new", client, EDITS, post, args=_card),
        Exit("clients:mailing_fill", client, EDITS, post, args=_card),
        Exit("clients:mailing_address_edit", "clients.ClientMailingAddress", EDITS, args=_row("address_id")),
        Exit("clients:mailing_address_edit", "clients.ClientMailingAddress", EDITS, post, args=_row("address_id")),
        Exit("clients:mailing_address_delete", "clients.ClientMailingAddress", EDITS, post,
             args=_row("address_id"), removes=True),
        Exit("clients:security", "clients.ClientSecurity", OPENS, args=_of),
        Exit("clients:security_save", "clients.ClientSecurity", EDITS, post, args=_of),
        Exit("clients:security_sign", "clients.ClientSecurity", OPENS, post, args=_of,
             who=has_right("security_decisions")),
        Exit("clients:shipping", "clients.ClientShipping", OPENS, args=_of),
        Exit("clients:shipping_save", "clients.ClientShipping", EDITS, post, args=_of),
        Exit("clients:shipping_from_card", "clients.ClientShipping", EDITS, post, args=_of),
        # the Files tab
        Exit("clients:files", client, OPENS, args=_card),
        Exit("clients:files", folder, OPENS, args=_of, data=lambda f: {"folder": f.pk}, key="folder"),
        Exit("clients:files_total", client, OPENS, args=_card),
        Exit("clients:file_upload", client, EDITS, post, args=_card),
        Exit("clients:folder_create", client, EDITS, post, args=_card, data=lambda c: {"name": ""}),
        Exit("clients:file_properties", attached, OPENS, args=_row("file_id")),
        Exit("clients:file_download", attached, OPENS, args=_row("file_id")),
        Exit("clients:file_rename", attached, EDITS, args=_row("file_id")),
        Exit("clients:file_rename", attached, EDITS, post, args=_row("file_id"), data=lambda f: {"name": ""}),
        Exit("clients:file_move", attached, EDITS, post, args=_row("file_id"), data=lambda f: {"target": ""}),
        Exit("clients:file_delete", attached, EDITS, post, args=_row("file_id"), removes=True),
        Exit("clients:folder_properties", folder, OPENS, args=_row("folder_id")),
        Exit("clients:folder_rename", folder, EDITS, args=_row("folder_id")),
        Exit("clients:folder_rename", folder, EDITS, post, args=_row("folder_id"), data=lambda f: {"name": ""}),
        Exit("clients:folder_move", folder, EDITS, post, args=_row("folder_id"), data=lambda f: {"target": ""}),
        Exit("clients:folder_delete", folder, EDITS, post, args=_row("folder_id"), removes=True),
    ]


def _register_exits_and_policies() -> None:
    from kontora.clients import policies
    from kontora.core.hooks import EXITS, POLICIES

    for item in _exits():
        EXITS.register(item)
    for policy in policies.POLICIES:
        POLICIES.register(policy)
