"""Directories' extension point, and what directories plugs into the others.

The point DIRECTORIES is the one registry of reference books: a `Directory` registered there gets its list, card,
picker and menu item from the generic pages (`views/items.py`), so a new reference book needs no view code. The
product's linear directories (`LINEAR`) are registered by `register()` below; other apps offer theirs for picking
from their own hooks (clients). The lookups over the point are read through `selectors/registry.py`.

`register()` also plugs in the rights, the menu items, the Parameters tab and the import jobs (banks, populated places).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontora.core.hooks import Point
from kontora.directories import models as m

# Menu groups in the order the Directories menu shows them, a divider between groups.
GROUPS: tuple[str, ...] = ("clients", "ladder", "goods", "documents", "geography", "enterprise")


@dataclass(frozen=True)
class Directory:
    key: str  # URL slug, e.g. "event-types"
    model: type[models.Model]
    fields: tuple[str, ...] = ("name",)  # model fields shown in the list and edited in the card, in order
    title: str | Promise | None = None  # default: the model's verbose_name_plural, capitalised
    group: str = "clients"  # menu group, one of GROUPS
    edit_right: str = "edit_directories"  # right needed to add, edit, deactivate and delete
    search_field: str = "name_key"  # the *_key column (kontora.core.text.search_key) the search compares
    # The rows matching a typed key (already a search key); None: `search_field` starts with it or has a word
    # starting with it (selectors.words.key_words_q, a scan — fine for a few hundred rows).
    search: Callable[[str], Q] | None = None
    order_by: tuple[str, ...] = ("order", "name", "id")
    in_menu: bool = True
    # Rows a user may see, for books whose rows are not everyone's (clients: kontora.clients.access); None → all.
    queryset_for: Callable[[Any], models.QuerySet[Any]] | None = None
    editable: bool = True  # False: only picked here, created and changed in their own cards
    import_view: str = ""  # the URL name of the page where an administrator loads the directory from a file
    # What tells namesakes apart (a place's region and district), shown beside each item in the picker's options
    # and after its chosen value; read only from `pick_related`, joined in the picker's one query. None: nothing.
    detail: Callable[[Any], str] | None = None
    pick_related: tuple[str, ...] = ()
    pick_only: tuple[str, ...] = ()  # the columns a picker's option reads (a wide row loads slower); () → all
    # The picker's query parameters that narrow its items, each with the item's foreign key it compares ((param,
    # relation), …): a city picker given the card's region offers only that region's places. A choice sets them in
    # turn: choosing a city sets the form's region to the city's (`sets_of`; the relation is in `pick_related`).
    narrow: tuple[tuple[str, str], ...] = ()

    def items_for(self, user: Any) -> models.QuerySet[Any]:
        """Every row the list, picker and card may show this user; the one start of each directory query."""
        if self.queryset_for is not None:
            return self.queryset_for(user)
        return self.model._default_manager.all()

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"directory {self.key!r}: unknown group {self.group!r}")

    @property
    def label(self) -> str | Promise:
        if self.title is not None:
            return self.title
        plural = str(self.model._meta.verbose_name_plural)
        return plural[:1].upper() + plural[1:]

    @property
    def has_active_flag(self) -> bool:
        return any(f.name == "is_active" for f in self.model._meta.get_fields())

    def detail_of(self, item: Any) -> str:
        return self.detail(item) if self.detail is not None and item is not None else ""

    def sets_of(self, item: Any) -> dict[str, tuple[int, str]]:
        """What choosing `item` sets in the form: {param: (pk, text)} of its `narrow` relations (a city's region)."""
        sets = {}
        for param, relation in self.narrow:
            related = getattr(item, relation, None)
            if related is not None:
                sets[param] = (related.pk, str(related))
        return sets

    def text_of(self, item: Any) -> str:
        """The picker's text of a chosen item: its name, with its detail in brackets (namesakes differ)."""
        detail = self.detail_of(item)
        return f"{item} ({detail})" if detail else str(item)

    @property
    def card_fields(self) -> tuple[str, ...]:
        """The fields the card edits: the declared ones in order, then "active" when the model has the flag."""
        if self.has_active_flag and "is_active" not in self.fields:
            return (*self.fields, "is_active")
        return self.fields


def _settlement_words_q(key: str) -> Q:
    """Places by the start of any word of their name, through their word tails (read when the picker asks)."""
    from kontora.directories.selectors.words import settlement_words_q

    return settlement_words_q(key)


def _settlement_detail(place: Any) -> str:
    """A place's region and district («Кировская область, Советский р-н»); a city that is its region (Москва)
    names no region."""
    region = place.region.name if place.region_id and place.region.name != place.name else ""
    return ", ".join(part for part in (region, place.area) if part)


# Every directory, in the order of the Directories menu: the linear ones (LINEAR) from this app's register(),
# and those other apps offer for picking (clients) from theirs.
DIRECTORIES: Point[Directory] = Point("directories", key=lambda directory: directory.key)

# The product's linear directories (one level, no folders), in the order of the Directories menu.
LINEAR: tuple[Directory, ...] = (
    Directory("event-types", m.EventType, title=_("Event types")),
    Directory("event-results", m.EventResult, title=_("Event results")),
    Directory("company-sizes", m.CompanySize, title=_("Company sizes")),
    Directory("information-sources", m.InformationSource, title=_("Information sources")),
    Directory("priorities", m.Priority, title=_("Priorities")),
    Directory("activity-types", m.ActivityType, title=_("Activity types")),
    Directory("client-statuses", m.ClientStatus, title=_("Client statuses")),
    Directory("client-flags", m.ClientFlag, fields=("name", "colour", "order"), title=_("Client flags")),
    Directory("competitors", m.Competitor, title=_("Competitors")),

    Directory("ladder-stages", m.LadderStage, fields=("name", "order"), title=_("Sales ladder stages"),
              group="ladder"),
    Directory("penetration-depths", m.PenetrationDepth, title=_("Penetration depth"), group="ladder"),
    Directory("contact-reactions", m.ContactReaction, title=_("Reaction to the last contact"), group="ladder"),
    Directory("loyalty", m.Loyalty, title=_("Loyalty"), group="ladder"),
    Directory("prospects", m.Prospect, title=_("Prospects"), group="ladder"),

    Directory("goods-groups", m.GoodsGroup, title=_("Goods groups"), group="goods"),
    Directory("units", m.Unit, fields=("name", "short_name", "okei"), title=_("Units of measure"), group="goods"),
    Directory("vat-rates", m.VatRate, fields=("name", "rate", "valid_from", "valid_to"), title=_("VAT rates"),
              group="goods"),
    Directory("tariffs", m.Tariff, fields=("name", "price"), title=_("Tariffs"), group="goods"),

    Directory("contract-types", m.ContractType, title=_("Contract types"), group="documents"),

    Directory("regions", m.Region, fields=("name", "short_name", "code"), title=_("Regions"), group="geography",
              order_by=("name", "id")),
    Directory("settlements", m.Settlement, fields=("name", "kind", "region", "area", "postal_code"),
              title=_("Populated places"), group="geography", order_by=("name_key", "id"),
              search=_settlement_words_q, detail=_settlement_detail, pick_related=("region",),
              pick_only=("id", "name", "name_key", "kind", "area", "region__id", "region__name"),
              narrow=(("region", "region"),), import_view="directories:settlements_import"),

    Directory("directions", m.Direction, title=_("Directions of activity"), group="enterprise"),
)


def register() -> None:
    from kontora.accounts.hooks import ACCESS, ADMIN_ONLY, RIGHTS, Right
    from kontora.core.hooks import (
        CODE_KINDS,
        JOB_HANDLERS,
        MENU,
        MENU_PROVIDERS,
        NOTICES,
        PARAMETERS_TABS,
        CodeKind,
        JobHandler,
        MenuItem,
        MenuProvider,
        Notice,
        ParametersTab,
        admins,
    )
    from kontora.directories import tasks
    from kontora.directories.selectors import banks, registry
    from kontora.directories.views import autosubst

    RIGHTS.register(Right(
        "edit_directories", _("Edit directories"),
        _("Add, change and deactivate items of directories and classifiers, also on the fly from forms."), ACCESS,
        roles=ADMIN_ONLY, order=30,
    ))
    RIGHTS.register(Right(
        "edit_nomenclature", _("Edit nomenclature"),
        _("Add and change goods and services in the nomenclature directory."), ACCESS, roles=ADMIN_ONLY, order=40,
    ))
    CODE_KINDS.register(CodeKind("nomenclature", "directories_nomenclatureitem"))
    NOTICES.register(Notice("banks", banks.bank_directory_notice, "directories:banks", _("Directories → Banks")))
    for directory in LINEAR:
        DIRECTORIES.register(directory)
    MENU.register(MenuItem("directories", _("Banks"), "directories:banks", order=10))
    MENU.register(MenuItem("directories", _("Nomenclature"), "nomenclature:tree", order=20))
    MENU_PROVIDERS.register(MenuProvider("directories", "directories", registry.menu_items))
    MENU.register(MenuItem("admin", _("Data management: attributes"), "attributes:list", admins, order=80))
    PARAMETERS_TABS.register(ParametersTab(
        key="autosubst", label=_("Auto-substitution"), template="directories/parameters_autosubst.html",
        form_factory=autosubst.parameters_tab_form, save=autosubst.parameters_tab_save,
    ))
    JOB_HANDLERS.register(JobHandler("banks_import", tasks.banks_import_run))
    JOB_HANDLERS.register(JobHandler("settlements_import", tasks.settlements_import_run))
