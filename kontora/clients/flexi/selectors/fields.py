"""The Flexi-filter's field catalogue as the engine reads it: the fields of `hooks.FILTER_FIELDS` plus the active
attributes (the Attributes tab), and the cleaning of a condition's value by its field's control (REG-04, REG-05).

A value is cleaned without SQL, except pick lists over `choices` (users, attribute options) and "attr:<id>" keys
(is the attribute active?).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kontora.clients.flexi.hooks import ATTRIBUTE_PREFIX, CARD, FILTER_FIELDS, ME, NO_VALUE, TABS, FieldDef
from kontora.core.text import digits, id_param, search_key
from kontora.directories.attributes.selectors import FilterField, attribute_filter_fields, get_filter_field
from kontora.directories.models import Attribute, AttributeOption

MAX_VALUES = 500  # ids in one multiple pick
MAX_TEXT = 200
MAX_ID = 2**63  # ids beyond a 64-bit integer would fail in the database, not in validation


def clean_value(field_def: FieldDef, operator: str, value: Any) -> Any:
    """The normalised JSON value of a condition, or ValidationError naming the field (no SQL runs)."""
    if operator not in field_def.operators:
        raise ValidationError(
            _("The condition “%(operator)s” does not apply to the field “%(label)s”.")
            % {"operator": _short(operator), "label": field_def.label},
            code="operator",
        )
    return _CLEANERS[field_def.control](field_def, operator, value)


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
    if operator in NO_VALUE:
        return None
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


MAX_COUNT = 1_000_000


def _clean_counted(field_def: FieldDef, operator: str, value: Any) -> dict[str, Any]:
    """{"items": [ids], "from": date | None, "to": date | None, "count": N | None}: no items means any; a period's
    missing end is open; the count only for "at least"."""
    if not isinstance(value, dict) or set(value) - {"items", "from", "to", "count"}:
        raise _error(field_def, _("choose the items, the period and the number."))
    raw_items = value.get("items") or []
    items = _clean_multi(field_def, "in", raw_items) if raw_items else []
    days: list[str | None] = []
    for name in ("from", "to"):
        raw = value.get(name)
        if raw in (None, ""):
            days.append(None)
            continue
        day = parse_date(raw)
        if day is None:
            raise _error(field_def, _("enter dates as YYYY-MM-DD."))
        days.append(day.isoformat())
    if days[0] and days[1] and days[0] > days[1]:
        days.reverse()
    count = None
    if operator == "count_ge":
        number = parse_number(value.get("count"))
        if number is None or number != number.to_integral_value() or not 1 <= number <= MAX_COUNT:
            raise _error(field_def, _("enter a whole number from 1 to %(count)s.") % {"count": MAX_COUNT})
        count = int(number)
    return {"items": items, "from": days[0], "to": days[1], "count": count}


MAX_SUM = Decimal("1e12")  # rubles: more than any sum a filter asks about


def _clean_sum(field_def: FieldDef, operator: str, value: Any) -> dict[str, Any]:
    """{"from": date | None, "to": date | None, "amount": "1500.00" | None}: a period's missing end is open; the
    amount, in rubles to the kopeck, only for "the sum at least / at most"."""
    if not isinstance(value, dict) or set(value) - {"from", "to", "amount"}:
        raise _error(field_def, _("enter the period and the sum."))
    period = _clean_counted(field_def, "exists", {"from": value.get("from"), "to": value.get("to")})
    amount = None
    if operator in ("sum_ge", "sum_le"):
        number = parse_number(value.get("amount"))
        if number is None or number < 0 or number >= MAX_SUM or number != number.quantize(Decimal("0.01")):
            raise _error(field_def, _("enter a sum in rubles, not negative, at most to the kopeck."))
        amount = str(number.quantize(Decimal("0.01")))
    return {"from": period["from"], "to": period["to"], "amount": amount}


_CLEANERS: dict[str, Callable[[FieldDef, str, Any], Any]] = {
    "pick": _clean_pick,
    "multi": _clean_multi,
    "date": _clean_date,
    "number": _clean_number,
    "text": _clean_text,
    "flag": _clean_flag,
    "counted": _clean_counted,
    "sum": _clean_sum,
}


# --- the Attributes tab: the active attributes, delegated to directories.attributes.filters -----------

_ATTRIBUTE_CONTROLS = {
    Attribute.Kind.DIRECTORY: "multi",
    Attribute.Kind.TEXT: "text",
    Attribute.Kind.NUMBER: "number",
    Attribute.Kind.DATE: "date",
    Attribute.Kind.FLAG: "flag",
}


def _options(attribute_ids: list[int]) -> dict[int, list[tuple[Any, str]]]:
    """The options of directory attributes, one query for all of them."""
    found: dict[int, list[tuple[Any, str]]] = {pk: [] for pk in attribute_ids}
    if attribute_ids:
        rows = AttributeOption.objects.filter(attribute_id__in=attribute_ids).order_by("order", "name", "id")
        for attribute_id, pk, name in rows.values_list("attribute_id", "pk", "name"):
            found[attribute_id].append((pk, name))
    return found


def _attribute_def(filter_field: FilterField, options: list[tuple[Any, str]] | None = None) -> FieldDef:
    """The field of an attribute; a directory attribute's options read when asked, unless given (the catalogue)."""
    def build(operator: str, value: Any, user: Any) -> Q:
        return filter_field.to_q(operator, value)

    def choices() -> list[tuple[Any, str]]:
        return options if options is not None else _options([filter_field.attribute_id])[filter_field.attribute_id]

    return FieldDef(
        key=filter_field.key, tab="attributes", label=filter_field.label,
        control=_ATTRIBUTE_CONTROLS[filter_field.kind],  # type: ignore[index]
        operators=filter_field.operators, build=build,
        choices=choices if filter_field.kind == Attribute.Kind.DIRECTORY else None,
        reads=CARD,  # an attribute is the card's Attributes tab
    )


def _attribute_field(key: str) -> FieldDef | None:
    try:
        return _attribute_def(get_filter_field(key))
    except ValidationError:
        return None


# --- the catalogue --------------------------------------------------------------------------------------


def get_field(key: Any) -> FieldDef:
    """The field under `key` ("status", "attr:7", …); ValidationError for anything not in the catalogue.

    Only "attr:<id>" keys read the base (is the attribute active?); other unknown keys are refused without SQL.
    """
    if isinstance(key, str):
        if key in FILTER_FIELDS:
            return FILTER_FIELDS.get(key)
        if key.startswith(ATTRIBUTE_PREFIX) and id_param(key[len(ATTRIBUTE_PREFIX):]) is not None:
            attribute = _attribute_field(key)
            if attribute is not None:
                return attribute
    raise ValidationError(_("Unknown filter field “%(key)s”.") % {"key": _short(key)}, code="field")


def catalogue() -> list[tuple[str, str | Promise, list[FieldDef]]]:
    """The panel's tabs in order, each with its fields; the Attributes tab lists every active attribute."""
    by_tab: dict[str, list[FieldDef]] = {code: [] for code, _label in TABS}
    for field_def in sorted(FILTER_FIELDS.items(), key=lambda f: f.order):
        by_tab[field_def.tab].append(field_def)
    attributes = attribute_filter_fields()
    options = _options([f.attribute_id for f in attributes if f.kind == Attribute.Kind.DIRECTORY])
    by_tab["attributes"].extend(_attribute_def(f, options.get(f.attribute_id)) for f in attributes)
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
