"""Extended search (Shift+F, REG-08): clients by a fragment of the name or of a phone number.

Every query starts from `access.visible_clients`, so private clients of others are never found — not by
administrators either. The short name and the main phone are registry columns; the full name, the fax and the
contacts' phones are card data, so a client the user may list but not open is found by the first two only.

Matches come in the registry's name order, (name_key, id), so "Next >>" is a keyset step
and stays stable while rows are added elsewhere.

Indexes (migrations 0004_search, 0007): on SQLite, FTS5 trigram tables `clients_name_fts` (name_key,
full_name_key) and `clients_phone_fts` (all phone digits of a client and its contacts); a trigram index needs three
characters, so shorter fragments fall back to a scan in name order that stops at the first match (LIMIT 1). On
PostgreSQL the same LIKE '%fragment%' conditions are served by pg_trgm GIN indexes (on the narrow name table
clients_name_search for names, migration 0008).

A common fragment matches tens of thousands of clients at a million; sorting them all to find the first took
over 100 ms. So for users who see (nearly) every client, the first match in name order is looked for where it
can be: SQLite reads the name index's rowids, which follow name order by groups (0007), and sorts one group;
PostgreSQL sorts the matches in the narrow name table, a third of the rows' width (0008).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from kontora.accounts.models import ClientScope
from kontora.clients import access
from kontora.clients.access import visible_clients
from kontora.clients.models import Client, ContactPerson
from kontora.clients.selectors.registry import PAGE_SIZE, RegistryPage, page_with_earlier, registry_rows
from kontora.clients.selectors.sorting import SORTS
from kontora.core.text import digits, name_core, prefix_bounds, search_key

TRIGRAM = 3
GROUP = 2**31  # FTS rowid = name group * GROUP + id (migration 0007_name_ordered_fts)
MAX_GROUPS = 32  # groups read before sorting every match instead (only invisible matches in them)
BATCH = 20  # PostgreSQL: first matches read at a time (almost always the first one is visible)


def fts_phrase(fragment: str) -> str:
    """An FTS5 phrase: with the trigram tokenizer a quoted phrase matches the fragment anywhere in the text."""
    return '"' + fragment.replace('"', '""') + '"'


def name_fragment_q(key: str) -> Q:
    """Clients whose short or full name key contains `key`, through the trigram indexes."""
    if connection.vendor == "sqlite" and len(key) >= TRIGRAM:
        # The index's rowid carries the name group above the id (migration 0007): the low 31 bits are the id.
        return Q(pk__in=RawSQL("SELECT rowid & 2147483647 FROM clients_name_fts WHERE clients_name_fts MATCH %s",
                               [fts_phrase(key)]))
    if connection.vendor == "postgresql":
        pattern = _like(key)
        return Q(pk__in=RawSQL("SELECT id FROM clients_name_search WHERE name_key LIKE %s OR full_name_key LIKE %s",
                               [pattern, pattern]))
    return Q(name_key__contains=key) | Q(full_name_key__contains=key)


def picker_q(key: str) -> Q:
    """Clients a picker offers for a typed key: the short name starts with it, or its meaningful part does
    (`text.name_core`: «торг» finds «ООО «Торговый дом»»; two index ranges), or — from three characters, where
    the trigram index makes it cheap — it contains the key anywhere («торг» in «ООО «ЮпитерТорг»»), checked on
    the short name itself (the full name is card data, not a picker's)."""
    low, high = prefix_bounds(key)
    core_low, core_high = prefix_bounds(name_core(key))
    condition = Q(name_key__gte=low, name_key__lt=high) | Q(name_core_key__gte=core_low, name_core_key__lt=core_high)
    if len(key) >= TRIGRAM:
        condition |= name_fragment_q(key) & Q(name_key__contains=key)
    return condition


def _phone_filter(qs: QuerySet[Client], fragment: str, user: Any) -> QuerySet[Client]:
    """The main phone is a registry column; the fax and the contacts' phones are card data, matched only on clients
    the user may open (`access.card_only`)."""
    contacts = ContactPerson.objects.filter(client=OuterRef("pk"), phones_digits__contains=fragment)
    exact = Q(phone_digits__contains=fragment) | access.card_only(
        user, Q(fax_digits__contains=fragment) | Q(Exists(contacts)))
    if connection.vendor == "sqlite" and len(fragment) >= TRIGRAM:
        # The index holds every phone of a client and its contacts: it finds the candidates; for a user who lists
        # clients he may not open, the exact condition then drops those found by a phone he may not see.
        qs = qs.filter(pk__in=RawSQL(
            "SELECT rowid FROM clients_phone_fts WHERE clients_phone_fts MATCH %s", [fts_phrase(fragment)]))
        return qs.filter(exact) if access.lists_unopenable(user) else qs
    return qs.filter(exact)


def _name_seen(user: Any, key: str) -> QuerySet[Client]:
    """The visible clients a match of `key` in either name may be reported on: the short name is a registry column,
    the full name card data — a client the user may only list is found by its short name alone."""
    visible = visible_clients(user)
    if not access.lists_unopenable(user):
        return visible
    return visible.filter(Q(name_key__contains=key) | access.card_only(user, Q(full_name_key__contains=key)))


def search_terms(*, name: str, phone: str) -> tuple[str, str]:
    """The forms the search compares: the name's search key and the phone's digits (any formatting typed)."""
    return search_key(name), digits(phone)


def search_matches(*, fetched_by: Any, name: str = "", phone: str = "") -> QuerySet[Client]:
    """Visible clients whose full or short name contains `name` and whose phones contain `phone` (either may be
    empty, not both), in name order."""
    key, phone_digits = search_terms(name=name, phone=phone)
    if not key and not phone_digits:
        return Client.objects.none()
    qs = _name_seen(fetched_by, key) if key else visible_clients(fetched_by)
    if key:
        qs = qs.filter(name_fragment_q(key))
    if phone_digits:
        qs = _phone_filter(qs, phone_digits, fetched_by)
    return qs.order_by("name_key", "id")


def search_next(*, fetched_by: Any, name: str = "", phone: str = "", after: int | None = None) -> Client | None:
    """The first match, or the first one after client `after` in name order; None when there is no (further) one."""
    key, phone_digits = search_terms(name=name, phone=phone)
    current = None
    if after is not None:
        current = visible_clients(fetched_by).filter(pk=after).values_list("name_key", flat=True).first()
    position = None if current is None or after is None else (current, after)
    found: int | bool | None = False  # False: not decided by the fast paths below
    own = fetched_by.client_scope == ClientScope.OWN
    if key and not phone_digits and len(key) >= TRIGRAM:
        if connection.vendor == "postgresql":
            among = access.own_client_ids(fetched_by) if own else None
            found = _pg_first_by_name(fetched_by, key, position, among=among)
        elif connection.vendor == "sqlite" and not own:
            # A user who sees (nearly) everyone: the first visible match is among the first matches in name order.
            found = _sqlite_first_in_groups(fetched_by, key, position)
    if found is False:
        if key and not phone_digits and own:
            # A few thousand own clients: reading them by the curator/specialist/grant indexes and comparing
            # their names beats collecting every match of the whole base.
            qs = (visible_clients(fetched_by).filter(pk__in=access.own_client_ids(fetched_by))
                  .filter(Q(name_key__contains=key) | Q(full_name_key__contains=key)).order_by("name_key", "id"))
        else:
            qs = search_matches(fetched_by=fetched_by, name=name, phone=phone)
        # Only the id goes through the sort: a fragment like «трейд» matches 50,000 of a million clients, and
        # sorting whole rows with their curator took a quarter longer (bench/RESULTS.md, bench.registry).
        found = _after(qs, position).values_list("pk", flat=True).first()
    if not found:
        return None
    return visible_clients(fetched_by).select_related("curator").filter(pk=found).first()


def _after(qs: QuerySet[Client], position: tuple[str, int] | None) -> QuerySet[Client]:
    if position is None:
        return qs
    key, pk = position
    # The plain bound lets the name index narrow the scan before the OR is checked (a short fragment's
    # "Next >>" read the whole base without it).
    return qs.filter(name_key__gte=key).filter(Q(name_key__gt=key) | Q(name_key=key, pk__gt=pk))


def _sqlite_first_in_groups(user: Any, key: str, position: tuple[str, int] | None) -> int | bool | None:
    """SQLite: the FTS rowids follow name order by groups (migration 0007), so the first matching rowid gives the
    group of the answer; only that group's matches are sorted. False after MAX_GROUPS groups without a visible
    match (the caller then sorts every match)."""
    phrase = fts_phrase(key)
    low = 0
    with connection.cursor() as cursor:
        if position is not None:
            cursor.execute("SELECT seq FROM clients_name_src WHERE id = %s", [position[1]])
            row = cursor.fetchone()
            low = row[0] // GROUP * GROUP if row else 0
        for _ in range(MAX_GROUPS):
            cursor.execute("SELECT rowid FROM clients_name_fts WHERE clients_name_fts MATCH %s AND rowid >= %s "
                           "ORDER BY rowid LIMIT 1", [phrase, low])
            row = cursor.fetchone()
            if row is None:
                return None
            low = row[0] // GROUP * GROUP
            in_group = RawSQL(
                "SELECT rowid & 2147483647 FROM clients_name_fts WHERE clients_name_fts MATCH %s "
                "AND rowid BETWEEN %s AND %s", [phrase, low, low + GROUP - 1])
            found = (_after(_name_seen(user, key), position).filter(pk__in=in_group)
                     .order_by("name_key", "id").values_list("pk", flat=True).first())
            if found is not None:
                return found
            low += GROUP
    return False


def _like(key: str) -> str:
    return "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _pg_first_by_name(
    user: Any, key: str, position: tuple[str, int] | None, *, among: QuerySet[Any] | None = None,
) -> int | None:
    """PostgreSQL: the first matches in name order read from the narrow name table (migration 0008), a batch at a
    time, optionally only `among` the ids of that queryset (an "own"-mode user's clients); the first of them the
    user sees is the answer (access is checked by visible_clients, as everywhere)."""
    pattern = _like(key)
    among_sql, among_params = among.query.sql_with_params() if among is not None else ("", ())
    with connection.cursor() as cursor:
        while True:
            params: list[str | int] = [pattern, pattern]
            where = "(name_key LIKE %s OR full_name_key LIKE %s)"
            if among_sql:
                where += f" AND id IN ({among_sql})"
                params += among_params
            if position is not None:
                where += " AND (name_key, id) > (%s, %s)"
                params += position
            sql = f"SELECT id, name_key FROM clients_name_search WHERE {where} ORDER BY name_key, id LIMIT {BATCH}"  # noqa: S608
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            seen = set(_name_seen(user, key).filter(pk__in=[pk for pk, _name in rows]).values_list("pk", flat=True))
            found = next((pk for pk, _name in rows if pk in seen), None)
            if found is not None or len(rows) < BATCH:
                return found
            position = (rows[-1][1], rows[-1][0])


def registry_from(*, fetched_by: Any, client_id: int) -> RegistryPage:
    """The registry page in name order that starts at the found client, so the main table's cursor lands on it."""
    visible = visible_clients(fetched_by)
    key = visible.filter(pk=client_id).values_list("name_key", flat=True).first()
    qs = visible.order_by("name_key", "id")
    if key is not None:
        qs = qs.filter(name_key__gte=key).filter(Q(name_key__gt=key) | Q(pk__gte=client_id))
    rows = list(registry_rows(qs)[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    page = RegistryPage(rows=rows, sort="name", next_after=rows[-1].pk if more and rows else None)
    return page_with_earlier(fetched_by, None, SORTS["name"], False, page) if rows else page
