"""The Flexi-filter's extension point: the catalogue of fields a filter may ask (REG-04, REG-05, LAD-03).

A field (`FieldDef`) names its tab, its control — how the panel asks for the value — its operators, and
where the values of pick lists come from: `directory` is a key of the directory picker engine
(`kontora.directories.registry`), `choices` a callable giving `[(id, label), …]` for lists that are not
directories (users, client types, attribute values). `build(operator, value, user) -> Q` turns a
validated condition into a condition over `Client`; a field over related rows (contacts, bank accounts,
later events and invoices) builds an `Exists`/`pk__in` subquery, so the whole filter stays one query.

Every field declares which level of a client it reads (`reads`, required): `REGISTRY` when it reads only the
registry's columns (`clients.access.REGISTRY_COLUMNS`: code, name, city, main phone, curator, status, flags,
"changed"), `CARD` for anything else — card fields, contacts, related rows of any app. A card-level condition
matches only clients the user may open (`access.card_only`): for a client he may only list it is false whatever
its data, so a filter's count never tells him a card he cannot open (issue 11, F2). A field that reads both
(the name: the short name is a registry column, the full name is not) declares `REGISTRY` and narrows its card
part itself.

Controls and their operators and values (the value as the browser sends it and templates store it):
  pick    eq, ne                      one choice id (str)
  multi   in, not_in                  list of ids (ints; user fields also "me": whoever applies the filter)
  date    on, before, after, between  "YYYY-MM-DD"; between: ["YYYY-MM-DD", "YYYY-MM-DD"] (order normalised)
  number  eq, ne, lt, le, gt, ge, between   a number; between: [from, to]
  text    contains, starts, equals    a non-empty string (compared in search form: case and ё folded)
  flag    is_true, is_false           null
  counted exists, not_exists, count_ge  related rows of some directory items over a period, counted:
                                      {"items": [ids] (none: any), "from": "YYYY-MM-DD" | null, "to": … | null,
                                       "count": N (count_ge only, else null)} — "events of type … in period …"
  sum     exists, not_exists,         money over a period, summed: {"from": "YYYY-MM-DD" | null, "to": … | null,
          sum_ge, sum_le              "amount": "1500.00" (sum_ge / sum_le only, else null)} — "paid in period …"
A date field may also offer today and overdue (null: the day is the user's today, on his clock).

The product's own fields are registered by `register()` below (called from clients' hooks); later apps add
theirs from their own hooks.py (e.g. "has an event of type … in period …" on the Statistics tab):

    FILTER_FIELDS.register(FieldDef(key="event_kind", tab="statistics", label=_("Has an event"), …, order=100,
                                    reads=CARD))

The Attributes tab is not registered: it lists the active attributes of the base ("attr:<id>", reserved).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontora.core.hooks import Point

TABS: list[tuple[str, str | Promise]] = [
    ("main", _("Main data")),
    ("attributes", _("Attributes")),
    ("classifiers", _("Classifiers")),
    ("operational", _("Operational work")),
    ("users", _("Users")),
    ("statistics", _("Statistics")),
]

OPERATOR_LABELS: dict[str, str | Promise] = {
    "eq": _("="),
    "ne": _("≠"),
    "in": _("is one of"),
    "not_in": _("is none of"),
    "lt": _("<"),
    "le": _("≤"),
    "gt": _(">"),
    "ge": _("≥"),
    "between": _("between"),
    "on": _("on"),
    "before": _("before"),
    "after": _("after"),
    "contains": _("contains"),
    "starts": _("starts with"),
    "equals": _("equals"),
    "is_true": _("is set"),
    "is_false": _("is not set"),
    "today": _("today"),
    "overdue": _("overdue (before today)"),
    "exists": _("there are"),
    "not_exists": _("there are none"),
    "count_ge": _("at least"),
    "sum_ge": _("the sum at least"),
    "sum_le": _("the sum at most"),
}

CONTROLS: dict[str, tuple[str, ...]] = {
    "pick": ("eq", "ne"),
    "multi": ("in", "not_in"),
    "date": ("on", "before", "after", "between"),
    "number": ("eq", "ne", "lt", "le", "gt", "ge", "between"),
    "text": ("contains", "starts", "equals"),
    "flag": ("is_true", "is_false"),
    "counted": ("exists", "not_exists", "count_ge"),
    "sum": ("exists", "not_exists", "sum_ge", "sum_le"),
}
# Operators that take no value whatever their control.
NO_VALUE = frozenset({"is_true", "is_false", "today", "overdue"})

ME = "me"  # a user fields' value meaning "whoever applies the filter" ("my clients" works for everyone)
ATTRIBUTE_PREFIX = "attr:"  # keys of the Attributes tab's fields: "attr:<attribute id>"

Builder = Callable[[str, Any, Any], Q]

# The level of a client a field reads (clients.access): the registry's columns, or the card (everything else).
REGISTRY = "registry"
CARD = "card"
LEVELS = (REGISTRY, CARD)


@dataclass(frozen=True)
class FieldDef:
    key: str
    tab: str  # a code of TABS
    label: str | Promise
    control: str  # a key of CONTROLS
    build: Builder = field(repr=False, compare=False)
    operators: tuple[str, ...] = ()  # default: every operator of the control
    directory: str | None = None  # directory picker key for pick/multi fields, e.g. "client-statuses"
    choices: Callable[[], list[tuple[Any, str]]] | None = field(default=None, repr=False, compare=False)
    allow_me: bool = False  # multi over users: the value may hold ME
    integer: bool = False  # number fields holding whole numbers
    text_form: str = "key"  # text fields: "key" (search_key) or "digits" (phone numbers, INN)
    order: int = 0  # position on its tab
    # REGISTRY or CARD: required (a keyword), so a field cannot be registered without saying what it reads.
    reads: str = field(kw_only=True)

    def __post_init__(self) -> None:
        if self.reads not in LEVELS:
            raise ValueError(f"field {self.key!r}: reads must be one of {LEVELS}, not {self.reads!r}")
        if self.control not in CONTROLS:
            raise ValueError(f"field {self.key!r}: unknown control {self.control!r}")
        if not self.operators:
            object.__setattr__(self, "operators", CONTROLS[self.control])
        unknown = set(self.operators) - set(OPERATOR_LABELS)
        if unknown:
            raise ValueError(f"field {self.key!r}: unknown operators {sorted(unknown)}")

    @property
    def operator_choices(self) -> list[tuple[str, str | Promise]]:
        return [(code, OPERATOR_LABELS[code]) for code in self.operators]

    def to_q(self, operator: str, value: Any, user: Any) -> Q:
        """The condition over clients; `value` must be cleaned (`selectors.fields.clean_value`, i.e. parsed)."""
        return self.build(operator, value, user)


class FieldPoint(Point[FieldDef]):
    """The catalogue's point: a field lands on a known tab, and "attr:" keys stay the Attributes tab's."""

    def register(self, item: FieldDef) -> FieldDef:
        if item.key.startswith(ATTRIBUTE_PREFIX):
            raise ValueError(f"filter field {item.key!r}: the prefix {ATTRIBUTE_PREFIX!r} is reserved")
        if item.tab not in dict(TABS):
            raise ValueError(f"filter field {item.key!r}: unknown tab {item.tab!r}")
        return super().register(item)


FILTER_FIELDS = FieldPoint("filter fields", key=lambda item: item.key)


def register() -> None:
    """The product's own fields, tab by tab, in the panel's order."""
    from kontora.clients.flexi.selectors import conditions as c

    fields = [
        FieldDef("kind", "main", _("Client type"), "pick", c.choice("kind"), choices=c.kind_choices, reads=CARD),
        FieldDef("name", "main", _("Name"), "text", c.name_text, reads=REGISTRY),
        FieldDef("code", "main", _("Code"), "number", c.numbers("code"), integer=True, reads=REGISTRY),
        FieldDef("inn", "main", _("INN"), "text", c.digit_text("inn"), operators=("starts", "equals"),
                 text_form="digits", reads=CARD),
        FieldDef("region", "main", _("Region"), "multi", c.foreign_key("region_id"), directory="regions",
                 reads=CARD),
        FieldDef("city", "main", _("City"), "multi", c.foreign_key("settlement_id"), directory="settlements",
                 reads=REGISTRY),
        FieldDef("address", "main", _("Address"), "text", c.regex_text("address", "clients_address_fts"),
                 operators=("contains", "starts"), reads=CARD),
        FieldDef("phone", "main", _("Phone"), "text", c.digit_text("phone_digits"), operators=("contains",),
                 text_form="digits", reads=REGISTRY),
        FieldDef("flagged", "main", _("Flag"), "flag", c.present("flag_id"), reads=REGISTRY),
        FieldDef("flag", "main", _("Flags"), "multi", c.foreign_key("flag_id"), directory="client-flags",
                 reads=REGISTRY),
        FieldDef("needs_attention", "main", _("Requires special attention"), "flag", c.flag("needs_attention"),
                 reads=REGISTRY),
        FieldDef("is_private", "main", _("Private client"), "flag", c.flag("is_private"), reads=REGISTRY),
        FieldDef("has_files", "main", _("Has attached files"), "flag", c.flag("has_files"), reads=REGISTRY),
        FieldDef("created_at", "main", _("Registered"), "date", c.datetimes("created_at"), reads=CARD),
        FieldDef("changed_at", "main", _("Changed"), "date", c.datetimes("changed_at"), reads=REGISTRY),

        FieldDef("status", "classifiers", _("Status"), "multi", c.foreign_key("status_id"),
                 directory="client-statuses", reads=REGISTRY),
        FieldDef("size", "classifiers", _("Company size"), "multi", c.foreign_key("size_id"),
                 directory="company-sizes", reads=CARD),
        FieldDef("source", "classifiers", _("Information source"), "multi", c.foreign_key("source_id"),
                 directory="information-sources", reads=CARD),
        FieldDef("priority", "classifiers", _("Priority"), "multi", c.foreign_key("priority_id"),
                 directory="priorities", reads=CARD),
        FieldDef("activity", "classifiers", _("Activity type"), "multi", c.foreign_key("activity_id"),
                 directory="activity-types", reads=CARD),
        FieldDef("directions", "classifiers", _("Directions of activity"), "multi",
                 c.many_to_many("directions", "direction_id"), directory="directions", reads=CARD),

        FieldDef("ladder_stage", "operational", _("Current stage"), "multi", c.foreign_key("ladder_stage_id"),
                 directory="ladder-stages", reads=CARD),
        FieldDef("next_stage", "operational", _("Next stage"), "multi", c.foreign_key("next_stage_id"),
                 directory="ladder-stages", reads=CARD),
        FieldDef("penetration", "operational", _("Penetration depth"), "multi", c.foreign_key("penetration_id"),
                 directory="penetration-depths", reads=CARD),
        FieldDef("reaction", "operational", _("Reaction to the last contact"), "multi",
                 c.foreign_key("reaction_id"), directory="contact-reactions", reads=CARD),
        FieldDef("loyalty", "operational", _("Loyalty"), "multi", c.foreign_key("loyalty_id"), directory="loyalty",
                 reads=CARD),
        FieldDef("prospect", "operational", _("Prospects"), "multi", c.foreign_key("prospect_id"),
                 directory="prospects", reads=CARD),
        FieldDef("competitors", "operational", _("Competitors present"), "multi",
                 c.many_to_many("competitors", "competitor_id"), directory="competitors", reads=CARD),
        # The next-contact reminders without an assignee (TSK-05): today's, the overdue ones, or a period's.
        FieldDef("next_contact_date", "operational", _("Next contact date"), "date", c.dates("next_contact_date"),
                 operators=("today", "overdue", "on", "before", "after", "between"), reads=CARD),

        FieldDef("curator", "users", _("Curator"), "multi", c.users("curator_id"), choices=c.user_choices,
                 allow_me=True, reads=REGISTRY),
        FieldDef("specialist", "users", _("Specialist"), "multi", c.users("specialist_id"), choices=c.user_choices,
                 allow_me=True, reads=CARD),
        FieldDef("created_by", "users", _("Registered by"), "multi", c.users("created_by_id"),
                 choices=c.user_choices, allow_me=True, reads=CARD),
        FieldDef("changed_by", "users", _("Changed by"), "multi", c.users("changed_by_id"),
                 choices=c.user_choices, allow_me=True, reads=CARD),

        FieldDef("contacts_count", "statistics", _("Number of contact persons"), "number", c.contacts_count,
                 integer=True, reads=CARD),
        FieldDef("contact_phone", "statistics", _("A contact's phone"), "text", c.contact_phone,
                 operators=("contains",), text_form="digits", reads=CARD),
        FieldDef("contact_name", "statistics", _("A contact's name"), "text", c.contact_name,
                 operators=("contains",), reads=CARD),
        FieldDef("contact_birthday", "statistics", _("A contact's birthday (day and month)"), "date",
                 c.contact_birthday, operators=("on", "between"), reads=CARD),
        FieldDef("has_bank_account", "statistics", _("Has a bank account"), "flag", c.has_bank_account,
                 reads=CARD),
        FieldDef("has_subscribed_email", "statistics", _("Has an e-mail subscribed to mailings"), "flag",
                 c.has_subscribed_email, reads=CARD),
    ]
    for order, field_def in enumerate(fields):
        FILTER_FIELDS.register(replace(field_def, order=order))
