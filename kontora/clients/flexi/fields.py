"""The Flexi-filter's field catalogue: the whitelist of what a filter may ask, tab by tab (REG-04, REG-05).

A field (`FieldDef`) names its tab, its control — how the panel asks for the value — its operators, and
where the values of pick lists come from: `directory` is a key of the directory picker engine
(`kontora.directories.hooks`), `choices` a callable giving `[(id, label), …]` for lists that are not
directories (users, client types, attribute values). `build(operator, value, user) -> Q` turns a
validated condition into a condition over `Client`; a field over related rows (contacts, bank accounts,
later events and invoices) builds an `Exists`/`pk__in` subquery, so the whole filter stays one query.

Controls and their operators and values (the value as the browser sends it and templates store it):
  pick    eq, ne                      one choice id (str)
  multi   in, not_in                  list of ids (ints; user fields also "me": whoever applies the filter)
  date    on, before, after, between  "YYYY-MM-DD"; between: ["YYYY-MM-DD", "YYYY-MM-DD"] (order normalised)
  number  eq, ne, lt, le, gt, ge, between   a number; between: [from, to]
  text    contains, starts, equals    a non-empty string (compared in search form: case and ё folded)
  flag    is_true, is_false           null

Later features add their fields with `register_field(FieldDef(...))` at import time of their app
(e.g. "has an event of type … in period …" on the Statistics tab).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.core.text import digits, search_key

TABS: list[tuple[str, str | Promise]] = [
    ("main", gettext_lazy("Main data")),
    ("attributes", gettext_lazy("Attributes")),
    ("classifiers", gettext_lazy("Classifiers")),
    ("operational", gettext_lazy("Operational work")),
    ("users", gettext_lazy("Users")),
    ("statistics", gettext_lazy("Statistics")),
]

OPERATOR_LABELS: dict[str, str | Promise] = {
    "eq": gettext_lazy("="),
    "ne": gettext_lazy("≠"),
    "in": gettext_lazy("is one of"),
    "not_in": gettext_lazy("is none of"),
    "lt": gettext_lazy("<"),
    "le": gettext_lazy("≤"),
    "gt": gettext_lazy(">"),
    "ge": gettext_lazy("≥"),
    "between": gettext_lazy("between"),
    "on": gettext_lazy("on"),
    "before": gettext_lazy("before"),
    "after": gettext_lazy("after"),
    "contains": gettext_lazy("contains"),
    "starts": gettext_lazy("starts with"),
    "equals": gettext_lazy("equals"),
    "is_true": gettext_lazy("is set"),
    "is_false": gettext_lazy("is not set"),
}

CONTROLS: dict[str, tuple[str, ...]] = {
    "pick": ("eq", "ne"),
    "multi": ("in", "not_in"),
    "date": ("on", "before", "after", "between"),
    "number": ("eq", "ne", "lt", "le", "gt", "ge", "between"),
    "text": ("contains", "starts", "equals"),
    "flag": ("is_true", "is_false"),
}

ME = "me"  # a user fields' value meaning "whoever applies the filter" ("my clients" works for everyone)
MAX_VALUES = 500  # ids in one multiple pick
MAX_TEXT = 200
MAX_ID = 2**63  # ids beyond a 64-bit integer would fail in the database, not in validation

Builder = Callable[[str, Any, Any], Q]


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
    order: int = 0

    def __post_init__(self) -> None:
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

    def clean(self, operator: str, value: Any) -> Any:
        """The normalised JSON value of a condition, or ValidationError naming this field (no SQL runs)."""
        if operator not in self.operators:
            raise ValidationError(
                _("The condition “%(operator)s” does not apply to the field “%(label)s”.")
                % {"operator": _short(operator), "label": self.label},
                code="operator",
            )
        return _CLEANERS[self.control](self, operator, value)

    def to_q(self, operator: str, value: Any, user: Any) -> Q:
        """The condition over clients; `value` must come from `clean` (i.e. from `spec.parse`)."""
        return self.build(operator, value, user)


def _short(text: Any) -> str:
    text = str(text)
    return text if len(text) <= 40 else text[:40] + "…"


def _error(field_def: FieldDef, message: str) -> ValidationError:
    return ValidationError(
        _("%(label)s: %(problem)s") % {"label": field_def.label, "problem": message}, code="value",
    )


def _clean_pick(field_def: FieldDef, operator: str, value: Any) -> Any:
    allowed = {str(code) for code, _label in (field_def.choices() if field_def.choices else [])}
    if not isinstance(value, str | int) or isinstance(value, bool) or str(value) not in allowed:
        raise _error(field_def, _("choose a value from the list."))
    return str(value)


def _clean_multi(field_def: FieldDef, operator: str, value: Any) -> list[Any]:
    items = value if isinstance(value, list | tuple) else [value]
    result: list[Any] = []
    for item in items:
        if field_def.allow_me and item == ME:
            normal: Any = ME
        elif isinstance(item, int) and not isinstance(item, bool) and 0 <= item < MAX_ID:
            normal = item
        elif isinstance(item, str) and item.isascii() and item.isdigit() and int(item) < MAX_ID:
            normal = int(item)
        else:
            raise _error(field_def, _("choose values from the list."))
        if normal not in result:
            result.append(normal)
    if not result:
        raise _error(field_def, _("choose at least one value."))
    if len(result) > MAX_VALUES:
        raise _error(field_def, _("choose at most %(count)s values.") % {"count": MAX_VALUES})
    return result


def parse_date(value: Any) -> date | None:
    """An ISO date within years 1800–2999 (the edges of date arithmetic stay out of reach), or None."""
    if isinstance(value, str) and len(value) == 10:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
        return day if 1800 <= day.year <= 2999 else None
    return None


def _pair(field_def: FieldDef, value: Any) -> Sequence[Any]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise _error(field_def, _("enter two values: from and to."))
    return value


def _clean_date(field_def: FieldDef, operator: str, value: Any) -> Any:
    if operator == "between":
        pair = _pair(field_def, value)
        low, high = parse_date(pair[0]), parse_date(pair[1])
        if low is None or high is None:
            raise _error(field_def, _("enter dates as YYYY-MM-DD."))
        low, high = min(low, high), max(low, high)
        return [low.isoformat(), high.isoformat()]
    day = parse_date(value)
    if day is None:
        raise _error(field_def, _("enter a date as YYYY-MM-DD."))
    return day.isoformat()


def parse_number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and abs(number) < Decimal("1e15") else None


def _number_json(field_def: FieldDef, value: Any) -> int | str:
    number = parse_number(value)
    if number is None:
        raise _error(field_def, _("enter a number."))
    if field_def.integer:
        if number != number.to_integral_value():
            raise _error(field_def, _("enter a whole number."))
        return int(number)
    return int(number) if number == number.to_integral_value() else str(number.normalize())


def _clean_number(field_def: FieldDef, operator: str, value: Any) -> Any:
    if operator == "between":
        low, high = (_number_json(field_def, item) for item in _pair(field_def, value))
        return [low, high] if Decimal(str(low)) <= Decimal(str(high)) else [high, low]
    return _number_json(field_def, value)


def text_form(field_def: FieldDef, value: str) -> str:
    """The form a text condition compares: the search key, or the digits of a phone number / INN."""
    return digits(value) if field_def.text_form == "digits" else search_key(value)


def _clean_text(field_def: FieldDef, operator: str, value: Any) -> str:
    if not isinstance(value, str) or not text_form(field_def, value):
        raise _error(field_def, _("enter the text to search for.") if field_def.text_form == "key"
                     else _("enter digits to search for."))
    text = " ".join(value.split())
    if len(text) > MAX_TEXT:
        raise _error(field_def, _("the text is longer than %(count)s characters.") % {"count": MAX_TEXT})
    return text


def _clean_flag(field_def: FieldDef, operator: str, value: Any) -> None:
    return None


_CLEANERS: dict[str, Callable[[FieldDef, str, Any], Any]] = {
    "pick": _clean_pick,
    "multi": _clean_multi,
    "date": _clean_date,
    "number": _clean_number,
    "text": _clean_text,
    "flag": _clean_flag,
}


_REGISTRY: dict[str, FieldDef] = {}


def register_field(field_def: FieldDef) -> FieldDef:
    """Adds a field to the catalogue (later apps: events, invoices…); keys are unique, "attr:" is reserved."""
    if field_def.key in _REGISTRY or field_def.key.startswith("attr:"):
        raise ValueError(f"filter field {field_def.key!r} registered twice or reserved")
    if field_def.tab not in dict(TABS):
        raise ValueError(f"filter field {field_def.key!r}: unknown tab {field_def.tab!r}")
    _REGISTRY[field_def.key] = field_def
    return field_def


def _load() -> None:
    # The product's own fields register themselves on first use; importing here avoids an import cycle.
    from kontora.clients.flexi import builtin  # noqa: F401


def get_field(key: Any) -> FieldDef:
    """The field under `key` ("status", "attr:7", …); ValidationError for anything not in the catalogue.

    Only "attr:<id>" keys read the base (is the attribute active?); other unknown keys are refused without SQL.
    """
    _load()
    if isinstance(key, str):
        found = _REGISTRY.get(key)
        if found is not None:
            return found
        if key.startswith("attr:") and key[5:].isdigit():
            from kontora.clients.flexi.builtin import attribute_field

            attribute = attribute_field(key)
            if attribute is not None:
                return attribute
    raise ValidationError(_("Unknown filter field “%(key)s”.") % {"key": _short(key)}, code="field")


def catalogue() -> list[tuple[str, str | Promise, list[FieldDef]]]:
    """The panel's tabs in order, each with its fields; the Attributes tab lists every active attribute."""
    _load()
    from kontora.clients.flexi.builtin import attribute_fields

    by_tab: dict[str, list[FieldDef]] = {code: [] for code, _label in TABS}
    for field_def in sorted(_REGISTRY.values(), key=lambda f: f.order):
        by_tab[field_def.tab].append(field_def)
    by_tab["attributes"].extend(attribute_fields())
    return [(code, label, by_tab[code]) for code, label in TABS]


def catalogue_data() -> list[dict[str, Any]]:
    """The catalogue as plain data for the panel's JavaScript (labels translated to the current language)."""
    return [
        {
            "code": code,
            "label": str(label),
            "fields": [
                {
                    "key": f.key,
                    "label": str(f.label),
                    "control": f.control,
                    "operators": [{"code": op, "label": str(text)} for op, text in f.operator_choices],
                    "directory": f.directory,
                    "choices": ([{"id": str(pk), "label": str(text)} for pk, text in f.choices()]
                                if f.choices is not None else None),
                }
                for f in fields
            ],
        }
        for code, label, fields in catalogue()
    ]
