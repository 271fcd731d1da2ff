"""The product's own Flexi-filter fields, tab by tab (REG-04, REG-05, LAD-03), and the Attributes tab.

Text over columns without a search key (the address, contact names) is matched by a case-insensitive
regular expression built from the search key of the typed text (ё and е alike; punctuation and spaces
between words alike): SQLite's LIKE folds only ASCII, Python's `re` — which Django registers as
SQLite's REGEXP — and PostgreSQL's `~*` fold Cyrillic too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.clients.flexi.fields import ME, FieldDef, register_field, text_form
from kontora.clients.models import (
    Client,
    ClientBankAccount,
    ClientMailingAddress,
    ContactPerson,
)
from kontora.core.text import prefix_bounds
from kontora.directories.attributes.selectors import FilterField, attribute_filter_fields, get_filter_field
from kontora.directories.models import Attribute, AttributeOption

_NEGATIVE = {"ne", "not_in", "is_false"}
_COMPARE = {"eq": "", "on": "", "lt": "__lt", "before": "__lt", "le": "__lte", "gt": "__gt", "after": "__gt",
            "ge": "__gte"}


def _negate(operator: str, q: Q) -> Q:
    return ~q if operator in _NEGATIVE else q


# --- builders -----------------------------------------------------------------------------------------


def choice(column: str) -> Callable[[str, Any, Any], Q]:
    def build(operator: str, value: Any, user: Any) -> Q:
        return _negate(operator, Q(**{column: value}))
    return build


def foreign_key(column: str) -> Callable[[str, Any, Any], Q]:
    """A multiple pick over a foreign key; "is none of" also selects clients with the field empty."""
    def build(operator: str, value: Any, user: Any) -> Q:
        return _negate(operator, Q(**{f"{column}__in": value}))
    return build


def users(column: str) -> Callable[[str, Any, Any], Q]:
    def build(operator: str, value: Any, user: Any) -> Q:
        ids = [getattr(user, "pk", None) if item == ME else item for item in value]
        return _negate(operator, Q(**{f"{column}__in": ids}))
    return build


def many_to_many(name: str, item_column: str) -> Callable[[str, Any, Any], Q]:
    def build(operator: str, value: Any, user: Any) -> Q:
        through: Any = Client._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
        linked = through.objects.filter(**{f"{item_column}__in": value}).values("client_id")
        return _negate(operator, Q(pk__in=linked))
    return build


def flag(column: str) -> Callable[[str, Any, Any], Q]:
    def build(operator: str, value: Any, user: Any) -> Q:
        return Q(**{column: operator == "is_true"})
    return build


def exists(rows: Callable[[], QuerySet[Any]]) -> Callable[[str, Any, Any], Q]:
    """A flag "has a related row like this"; `rows()` is filtered by client=OuterRef("pk")."""
    def build(operator: str, value: Any, user: Any) -> Q:
        q = Q(Exists(rows().filter(client=OuterRef("pk"))))
        return q if operator == "is_true" else ~q
    return build


def dates(column: str) -> Callable[[str, Any, Any], Q]:
    def build(operator: str, value: Any, user: Any) -> Q:
        if operator == "between":
            return Q(**{f"{column}__gte": date.fromisoformat(value[0]), f"{column}__lte": date.fromisoformat(value[1])})
        return Q(**{f"{column}{_COMPARE[operator]}": date.fromisoformat(value)})
    return build


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def datetimes(column: str) -> Callable[[str, Any, Any], Q]:
    """Date-time columns compared by their day in the current time zone, as half-open ranges of instants:
    the column's index serves them (a `__date` lookup would wrap the column in a function)."""
    def build(operator: str, value: Any, user: Any) -> Q:
        if operator == "between":
            low, high = date.fromisoformat(value[0]), date.fromisoformat(value[1])
        else:
            low = high = date.fromisoformat(value)
        start, end = _day_start(low), _day_start(high + timedelta(days=1))
        if operator == "before":
            return Q(**{f"{column}__lt": start})
        if operator == "after":
            return Q(**{f"{column}__gte": end})
        return Q(**{f"{column}__gte": start, f"{column}__lt": end})
    return build


def numbers(column: str) -> Callable[[str, Any, Any], Q]:
    def build(operator: str, value: Any, user: Any) -> Q:
        if operator == "between":
            return Q(**{f"{column}__gte": Decimal(str(value[0])), f"{column}__lte": Decimal(str(value[1]))})
        if operator == "ne":
            return ~Q(**{column: Decimal(str(value))})
        return Q(**{f"{column}{_COMPARE[operator]}": Decimal(str(value))})
    return build


def key_regex(key: str) -> str:
    """A regular expression finding the search key `key` in unfolded text (see the module's docstring)."""
    words = ["".join("[её]" if ch == "е" else re.escape(ch) for ch in word) for word in key.split(" ")]
    return r"\W+".join(words)


def _regex_q(column: str, operator: str, key: str) -> Q:
    pattern = key_regex(key)
    if operator == "starts":
        pattern = r"^\W*" + pattern
    elif operator == "equals":
        pattern = r"^\W*" + pattern + r"\W*$"
    return Q(**{f"{column}__iregex": pattern})


def name_text(field_def_key: str = "name") -> Callable[[str, Any, Any], Q]:
    """The short or the full name, over their search keys; fragments through the trigram index on SQLite."""
    def build(operator: str, value: Any, user: Any) -> Q:
        key = text_form(_FIELDS[field_def_key], value)
        if operator == "equals":
            return Q(name_key=key) | Q(full_name_key=key)
        if operator == "starts":
            low, high = prefix_bounds(key)
            return Q(name_key__gte=low, name_key__lt=high) | Q(full_name_key__gte=low, full_name_key__lt=high)
        from kontora.clients.search import name_fragment_q

        return name_fragment_q(key)
    return build


def regex_text(column: str, key_of: str) -> Callable[[str, Any, Any], Q]:
    def build(operator: str, value: Any, user: Any) -> Q:
        return _regex_q(column, operator, text_form(_FIELDS[key_of], value))
    return build


def digit_text(column: str, key_of: str) -> Callable[[str, Any, Any], Q]:
    def build(operator: str, value: Any, user: Any) -> Q:
        number = text_form(_FIELDS[key_of], value)
        if operator == "contains":
            return Q(**{f"{column}__contains": number})
        if operator == "starts":
            return Q(**{f"{column}__startswith": number})
        return Q(**{column: number})
    return build


def _contacts_count(operator: str, value: Any, user: Any) -> Q:
    """Counted by a grouped subquery; clients without contacts (count 0) are added when 0 satisfies it."""
    from django.db.models import Count

    def holds(count: Decimal) -> bool:
        if operator == "between":
            return Decimal(str(value[0])) <= count <= Decimal(str(value[1]))
        target = Decimal(str(value))
        return {"eq": count == target, "ne": count != target, "lt": count < target, "le": count <= target,
                "gt": count > target, "ge": count >= target}[operator]

    counted = ContactPerson.objects.order_by().values("client_id").annotate(n=Count("id"))
    if operator == "between":
        matching = counted.filter(n__gte=int(value[0]), n__lte=int(value[1]))
    elif operator == "ne":
        matching = counted.exclude(n=int(value))
    else:
        matching = counted.filter(**{f"n{_COMPARE[operator]}": int(value)})
    q = Q(pk__in=matching.values("client_id"))
    if holds(Decimal(0)):
        q |= ~Q(Exists(ContactPerson.objects.filter(client=OuterRef("pk"))))
    return q


def _contact_phone(operator: str, value: Any, user: Any) -> Q:
    number = text_form(_FIELDS["contact_phone"], value)
    return Q(Exists(ContactPerson.objects.filter(client=OuterRef("pk"), phones_digits__contains=number)))


def _contact_name(operator: str, value: Any, user: Any) -> Q:
    condition = _regex_q("full_name", operator, text_form(_FIELDS["contact_name"], value))
    return Q(Exists(ContactPerson.objects.filter(condition, client=OuterRef("pk"))))


def _month_day_q(low: tuple[int, int], high: tuple[int, int]) -> Q:
    def from_(md: tuple[int, int]) -> Q:
        return Q(birthday__month__gt=md[0]) | Q(birthday__month=md[0], birthday__day__gte=md[1])

    def to(md: tuple[int, int]) -> Q:
        return Q(birthday__month__lt=md[0]) | Q(birthday__month=md[0], birthday__day__lte=md[1])

    # A period over the new year (e.g. 25.12 – 10.01) wraps around.
    return from_(low) & to(high) if low <= high else from_(low) | to(high)


def _contact_birthday(operator: str, value: Any, user: Any) -> Q:
    """Birthdays by day and month, whatever the year: who to congratulate in a period."""
    if operator == "between":
        low, high = date.fromisoformat(value[0]), date.fromisoformat(value[1])
        if (high - low).days >= 365:
            condition = Q(birthday__isnull=False)
        else:
            condition = _month_day_q((low.month, low.day), (high.month, high.day))
    else:
        day = date.fromisoformat(value)
        condition = Q(birthday__month=day.month, birthday__day=day.day)
    return Q(Exists(ContactPerson.objects.filter(condition, client=OuterRef("pk"))))


# --- choices ------------------------------------------------------------------------------------------


def user_choices() -> list[tuple[Any, str]]:
    from kontora.accounts.models import User

    return [(ME, _("Me (whoever applies the filter)")),
            *((u.pk, str(u)) for u in User.objects.order_by("full_name", "id").only("id", "full_name", "login"))]


def kind_choices() -> list[tuple[Any, str]]:
    return [(code, str(label)) for code, label in Client.Kind.choices]


# --- the catalogue ------------------------------------------------------------------------------------

_FIELDS: dict[str, FieldDef] = {}


def _add(key: str, tab: str, label: Any, control: str, build: Any, **options: Any) -> None:
    _FIELDS[key] = register_field(FieldDef(key=key, tab=tab, label=label, control=control, build=build,
                                           order=len(_FIELDS), **options))


_add("kind", "main", gettext_lazy("Client type"), "pick", choice("kind"), choices=kind_choices)
_add("name", "main", gettext_lazy("Name"), "text", name_text())
_add("code", "main", gettext_lazy("Code"), "number", numbers("code"), integer=True)
_add("inn", "main", gettext_lazy("INN"), "text", digit_text("inn", "inn"), operators=("starts", "equals"),
     text_form="digits")
_add("region", "main", gettext_lazy("Region"), "multi", foreign_key("region_id"), directory="regions")
_add("city", "main", gettext_lazy("City"), "multi", foreign_key("settlement_id"), directory="settlements")
_add("address", "main", gettext_lazy("Address"), "text", regex_text("address", "address"),
     operators=("contains", "starts"))
_add("phone", "main", gettext_lazy("Phone"), "text", digit_text("phone_digits", "phone"), operators=("contains",),
     text_form="digits")
_add("flagged", "main", gettext_lazy("Flag"), "flag", flag("flagged"))
_add("needs_attention", "main", gettext_lazy("Requires special attention"), "flag", flag("needs_attention"))
_add("is_private", "main", gettext_lazy("Private client"), "flag", flag("is_private"))
_add("has_files", "main", gettext_lazy("Has attached files"), "flag", flag("has_files"))
_add("created_at", "main", gettext_lazy("Registered"), "date", datetimes("created_at"))
_add("changed_at", "main", gettext_lazy("Changed"), "date", datetimes("changed_at"))

_add("status", "classifiers", gettext_lazy("Status"), "multi", foreign_key("status_id"), directory="client-statuses")
_add("size", "classifiers", gettext_lazy("Company size"), "multi", foreign_key("size_id"),
     directory="company-sizes")
_add("source", "classifiers", gettext_lazy("Information source"), "multi", foreign_key("source_id"),
     directory="information-sources")
_add("priority", "classifiers", gettext_lazy("Priority"), "multi", foreign_key("priority_id"),
     directory="priorities")
_add("activity", "classifiers", gettext_lazy("Activity type"), "multi", foreign_key("activity_id"),
     directory="activity-types")
_add("directions", "classifiers", gettext_lazy("Directions of activity"), "multi",
     many_to_many("directions", "direction_id"), directory="directions")

_add("ladder_stage", "operational", gettext_lazy("Current stage"), "multi", foreign_key("ladder_stage_id"),
     directory="ladder-stages")
_add("next_stage", "operational", gettext_lazy("Next stage"), "multi", foreign_key("next_stage_id"),
     directory="ladder-stages")
_add("penetration", "operational", gettext_lazy("Penetration depth"), "multi", foreign_key("penetration_id"),
     directory="penetration-depths")
_add("reaction", "operational", gettext_lazy("Reaction to the last contact"), "multi", foreign_key("reaction_id"),
     directory="contact-reactions")
_add("loyalty", "operational", gettext_lazy("Loyalty"), "multi", foreign_key("loyalty_id"), directory="loyalty")
_add("prospect", "operational", gettext_lazy("Prospects"), "multi", foreign_key("prospect_id"),
     directory="prospects")
_add("competitors", "operational", gettext_lazy("Competitors present"), "multi",
     many_to_many("competitors", "competitor_id"), directory="competitors")
_add("next_contact_date", "operational", gettext_lazy("Next contact date"), "date", dates("next_contact_date"))

_add("curator", "users", gettext_lazy("Curator"), "multi", users("curator_id"), choices=user_choices, allow_me=True)
_add("specialist", "users", gettext_lazy("Specialist"), "multi", users("specialist_id"), choices=user_choices,
     allow_me=True)
_add("created_by", "users", gettext_lazy("Registered by"), "multi", users("created_by_id"), choices=user_choices,
     allow_me=True)
_add("changed_by", "users", gettext_lazy("Changed by"), "multi", users("changed_by_id"), choices=user_choices,
     allow_me=True)

_add("contacts_count", "statistics", gettext_lazy("Number of contact persons"), "number", _contacts_count,
     integer=True)
_add("contact_phone", "statistics", gettext_lazy("A contact's phone contains"), "text", _contact_phone,
     operators=("contains",), text_form="digits")
_add("contact_name", "statistics", gettext_lazy("A contact's name contains"), "text", _contact_name,
     operators=("contains",))
_add("contact_birthday", "statistics", gettext_lazy("A contact's birthday (day and month)"), "date",
     _contact_birthday, operators=("on", "between"))
_add("has_bank_account", "statistics", gettext_lazy("Has a bank account"), "flag",
     exists(lambda: ClientBankAccount.objects.all()))
_add("has_subscribed_email", "statistics", gettext_lazy("Has an e-mail subscribed to mailings"), "flag",
     exists(lambda: ClientMailingAddress.objects.filter(kind=ClientMailingAddress.Kind.EMAIL, subscribed=True)))


# --- the Attributes tab: the active attributes, delegated to directories.attributes.selectors ------

_ATTRIBUTE_CONTROLS = {
    Attribute.Kind.DIRECTORY: "multi",
    Attribute.Kind.TEXT: "text",
    Attribute.Kind.NUMBER: "number",
    Attribute.Kind.DATE: "date",
    Attribute.Kind.FLAG: "flag",
}


def _attribute_def(filter_field: FilterField) -> FieldDef:
    def build(operator: str, value: Any, user: Any) -> Q:
        return filter_field.to_q(operator, value)

    def options() -> list[tuple[Any, str]]:
        rows = AttributeOption.objects.filter(attribute_id=filter_field.attribute_id).order_by("order", "name", "id")
        return [(row.pk, row.name) for row in rows]

    return FieldDef(
        key=filter_field.key, tab="attributes", label=filter_field.label,
        control=_ATTRIBUTE_CONTROLS[filter_field.kind],  # type: ignore[index]
        operators=filter_field.operators, build=build,
        choices=options if filter_field.kind == Attribute.Kind.DIRECTORY else None,
    )


def attribute_fields() -> list[FieldDef]:
    return [_attribute_def(f) for f in attribute_filter_fields()]


def attribute_field(key: str) -> FieldDef | None:
    try:
        return _attribute_def(get_filter_field(key))
    except ValidationError:
        return None
