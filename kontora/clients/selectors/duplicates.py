"""Likely duplicates of a client being entered (CLI-16): same INN, same short name, same phone number.

Searched only among the clients the user sees (access.visible_clients): a private client of someone else
must never show up, not even as "a duplicate exists" — neither it nor its curator is ever named. The short name
and the main phone are registry columns; the INN and the contacts' phones are card data, compared only on clients
the user may open (`access.card_only`): typing an INN must not tell a "list all" user whose card carries it. A
duplicate is shown as its registry row (code, short name, city) — never with its curator.

Every check is an index seek, at a million clients as at ten: the INN (its index), the folded name (clients_name_seek),
the phones through their keys (models.PhoneKey: a number is the same when its national digits — the last 10 —
match, and a 7–9-digit local number matches those that end with it).

The check is an oracle over the base, so every one is on record (an audit row `clients.duplicates.check` with the
values asked) and a user gets at most DUPLICATE_CHECKS_PER_MINUTE of them a minute (services.duplicates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kontora.clients import access
from kontora.clients.models import Client, PhoneKey
from kontora.core.models import AuditEvent
from kontora.core.requisites import clean_digits
from kontora.core.text import digits, search_key

MIN_PHONE_DIGITS = 7
# The national part of a Russian number: "8 (495) 123-45-67" and "+7 495 1234567" are the same phone.
NATIONAL_DIGITS = 10
LIMIT = 10
CHECK_EVENT = "clients.duplicates.check"
_PHONE_SEPARATORS = re.compile(r"[,;/]|\s{2,}")
_SHOWN = ("code", "short_name", "settlement", "settlement__name")


@dataclass
class Duplicate:
    client: Client
    reasons: list[str] = field(default_factory=list)
    can_open: bool = False


def phone_keys(*phones: str) -> list[str]:
    """The digit strings worth matching: each number of each field, its last 10 digits, at least 7 of them."""
    keys: list[str] = []
    for text in phones:
        for part in _PHONE_SEPARATORS.split(text or ""):
            number = digits(part)[-NATIONAL_DIGITS:]
            if len(number) >= MIN_PHONE_DIGITS and number not in keys:
                keys.append(number)
    return keys


def find_duplicates(
    *, user: Any, inn: str = "", short_name: str = "", phones: tuple[str, ...] = (), exclude_pk: int | None = None,
) -> list[Duplicate]:
    visible = visible_except(user, exclude_pk)
    found: dict[int, Duplicate] = {}

    def add(queryset: QuerySet[Client], reason: str) -> None:
        # What a duplicate shows (its registry row: code, short name, city): the card's fifty columns cost the ORM
        # more than the index seek that finds them.
        rows = queryset.select_related("settlement").only(*_SHOWN).order_by("code")[:LIMIT]
        for client in rows:
            found.setdefault(client.pk, Duplicate(client)).reasons.append(reason)

    inn = clean_digits(inn)
    if inn:
        add(visible.filter(access.card_only(user, Q(inn=inn))), _("same INN"))
    name_key = search_key(short_name)
    if name_key:
        add(visible.filter(name_key=name_key), _("same name"))
    same_phone = _same_phone(user, phone_keys(*phones))
    if same_phone is not None:
        add(visible.filter(same_phone), _("same phone"))
    if found:
        openable = set(access.openable_clients(user).filter(pk__in=found).values_list("pk", flat=True))
        for duplicate in found.values():
            duplicate.can_open = duplicate.client.pk in openable
    return sorted(found.values(), key=lambda d: d.client.code)


def phone_match(keys: list[str]) -> Q:
    """The phone keys (models.PhoneKey) of the numbers the same as one of `keys`: the national digits match, and
    a shorter number (7 to 9 digits, a local one) matches those that end with it. Sought by the 7-digit tail
    (an index), the suffix only confirms the few rows found."""
    match = Q()
    for key in keys:
        same = Q(number=key) if len(key) >= NATIONAL_DIGITS else Q(number__endswith=key)
        shorter = [key[-length:] for length in range(MIN_PHONE_DIGITS, len(key))]
        if shorter:
            same |= Q(number__in=shorter)
        match |= Q(tail=key[-MIN_PHONE_DIGITS:]) & same
    return match


def _same_phone(user: Any, keys: list[str]) -> Q | None:
    """Clients with one of the numbers: in their main phones (a registry column), or — only on clients the user
    may open — in a contact's phones. The keys are read first (an index seek), then the clients by id."""
    if not keys:
        return None
    main: set[int] = set()
    by_contact: set[int] = set()
    for client_id, contact_id in PhoneKey.objects.filter(phone_match(keys)).values_list("client_id", "contact_id"):
        (main if contact_id is None else by_contact).add(client_id)
    by_contact -= main
    if not main and not by_contact:
        return None
    on_card = access.card_only(user, Q(pk__in=sorted(by_contact))) if by_contact else None
    if not main:
        return on_card
    return Q(pk__in=sorted(main)) if on_card is None else Q(pk__in=sorted(main)) | on_card


def visible_except(user: Any, exclude_pk: int | None) -> QuerySet[Client]:
    visible = access.visible_clients(user)
    return visible.exclude(pk=exclude_pk) if exclude_pk else visible


def checks_since(user: Any, since: datetime, *, limit: int) -> list[datetime]:
    """When the user's latest duplicate checks since `since` ran, newest first, at most `limit` of them (the audit
    rows are read through their time index: only the last minute's rows are scanned)."""
    return list(
        AuditEvent.objects.filter(at__gte=since, event=CHECK_EVENT, actor_id=user.pk)
        .order_by("-at").values_list("at", flat=True)[:limit]
    )
