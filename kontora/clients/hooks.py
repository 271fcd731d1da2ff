"""The client card's extension points, and what clients plugs into the others.

Points: CARD_TABS (tabs and journals of the card, CLI-14) and CARD_ACTIONS (buttons of the card's header,
CLI-13). Another app adds a tab or a button from its own hooks.py; the card renders what is registered and
imports none of those apps.

The card is one form (its save model): the main requisites and the General tab are on its page; every other tab
is a pane loaded by htmx from its own URL when the tab is first shown, inside that form. A tab with a `CardPart`
is a part of the form — its fields are saved by the card's OK / Apply, with the card, in one transaction, through
the part's own service and rights (read-only without them). A tab without one is a journal: a list with its own
modal forms (contacts, bank accounts, files, history; tasks and invoices later), never part of the card's form.
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
    for tab in card_tabs():
        CARD_TABS.register(tab)


def card_tabs() -> list[CardTab]:
    """The card's own tabs besides General (on the card's page): its parts and its journals (CLI-01 … CLI-16)."""
    from kontora.clients import access
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
    return [
        CardTab("operational", _("Operational work"), "clients:operational", order=20, part=CardPart(
            OperationalForm, "clients/partials/tab_operational.html", access.can_edit,
            related=("ladder_stage", "next_stage", "penetration", "reaction", "loyalty", "prospect"),
            on_new_card=True)),
        CardTab("personnel", _("Personnel"), "clients:contacts", order=30, kinds=company),
        # A person has the passport tab instead of Registration data (CLI-01); both kinds have Bank (CLI-07).
        CardTab("personal", _("Passport and personal data"), "clients:personal", order=30, kinds=person,
                part=CardPart(PersonalForm, "clients/partials/tab_personal.html", access.can_edit_main_data,
                              save=registration.personal_save, related=("personal",))),
        CardTab("registration", _("Registration data"), "clients:registration", order=40, kinds=company,
                part=CardPart(RegistrationForm, "clients/partials/tab_registration.html", access.can_edit_main_data,
                              save=registration.registration_save, related=("registration",), on_new_card=True,
                              context=registration_context)),
        CardTab("attributes", _("Attributes"), "clients:attributes", order=45,
                predicate=lambda user, client: has_active_attributes(),
                part=CardPart(AttributesForm, "clients/partials/tab_attributes.html", access.can_edit,
                              on_new_card=True)),
        CardTab("bank", _("Bank"), "clients:bank", order=50),
        CardTab("access", _("Access"), "clients:access", order=55, part=CardPart(
            AccessForm, "clients/partials/tab_access.html", access.can_edit_main_data, save=card.client_access_save,
            on_new_card=True)),
        # Mailing, Security and Shipping (CLI-09 … CLI-11); the last two obey Settings → Functionality.
        CardTab("mailing", _("Mailing E-Mail & SMS"), "clients:mailing", order=60, part=CardPart(
            MailingSettingsForm, "clients/partials/tab_mailing.html", access.can_edit,
            save=mailing.mailing_switches_save, related=("mailing",), context=mailing_context)),
        CardTab("security", _("Security"), "clients:security", order=70, block="security_tab", part=CardPart(
            SecurityInfoForm, "clients/partials/tab_security.html", access.can_edit, save=security.security_update,
            related=("security", "security__inspector"), context=security_context)),
        CardTab("shipping", _("Shipping requisites"), "clients:shipping", order=80, block="shipping_tab",
                part=CardPart(ShippingForm, "clients/partials/tab_shipping.html", access.can_edit,
                              save=shipping.shipping_update, related=("shipping",))),
        CardTab("service", _("Service"), "clients:history", order=90),
        CardTab("files", _("Files"), "clients:files", order=100),
    ]
