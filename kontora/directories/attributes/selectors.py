"""Reads of custom attributes, of the values clients carry, and the attributes' filter fields.

The filter fields (`FilterField`) are what the clients' Flexi-filter and filter templates offer on their
Attributes tab (clients/flexi/builtin.py reads them; nothing here knows clients). Each condition becomes a
subquery of client ids over the attribute's indexed typed column, e.g.
`AttributeValue.objects.filter(attribute_id=7, number__gte=10).values("client_id")`; the clients registry uses it
as `pk__in=…`. Operators and values are checked against a whitelist first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.core.text import id_param, prefix_bounds, search_key
from kontora.directories.models import Attribute, AttributeOption, AttributeValue


def attribute_list() -> QuerySet[Attribute]:
    """Administration → Data management: attributes, in the order the client card shows them."""
    return Attribute.objects.annotate(option_count=Count("options")).order_by("order", "name", "id")


def has_active_attributes() -> bool:
    """Whether the client card has an Attributes tab."""
    return Attribute.objects.filter(is_active=True).exists()


def active_attributes() -> list[Attribute]:
    """The attributes the client card, the Flexi-filter and the filter templates show."""
    return list(Attribute.objects.filter(is_active=True).order_by("order", "name", "id"))


@dataclass(frozen=True)
class CardAttribute:
    attribute: Attribute
    value: Any  # the client's value (an AttributeOption, a str, a Decimal, a date, True) or None
    options: list[AttributeOption]  # a directory attribute's values, inactive ones too, in their order


_VALUE_COLUMNS = {
    Attribute.Kind.DIRECTORY: "option_id", Attribute.Kind.TEXT: "text", Attribute.Kind.NUMBER: "number",
    Attribute.Kind.DATE: "date", Attribute.Kind.FLAG: "flag",
}


def card_attributes(client_id: int | None) -> list[CardAttribute]:
    """The active attributes with a client's values (None: a new card) and the values offered: two queries,
    whatever the number of attributes — the client card's Attributes tab."""
    attributes = Attribute.objects.filter(is_active=True).order_by("order", "name", "id").prefetch_related(
        Prefetch("options", queryset=AttributeOption.objects.order_by("order", "name", "id")))
    if client_id is not None:
        value = AttributeValue.objects.filter(attribute=OuterRef("pk"), client_id=client_id)
        attributes = attributes.annotate(**{
            f"value_{column}": Subquery(value.values(column)[:1]) for column in set(_VALUE_COLUMNS.values())})
    rows = []
    for attribute in attributes:
        options = list(attribute.options.all())
        raw = getattr(attribute, f"value_{_VALUE_COLUMNS[Attribute.Kind(attribute.kind)]}", None)
        if attribute.kind == Attribute.Kind.DIRECTORY:
            raw = next((option for option in options if option.pk == raw), None)
        elif attribute.kind == Attribute.Kind.FLAG:
            raw = True if raw else None
        rows.append(CardAttribute(attribute, raw, options))
    return rows


def access_attribute(attribute_id: int) -> Attribute:
    attribute = Attribute.objects.filter(pk=attribute_id).first()
    if attribute is None:
        raise Http404
    return attribute


def access_option(attribute: Attribute, option_id: int) -> AttributeOption:
    option = AttributeOption.objects.filter(pk=option_id, attribute=attribute).first()
    if option is None:
        raise Http404
    return option


def attribute_options(attribute: Attribute) -> list[AttributeOption]:
    """The values of a directory-type attribute with the number of clients carrying each."""
    return list(attribute.options.annotate(use_count=Count("attributevalue")).order_by("order", "name", "id"))


def attribute_values_for(client_id: int) -> dict[int, Any]:
    """attribute id → the client's value: an AttributeOption, a str, a Decimal, a date or True."""
    values: dict[int, Any] = {}
    rows = AttributeValue.objects.filter(client_id=client_id).select_related("attribute", "option")
    for row in rows:
        kind = row.attribute.kind
        if kind == Attribute.Kind.DIRECTORY:
            values[row.attribute_id] = row.option
        elif kind == Attribute.Kind.TEXT:
            values[row.attribute_id] = row.text
        elif kind == Attribute.Kind.NUMBER:
            values[row.attribute_id] = row.number
        elif kind == Attribute.Kind.DATE:
            values[row.attribute_id] = row.date
        else:
            values[row.attribute_id] = row.flag
    return values


# --- filter fields of the Flexi-filter ---------------------------------------------------------------------

OPERATOR_LABELS: dict[str, Promise] = {
    "in": gettext_lazy("is one of"),
    "not_in": gettext_lazy("is none of"),
    "contains": gettext_lazy("contains"),
    "starts": gettext_lazy("starts with"),
    "equals": gettext_lazy("equals"),
    "eq": gettext_lazy("="),
    "ne": gettext_lazy("≠"),
    "lt": gettext_lazy("<"),
    "le": gettext_lazy("≤"),
    "gt": gettext_lazy(">"),
    "ge": gettext_lazy("≥"),
    "between": gettext_lazy("between"),
    "on": gettext_lazy("on"),
    "before": gettext_lazy("before"),
    "after": gettext_lazy("after"),
    "is_true": gettext_lazy("is set"),
    "is_false": gettext_lazy("is not set"),
}

OPERATORS: dict[str, tuple[str, ...]] = {
    Attribute.Kind.DIRECTORY: ("in", "not_in"),
    Attribute.Kind.TEXT: ("contains", "starts", "equals"),
    Attribute.Kind.NUMBER: ("eq", "ne", "lt", "le", "gt", "ge", "between"),
    Attribute.Kind.DATE: ("on", "before", "after", "between"),
    Attribute.Kind.FLAG: ("is_true", "is_false"),
}

# Operators that select the clients NOT matched by the positive subquery (clients without a value included).
_NEGATED = {"not_in": "in", "is_false": "is_true"}


@dataclass(frozen=True)
class FilterField:
    key: str  # "attr:<id>"
    label: str
    kind: str
    operators: tuple[str, ...]
    attribute_id: int

    @property
    def operator_choices(self) -> list[tuple[str, Promise]]:
        return [(code, OPERATOR_LABELS[code]) for code in self.operators]

    def client_ids(self, operator: str, value: Any = None) -> QuerySet[AttributeValue, Any]:
        """The ids of the clients matching the positive form of the condition (`values("client_id")`)."""
        self._check_operator(operator)
        positive = _NEGATED.get(operator, operator)
        rows = AttributeValue.objects.filter(attribute_id=self.attribute_id)
        return rows.filter(self._condition(positive, value)).values("client_id")

    def to_q(self, operator: str, value: Any = None, *, field: str = "pk") -> Q:
        """The condition over clients: `Q(<field>__in=subquery)`, negated for "is none of" and "is not set"."""
        q = Q(**{f"{field}__in": self.client_ids(operator, value)})
        return ~q if operator in _NEGATED else q

    def _check_operator(self, operator: str) -> None:
        if operator not in self.operators:
            raise ValidationError(
                _("The condition “%(operator)s” does not apply to the attribute “%(label)s”.")
                % {"operator": operator, "label": self.label},
                code="operator",
            )

    def _condition(self, operator: str, value: Any) -> Q:
        if self.kind == Attribute.Kind.DIRECTORY:
            return Q(option_id__in=_option_ids(value))
        if self.kind == Attribute.Kind.TEXT:
            key = search_key(str(value or ""))
            if not key:
                raise ValidationError(_("Enter the text to search for."), code="value")
            if operator == "contains":
                return Q(text_key__contains=key)
            if operator == "starts":
                low, high = prefix_bounds(key)
                return Q(text_key__gte=low, text_key__lt=high)
            return Q(text_key=key)
        if self.kind == Attribute.Kind.NUMBER:
            return _range("number", operator, value, number_value)
        if self.kind == Attribute.Kind.DATE:
            return _range("date", operator, value, date_value)
        return Q(flag=True)


_COMPARISONS = {"eq": "", "on": "", "lt": "__lt", "before": "__lt", "le": "__lte", "gt": "__gt", "after": "__gt",
                "ge": "__gte"}


def _range(column: str, operator: str, value: Any, parse: Any) -> Q:
    if operator == "between":
        if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
            raise ValidationError(_("Enter two values: from and to."), code="value")
        low, high = parse(value[0]), parse(value[1])
        if low > high:
            low, high = high, low
        return Q(**{f"{column}__gte": low, f"{column}__lte": high})
    if operator == "ne":
        return Q(**{f"{column}__isnull": False}) & ~Q(**{column: parse(value)})
    return Q(**{f"{column}{_COMPARISONS[operator]}": parse(value)})


def number_value(value: Any) -> Decimal:
    """A typed number ("1,5", "20", Decimal) as the column keeps it; ValidationError "Enter a number." otherwise."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Enter a number."), code="value") from exc
    if not number.is_finite():
        raise ValidationError(_("Enter a number."), code="value")
    return number


def date_value(value: Any) -> date:
    """A date or its ISO text; ValidationError "Enter a date." otherwise."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(_("Enter a date."), code="value") from exc


def _option_ids(value: Any) -> list[int]:
    items = value if isinstance(value, list | tuple | set | frozenset) else [value]
    ids = []
    for item in items:
        pk = id_param(str(getattr(item, "pk", item)))
        if pk is None:
            raise ValidationError(_("Choose values of the attribute."), code="value")
        ids.append(pk)
    if not ids:
        raise ValidationError(_("Choose values of the attribute."), code="value")
    return ids


def filter_field(attribute: Attribute) -> FilterField:
    return FilterField(
        key=f"attr:{attribute.pk}", label=attribute.label, kind=attribute.kind,
        operators=OPERATORS[attribute.kind], attribute_id=attribute.pk,
    )


def attribute_filter_fields() -> list[FilterField]:
    """The Flexi-filter's Attributes tab: one field per active attribute, in the card's order."""
    return [filter_field(attribute) for attribute in active_attributes()]


def get_filter_field(key: str) -> FilterField:
    """The field under "attr:<id>" of an active attribute; anything else is refused."""
    prefix, _sep, raw_id = key.partition(":")
    attribute = None
    if prefix == "attr" and (attribute_pk := id_param(raw_id)):
        attribute = Attribute.objects.filter(pk=attribute_pk, is_active=True).first()
    if attribute is None:
        raise ValidationError(_("Unknown filter field “%(key)s”.") % {"key": key}, code="field")
    return filter_field(attribute)
