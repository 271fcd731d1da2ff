"""Extended search (Shift+F, REG-08): clients by a fragment of the name or of a phone number.

Every query starts from `access.visible_clients`, so private clients of others are never found — not by
administrators either. Matches come in the registry's name order, (name_key, id), so "Next >>" is a keyset step
and stays stable while rows are added elsewhere.

Indexes (migration 0004_search): on SQLite, FTS5 trigram tables `clients_name_fts` (name_key, full_name_key) and
`clients_phone_fts` (all phone digits of a client and its contacts); a trigram index needs three characters, so
shorter fragments fall back to a scan in name order that stops at the first match (LIMIT 1). On PostgreSQL the
same LIKE '%fragment%' conditions are served by pg_trgm GIN indexes.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from kontora.clients.access import visible_clients
from kontora.clients.models import Client, ContactPerson
from kontora.clients.selectors import PAGE_SIZE, RegistryPage, page_with_earlier, registry_rows
from kontora.clients.sorting import SORTS
from kontora.core.text import digits, search_key

TRIGRAM = 3


def _fts_phrase(fragment: str) -> str:
    """An FTS5 phrase: with the trigram tokenizer a quoted phrase matches the fragment anywhere in the text."""
    return '"' + fragment.replace('"', '""') + '"'


def _name_filter(qs: QuerySet[Client], key: str) -> QuerySet[Client]:
    if connection.vendor == "sqlite" and len(key) >= TRIGRAM:
        return qs.filter(pk__in=RawSQL(
            "SELECT rowid FROM clients_name_fts WHERE clients_name_fts MATCH %s", [_fts_phrase(key)]))
    return qs.filter(Q(name_key__contains=key) | Q(full_name_key__contains=key))


def _phone_filter(qs: QuerySet[Client], fragment: str) -> QuerySet[Client]:
    if connection.vendor == "sqlite" and len(fragment) >= TRIGRAM:
        return qs.filter(pk__in=RawSQL(
            "SELECT rowid FROM clients_phone_fts WHERE clients_phone_fts MATCH %s", [_fts_phrase(fragment)]))
    contacts = ContactPerson.objects.filter(client=OuterRef("pk"), phones_digits__contains=fragment)
    return qs.filter(Q(phone_digits__contains=fragment) | Q(fax_digits__contains=fragment) | Exists(contacts))


def search_terms(*, name: str, phone: str) -> tuple[str, str]:
    """The forms the search compares: the name's search key and the phone's digits (any formatting typed)."""
    return search_key(name), digits(phone)


def search_matches(*, fetched_by: Any, name: str = "", phone: str = "") -> QuerySet[Client]:
    """Visible clients whose full or short name contains `name` and whose phones contain `phone` (either may be
    empty, not both), in name order."""
    key, phone_digits = search_terms(name=name, phone=phone)
    if not key and not phone_digits:
        return Client.objects.none()
    qs = visible_clients(fetched_by)
    if key:
        qs = _name_filter(qs, key)
    if phone_digits:
        qs = _phone_filter(qs, phone_digits)
    return qs.order_by("name_key", "id")


def search_next(*, fetched_by: Any, name: str = "", phone: str = "", after: int | None = None) -> Client | None:
    """The first match, or the first one after client `after` in name order; None when there is no (further) one."""
    qs = search_matches(fetched_by=fetched_by, name=name, phone=phone)
    if after is not None:
        current = visible_clients(fetched_by).filter(pk=after).values_list("name_key", flat=True).first()
        if current is not None:
            qs = qs.filter(Q(name_key__gt=current) | Q(name_key=current, pk__gt=after))
    # Only the id goes through the sort: a fragment like «трейд» matches 50,000 of a million clients, and
    # sorting whole rows with their curator took a quarter longer (bench/RESULTS.md, bench.registry).
    found = qs.values_list("pk", flat=True).first()
    return None if found is None else visible_clients(fetched_by).select_related("curator").filter(pk=found).first()


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
    return page_with_earlier(visible, SORTS["name"], False, page) if rows else page
