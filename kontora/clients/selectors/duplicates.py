"""Likely duplicates of a client being entered (CLI-16): same INN, same short name, same phone number.

Searched only among the clients the user sees (access.visible_clients): a private client of someone else
must never show up, not even as "a duplicate exists" — neither it nor its curator is ever named. The short name
and the main phone are registry columns; the INN and the contacts' phones are card data, compared only on clients
the user may open (`access.card_only`): typing an INN must not tell a "list all" user whose card carries it. A
duplicate is shown as its registry row (code, short name, city) — never with its curator.

The check is an oracle over the base, so every one is on record (an audit row `clients.duplicates.check` with the
values asked) and a user gets at most DUPLICATE_CHECKS_PER_MINUTE of them a minute (services.duplicates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from kontora.clients import access
from kontora.clients.models import Client, ContactPerson
from kontora.core.models import AuditEvent
from kontora.core.requisites import clean_digits
from kontora.core.text import digits, search_key

MIN_PHONE_DIGITS = 7
# The national part of a Russian number: "8 (495) 123-45-67" and "+7 495 1234567" are the same phone.
NATIONAL_DIGITS = 10
LIMIT = 10
CHECK_EVENT = "clients.duplicates.check"
_PHONE_SEPARATORS = re.compile(r"[,;/]|\s{2,}")


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
        for client in queryset.select_related("settlement").order_by("code")[:LIMIT]:
            found.setdefault(client.pk, Duplicate(client)).reasons.append(reason)

    inn = clean_digits(inn)
    if inn:
        add(visible.filter(access.card_only(user, Q(inn=inn))), _("same INN"))
    name_key = search_key(short_name)
    if name_key:
        add(visible.filter(name_key=name_key), _("same name"))
    keys = phone_keys(*phones)
    if keys:
        by_client = Q()
        by_contact = Q()
        for key in keys:
            by_client |= Q(phone_digits__contains=key)
            by_contact |= Q(phones_digits__contains=key)
        contacts = ContactPerson.objects.filter(by_contact, client=OuterRef("pk"))
        add(visible.filter(by_client | access.card_only(user, Q(Exists(contacts)))), _("same phone"))
    if found:
        openable = set(access.openable_clients(user).filter(pk__in=found).values_list("pk", flat=True))
        for duplicate in found.values():
            duplicate.can_open = duplicate.client.pk in openable
    return sorted(found.values(), key=lambda d: d.client.code)


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
