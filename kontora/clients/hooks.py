"""The client card's extension points, and what clients plugs into the others.

Points: CARD_TABS (tabs and journals of the card, CLI-14), CARD_ACTIONS (buttons of the card's header,
CLI-13) and REGISTRY_ACTIONS (the registry's group operations: group processing, mailing). Another app adds a
tab or a button from its own hooks.py; the card and the registry render what is registered and import none of
those apps.

The card is one form (its save model): the main requisites and the General tab are on its page; every other tab
is a pane loaded by htmx from its own URL when the tab is first shown, inside that form. A tab with a `CardPart`
is a part of the form — its fields are saved by the card's OK / Apply, with the card, in one transaction, through
the part's own service and rights (read-only without them). A tab without one is a journal: a list with its own
modal forms (contacts, bank accounts, files, history; tasks and invoices later), never part of the card's form.
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
class CardPart:
    """A part of the card's one form: its fields, its rights and its save."""

    # The part's form: a clients.forms.card.CardPartForm, built as form(data, client=, user=, read_only=); it knows
    # its fields, their values as kept (`stored`) and which of them live on the client itself (`client_fields`,
    # saved with the client's own write).
    form: Any
    template: str  # the pane, given `form`, `client`, `can_edit` and what `context` adds
    # (user, client) → may change the part; without it the pane shows the values as text.
    may_edit: Callable[[Any, Client], bool]
    # The part's own service for the fields not kept on the client: save(acting_user=, client=, values=) in the
    # card's transaction; it checks its own rights and raises ValidationError keyed by the form's fields.
    save: Callable[..., object] | None = None
    related: tuple[str, ...] = ()  # read with the client for the pane (its row, its pickers): no query per item
    on_new_card: bool = False  # also on a card not yet saved (drawn with the page: there is nothing to load)
    # (user, client) → more for the pane: a journal inside it, what the user may do there.
    context: Callable[[Any, Client | None], dict[str, Any]] | None = None


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
    # Extra condition (edition, rights, data set up): (user, client; None on a new card) → shown?
    predicate: Callable[[Any, Client | None], bool] | None = None
    block: str = ""  # a block of Settings → Functionality that switches the tab off (core.selectors.settings)
    part: CardPart | None = None  # a part of the card's form; None: a journal
    # The strip's text when the label is long (the manual's «Рег. данные»): the strip stays one row at 1280 px; the
    # whole label is the tab's title.
    short_label: str | Promise = ""


@dataclass(frozen=True)
class CardAction:
    key: str
    label: str | Promise
    url_name: str  # reversed without arguments; the client goes in the query string as ?client=<id>
    order: int = 100
    # Extra condition (rights, functionality, data set up): (user, client) → shown?
    predicate: Callable[[Any, Client], bool] | None = None


@dataclass(frozen=True)
class RegistryAction:
    """An item of the registry's context menu under «Групповые операции» (the manual's place for them): a page that
    works over the marked clients, or the registry's selection when none is marked. The toolbar holds no more: it
    must stay one row at 1280 px with both side panels open."""

    key: str
    label: str | Promise
    url_name: str  # reversed without arguments
    visible: Callable[[Any], bool]  # (user) → offered?
    order: int = 100


@dataclass(frozen=True)
class ClientRows:
    """Rows another app keeps about clients (events, tasks, process runs): asked before clients an import created
    are taken back, since deleting such a client would take those rows with it."""

    key: str
    label: str | Promise  # what the rows are, for the list of clients kept («События», «Задачи»)
    # (client ids) → those of them that have such rows
    having: Callable[[list[int]], set[int]]


CARD_TABS: Point[CardTab] = Point("client card tabs", key=lambda tab: tab.code)
CARD_ACTIONS: Point[CardAction] = Point("client card actions", key=lambda action: action.key)
REGISTRY_ACTIONS: Point[RegistryAction] = Point("client registry actions", key=lambda action: action.key)
CLIENT_ROWS: Point[ClientRows] = Point("rows other apps keep about clients", key=lambda item: item.key)


def register() -> None:
    from kontora.accounts.hooks import ADDITIONAL, ADMIN_ONLY, RIGHTS, SIGNIN_NOTICES, Right, SigninNotice
    from kontora.clients import tasks
    from kontora.clients.access import visible_clients
    from kontora.clients.flexi import hooks as flexi_hooks
    from kontora.clients.selectors import admin as admin_selectors
    from kontora.clients.selectors.search import picker_q
    from kontora.clients.views.registry import registry_centre
    from kontora.clients.views.sorting import parameters_tab_form, parameters_tab_save
    from kontora.core.hooks import (
        CENTRE,
        CODE_KINDS,
        JOB_HANDLERS,
        MENU,
        PARAMETERS_TABS,
        Centre,
        CodeKind,
        JobHandler,
        MenuItem,
        ParametersTab,
        admins,
        right,
    )
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
    # Never silent (F1): the old user of a hand-over, and every curator of private clients after a backup
    # download (the archive is the whole base), are told of it at their next sign-in.
    SIGNIN_NOTICES.register(SigninNotice(admin_selectors.HAND_OVER, admin_selectors.hand_over_rows,
                                         admin_selectors.hand_over_action))
    SIGNIN_NOTICES.register(SigninNotice(admin_selectors.BACKUP_DOWNLOAD, admin_selectors.backup_download_rows,
                                         admin_selectors.backup_download_action))
    CENTRE.register(Centre("clients/registry.html", registry_centre, toolbar="clients/partials/registry_toolbar.html"))
    # The registry counter's "count exactly" (services.registry.registry_count_start).
    JOB_HANDLERS.register(JobHandler("clients_registry_count", tasks.registry_count_run))
    # The clients picker: forms choose a client by typing the start of its name, of its meaningful part (without
    # the legal form) or, from three letters, a fragment of it (`picker_q`). As a directory, the engine's
    # search-as-you-type widget and `directories:pick` serve it; its rows start from `visible_clients`, so a
    # picker never offers a client (a private one above all) the user may not see. Clients are created and
    # changed in their own card, never from the picker.
    DIRECTORIES.register(Directory(
        key="clients", model=Client, fields=("code", "short_name"), title=_("Clients"), search_field="name_key",
        order_by=("name_key", "id"), in_menu=False, queryset_for=visible_clients, editable=False, search=picker_q,
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
    for tab in card_tabs():
        CARD_TABS.register(tab)


def card_tabs() -> list[CardTab]:
    """The card's own tabs besides General (on the card's page): its parts and its journals (CLI-01 … CLI-16)."""
    from kontora.clients import policies
    from kontora.clients.forms.card import AccessForm, AttributesForm, OperationalForm
    from kontora.clients.forms.mailing import MailingSettingsForm
    from kontora.clients.forms.registration import PersonalForm, RegistrationForm
    from kontora.clients.forms.security import SecurityInfoForm
    from kontora.clients.forms.shipping import ShippingForm
    from kontora.clients.services import card, mailing, registration, security, shipping
    from kontora.clients.views.mailing import mailing_context
    from kontora.clients.views.registration import registration_context
    from kontora.clients.views.security import security_context
    from kontora.directories.attributes.selectors import has_active_attributes

    company, person = frozenset({Client.Kind.COMPANY}), frozenset({Client.Kind.PERSON})

    def changes(policy: Any) -> Callable[[Any, Client], bool]:
        """A part's right: to change the rows of its policy (clients.policies) on this client."""
        return lambda user, client: policy.can(user, "change", client)

    return [
        CardTab("operational", _("Operational work"), "clients:operational", order=20, part=CardPart(
            OperationalForm, "clients/partials/tab_operational.html", changes(policies.clients),
            related=("ladder_stage", "next_stage", "penetration", "reaction", "loyalty", "prospect"),
            on_new_card=True)),
        CardTab("personnel", _("Personnel"), "clients:contacts", order=30, kinds=company),
        # A person has the passport tab instead of Registration data (CLI-01); both kinds have Bank (CLI-07).
        CardTab("personal", _("Passport and personal data"), "clients:personal", order=30, kinds=person,
                part=CardPart(PersonalForm, "clients/partials/tab_personal.html", changes(policies.personal_data),
                              save=registration.personal_save, related=("personal",), on_new_card=True)),
        CardTab("registration", _("Registration data"), "clients:registration", order=40, kinds=company,
                short_label=_("Reg. data"),
                part=CardPart(RegistrationForm, "clients/partials/tab_registration.html",
                              changes(policies.registrations),
                              save=registration.registration_save, related=("registration",), on_new_card=True,
                              context=registration_context)),
        CardTab("attributes", _("Attributes"), "clients:attributes", order=45,
                predicate=lambda user, client: has_active_attributes(),
                part=CardPart(AttributesForm, "clients/partials/tab_attributes.html",
                              changes(policies.attribute_values),
                              on_new_card=True)),
        CardTab("bank", _("Bank"), "clients:bank", order=50),
        CardTab("access", _("Access"), "clients:access", order=55, part=CardPart(
            AccessForm, "clients/partials/tab_access.html", changes(policies.grants), save=card.client_access_save,
            on_new_card=True)),
        # Mailing, Security and Shipping (CLI-09 … CLI-11); the last two obey Settings → Functionality.
        CardTab("mailing", _("Mailing E-Mail & SMS"), "clients:mailing", order=60, short_label=_("Mailing"),
                part=CardPart(MailingSettingsForm, "clients/partials/tab_mailing.html", changes(policies.mailings),
                              save=mailing.mailing_switches_save, related=("mailing",), context=mailing_context)),
        CardTab("security", _("Security"), "clients:security", order=70, block="security_tab", part=CardPart(
            SecurityInfoForm, "clients/partials/tab_security.html", changes(policies.securities),
            save=security.security_update,
            related=("security", "security__inspector"), context=security_context)),
        CardTab("shipping", _("Shipping requisites"), "clients:shipping", order=80, block="shipping_tab",
                short_label=_("Shipping"),
                part=CardPart(ShippingForm, "clients/partials/tab_shipping.html", changes(policies.shippings),
                              save=shipping.shipping_update, related=("shipping",))),
        CardTab("service", _("Service"), "clients:history", order=90),
        CardTab("files", _("Files"), "clients:files", order=100),
    ]


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
        # the card's journals: contact persons (Personnel) and the change history (Service)
        Exit("clients:contacts", contact, OPENS, args=_of),
        Exit("clients:history", client, OPENS, args=_card),
        # the parts of the card's form: each pane loaded when its tab is shown, and its fields posted with the card
        # (a part the user may not change is refused, whatever else he may change)
        Exit("clients:operational", client, OPENS, args=_card),
        Exit("clients:attributes", client, OPENS, args=_card),
        Exit("clients:access", client, OPENS, args=_card),
        Exit("clients:card", client, EDITS_MAIN, post, args=_card, data=lambda c: {"access-read": ""}, key="access"),
        Exit("clients:registration", "clients.ClientRegistration", OPENS, args=_of),
        Exit("clients:card", "clients.ClientRegistration", EDITS_MAIN, post, args=_of,
             data=lambda r: {"reg-okpo": ""}, key="registration"),
        Exit("clients:legal_change_new", "clients.ClientRegistration", EDITS_MAIN, args=_of),
        Exit("clients:legal_change_new", "clients.ClientRegistration", EDITS_MAIN, post, args=_of),
        Exit("clients:legal_change_edit", "clients.ClientLegalChange", EDITS_MAIN, args=_row("change_id")),
        Exit("clients:legal_change_edit", "clients.ClientLegalChange", EDITS_MAIN, post, args=_row("change_id")),
        Exit("clients:legal_change_delete", "clients.ClientLegalChange", EDITS_MAIN, post, args=_row("change_id"),
             removes=True),
        Exit("clients:personal", "clients.ClientPersonal", OPENS, args=_of),
        Exit("clients:card", "clients.ClientPersonal", EDITS_MAIN, post, args=_of,
             data=lambda r: {"personal-snils": ""}, key="personal"),
        Exit("clients:bank", client, OPENS, args=_card),
        Exit("clients:bank_account_new", client, EDITS_MAIN, args=_card),
        Exit("clients:bank_account_new", client, EDITS_MAIN, post, args=_card),
        Exit("clients:bank_account_edit", "clients.ClientBankAccount", EDITS_MAIN, args=_row("account_id")),
        Exit("clients:bank_account_edit", "clients.ClientBankAccount", EDITS_MAIN, post, args=_row("account_id")),
        Exit("clients:bank_account_delete", "clients.ClientBankAccount", EDITS_MAIN, post,
             args=_row("account_id"), removes=True),
        Exit("clients:mailing", client, OPENS, args=_card),
        Exit("clients:card", client, EDITS, post, args=_card, data=lambda c: {"ms-exclude_email": "on"},
             key="mailing"),
        Exit("clients:mailing_address_new", client, EDITS, args=_card),
        Exit("clients:mailing_address_new", client, EDITS, post, args=_card),
        Exit("clients:mailing_fill", client, EDITS, post, args=_card),
        Exit("clients:mailing_address_edit", "clients.ClientMailingAddress", EDITS, args=_row("address_id")),
        Exit("clients:mailing_address_edit", "clients.ClientMailingAddress", EDITS, post, args=_row("address_id")),
        Exit("clients:mailing_address_delete", "clients.ClientMailingAddress", EDITS, post,
             args=_row("address_id"), removes=True),
        Exit("clients:security", "clients.ClientSecurity", OPENS, args=_of),
        Exit("clients:card", "clients.ClientSecurity", EDITS, post, args=_of, data=lambda r: {"si-finances": ""},
             key="security"),
        # Signing needs the right and a card the user may edit, not only open (ACL-04; issue 11, F3).
        Exit("clients:security_sign", "clients.ClientSecurity", EDITS, args=_of, who=has_right("security_decisions")),
        Exit("clients:security_sign", "clients.ClientSecurity", EDITS, post, args=_of,
             who=has_right("security_decisions")),
        Exit("clients:shipping", "clients.ClientShipping", OPENS, args=_of),
        Exit("clients:card", "clients.ClientShipping", EDITS, post, args=_of, data=lambda r: {"sh-carrier": ""},
             key="shipping"),
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
