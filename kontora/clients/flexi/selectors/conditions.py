"""How the product's own Flexi-filter fields (registered in `flexi.hooks`) become conditions over clients
(REG-04, REG-05, LAD-03): the builders `(operator, cleaned value, user) -> Q`, and the choices of pick lists.

Text over columns without a search key (the address, contact names) is matched by a case-insensitive
regular expression built from the search key of the typed text (ё and е alike; punctuation and spaces
between words alike): SQLite's LIKE folds only ASCII, Python's `re` — which Django registers as
SQLite's REGEXP — and PostgreSQL's `~*` fold Cyrillic too.

The expression is the arbiter, but it no longer reads every row (issue 11, F5: 200 such conditions took 8 s on
2,000 clients on SQLite, where it is Python called row by row): "contains" first takes the candidates from a
trigram index (migration 0011) — on SQLite an FTS5 table holding every word of three characters or more of the
typed text, on PostgreSQL pg_trgm, which serves `~*` itself — and the expression confirms them, so the answer is
the one the expression alone gives. A text whose words are all shorter than three characters has no trigram to look
up: it is compared by the expression alone, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients import access
from kontora.clients.flexi.hooks import ME, Builder
from kontora.clients.models import (
    Client,
    ClientBankAccount,
    ClientMailingAddress,
    ContactPerson,
)
from kontora.clients.selectors.search import TRIGRAM, fts_phrase, name_fragment_q
from kontora.core.selectors.calendar import user_today
from kontora.core.text import digits, prefix_bounds, search_key

_NEGATIVE = {"ne", "not_in", "is_false"}
_COMPARE = {"eq": "", "on": "", "lt": "__lt", "before": "__lt", "le": "__lte", "gt": "__gt", "after": "__gt",
            "ge": "__gte"}


def _negate(operator: str, q: Q) -> Q:
    return ~q if operator in _NEGATIVE else q


# --- builders -----------------------------------------------------------------------------------------


def choice(column: str) -> Builder:
    def build(operator: str, value: Any, user: Any) -> Q:
        return _negate(operator, Q(**{column: value}))
    return build


def foreign_key(column: str) -> Builder:
    """A multiple pick over a foreign key; "is none of" also selects clients with the field empty."""
    def build(operator: str, value: Any, user: Any) -> Q:
        return _negate(operator, Q(**{f"{column}__in": value}))
    return build


def users(column: str) -> Builder:
    def build(operator: str, value: Any, user: Any) -> Q:
        ids = [getattr(user, "pk", None) if item == ME else item for item in value]
        return _negate(operator, Q(**{f"{column}__in": ids}))
    return build


def many_to_many(name: str, item_column: str) -> Builder:
    def build(operator: str, value: Any, user: Any) -> Q:
        through: Any = Client._meta.get_field(name).remote_field.through  # type: ignore[union-attr]
        linked = through.objects.filter(**{f"{item_column}__in": value}).values("client_id")
        return _negate(operator, Q(pk__in=linked))
    return build


def flag(column: str) -> Builder:
    def build(operator: str, value: Any, user: Any) -> Q:
        return Q(**{column: operator == "is_true"})
    return build


def present(column: str) -> Builder:
    """A flag "the field is filled" over a nullable column (the client carries a flag, whichever)."""
    def build(operator: str, value: Any, user: Any) -> Q:
        return Q(**{f"{column}__isnull": operator != "is_true"})
    return build


def exists(rows: Callable[[], QuerySet[Any]]) -> Builder:
    """A flag "has a related row like this"; `rows()` is filtered by client=OuterRef("pk")."""
    def build(operator: str, value: Any, user: Any) -> Q:
        q = Q(Exists(rows().filter(client=OuterRef("pk"))))
        return q if operator == "is_true" else ~q
    return build


def dates(column: str) -> Builder:
    """A date column; "today" and "overdue" (before today, set) are the user's today, on his clock."""
    def build(operator: str, value: Any, user: Any) -> Q:
        if operator == "today":
            return Q(**{column: user_today(user)})
        if operator == "overdue":
            return Q(**{f"{column}__lt": user_today(user)})
        if operator == "between":
            return Q(**{f"{column}__gte": date.fromisoformat(value[0]), f"{column}__lte": date.fromisoformat(value[1])})
        return Q(**{f"{column}{_COMPARE[operator]}": date.fromisoformat(value)})
    return build


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def datetimes(column: str) -> Builder:
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


def numbers(column: str) -> Builder:
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


def name_text(operator: str, value: Any, user: Any) -> Q:
    """The short or the full name, over their search keys; fragments through the trigram index on SQLite.

    The short name is a registry column, the full name is card data: for a client the user may only list, only
    the short name is compared (`access.card_only`)."""
    key = search_key(value)
    if operator == "equals":
        short, full = Q(name_key=key), Q(full_name_key=key)
    elif operator == "starts":
        low, high = prefix_bounds(key)
        short, full = Q(name_key__gte=low, name_key__lt=high), Q(full_name_key__gte=low, full_name_key__lt=high)
    else:
        either = name_fragment_q(key)
        if not access.lists_unopenable(user):
            return either
        # The index finds a match in either name; a client the user may only list must match by its short name.
        return either & (Q(name_key__contains=key) | access.card_only(user, Q(full_name_key__contains=key)))
    return short | access.card_only(user, full)


def fts_words(key: str) -> str:
    """An FTS5 query every text containing the search key `key` matches (each of its words of at least three
    characters, anywhere); "" when no word is that long. Candidates only: the expression decides."""
    return " AND ".join(fts_phrase(word) for word in key.split(" ") if len(word) >= TRIGRAM)


def _candidates(fts_table: str, key: str) -> RawSQL | None:
    """SQLite: the rowids (ids of the indexed rows) the FTS table `fts_table` offers for `key`; None when the
    database or the key has no trigram index to ask."""
    words = fts_words(key)
    if connection.vendor != "sqlite" or not words:
        return None
    # The table name is one of the constants of flexi.hooks; the words go as a parameter.
    return RawSQL(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s", [words])  # noqa: S608, S611


def regex_text(column: str, fts_table: str) -> Builder:
    """Text over a client's column without a search key, compared with the typed text's search key; "contains"
    takes its candidates from the column's trigram index `fts_table` (SQLite; PostgreSQL's index serves `~*`)."""
    def build(operator: str, value: Any, user: Any) -> Q:
        key = search_key(value)
        condition = _regex_q(column, operator, key)
        candidates = _candidates(fts_table, key) if operator == "contains" else None
        # The index's set first: SQLite checks the expression only on the rows found in it.
        return condition if candidates is None else Q(pk__in=candidates) & condition
    return build


def digit_text(column: str) -> Builder:
    """Phone numbers and the INN, compared by their digits."""
    def build(operator: str, value: Any, user: Any) -> Q:
        number = digits(value)
        if operator == "contains":
            return Q(**{f"{column}__contains": number})
        if operator == "starts":
            return Q(**{f"{column}__startswith": number})
        return Q(**{column: number})
    return build


def contacts_count(operator: str, value: Any, user: Any) -> Q:
    """Counted by a grouped subquery; clients without contacts (count 0) are added when 0 satisfies it."""
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


def contact_phone(operator: str, value: Any, user: Any) -> Q:
    number = digits(value)
    return Q(Exists(ContactPerson.objects.filter(client=OuterRef("pk"), phones_digits__contains=number)))


def contact_name(operator: str, value: Any, user: Any) -> Q:
    """Clients with a contact whose name contains the text: the matching contacts are found once for the whole
    filter (not once per client), through the names' trigram index where the text has a trigram."""
    key = search_key(value)
    contacts = ContactPerson.objects.all()
    candidates = _candidates("clients_contact_name_fts", key)
    if candidates is not None:
        contacts = contacts.filter(pk__in=candidates)
    contacts = contacts.filter(_regex_q("full_name", operator, key))
    if connection.vendor == "postgresql":
        # Read once as an array (an InitPlan, planned to read every match: through the trigram index), then hashed
        # by the IN: inside a filter's OR a plain IN's subplan was planned to stop half-way — a scan of every
        # contact per condition, 1.5 s for the finding's 200 conditions on 2,000 clients instead of 0.2 s.
        return Q(pk__in=Func(Subquery(contacts.values("client_id")), template="(SELECT unnest(ARRAY%(expressions)s))",
                             output_field=IntegerField()))
    return Q(pk__in=contacts.values("client_id"))


def _month_day_q(low: tuple[int, int], high: tuple[int, int]) -> Q:
    def from_(md: tuple[int, int]) -> Q:
        return Q(birthday__month__gt=md[0]) | Q(birthday__month=md[0], birthday__day__gte=md[1])

    def to(md: tuple[int, int]) -> Q:
        return Q(birthday__month__lt=md[0]) | Q(birthday__month=md[0], birthday__day__lte=md[1])

    # A period over the new year (e.g. 25.12 – 10.01) wraps around.
    return from_(low) & to(high) if low <= high else from_(low) | to(high)


def contact_birthday(operator: str, value: Any, user: Any) -> Q:
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
    return [(ME, _("Me (whoever applies the filter)")),
            *((u.pk, str(u)) for u in User.objects.order_by("full_name", "id").only("id", "full_name", "login"))]


def kind_choices() -> list[tuple[Any, str]]:
    return [(code, str(label)) for code, label in Client.Kind.choices]


has_bank_account = exists(lambda: ClientBankAccount.objects.all())
has_subscribed_email = exists(
    lambda: ClientMailingAddress.objects.filter(kind=ClientMailingAddress.Kind.EMAIL, subscribed=True))
