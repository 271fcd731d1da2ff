"""Likely duplicates of a client being entered (CLI-16): same INN, same short name, same phone number.

Two answers (`duplicate_report`):
- *shown* — among the clients the user sees (access.visible_clients), as their registry rows (code, short name,
  city; a link to the card he may open, the curator of one he may not). The short name and the main phone are
  registry columns; the INN and the contacts' phones are card data, compared here only on clients the user may
  open (`access.card_only`).
- *told* — the same INN or phone on a client he may not open (another manager's client for a user of own clients,
  a card a "list all" user only lists): only that such a client exists and who its curator is, never its card,
  code, name or any of its data. The curator's name tells him whom to ask, so the duplicate is not entered twice
  (issue 13, item 10; issue 11 had decided never to name him, and an own-clients manager then entered another's
  client again without a word of warning). The name alone finds no one: it is not told about clients out of sight.
A private client of someone else never shows up in either answer, not even as "a duplicate exists": private stays
silent, administrators included.

Every check is an index seek, at a million clients as at ten: the INN (its index), the folded name (clients_name_seek),
the phones through their keys (models.PhoneKey: a number is the same when its national digits — the last 10 —
match, and a 7–9-digit local number matches those that end with it).

The check is an oracle over the base, so every one is on record (an audit row `clients.duplicates.check` with the
values asked and the clients told of) and a user gets at most DUPLICATE_CHECKS_PER_MINUTE of them a minute
(services.duplicates.duplicate_check, the one way the card runs it).
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
_SHOWN = ("code", "short_name", "settlement", "settlement__name", "curator", "curator__full_name", "curator__login")
INN, NAME, PHONE = "inn", "name", "phone"


@dataclass
class Duplicate:
    client: Client
    reasons: list[str] = field(default_factory=list)
    can_open: bool = False
    kinds: set[str] = field(default_factory=set)  # INN, NAME, PHONE: what matched

    @property
    def curator(self) -> str:
        """The curator's name, shown for a client the user may not open (a registry column): whom to ask."""
        curator = self.client.curator
        return "" if self.can_open or curator is None else str(curator)


@dataclass(frozen=True)
class Told:
    """A client the user may not open has the same INN or phone: only that, and its curator (none: "")."""

    kind: str  # INN or PHONE
    curator: str

    @property
    def message(self) -> str:
        if self.kind == INN:
            if self.curator:
                return _("A client with this INN already exists; its curator is %(curator)s") % {
                    "curator": self.curator}
            return _("A client with this INN already exists; it has no curator")
        if self.curator:
            return _("A client with this phone number already exists; its curator is %(curator)s") % {
                "curator": self.curator}
        return _("A client with this phone number already exists; it has no curator")


@dataclass
class Report:
    shown: list[Duplicate]
    told: list[Told]
    told_ids: list[int]  # the clients told of, for the check's audit row (never shown)

    def __bool__(self) -> bool:
        return bool(self.shown or self.told)


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
    """The duplicates shown to the user: among the clients he sees, as their registry rows."""
    return duplicate_report(user=user, inn=inn, short_name=short_name, phones=phones, exclude_pk=exclude_pk).shown


def duplicate_report(
    *, user: Any, inn: str = "", short_name: str = "", phones: tuple[str, ...] = (), exclude_pk: int | None = None,
) -> Report:
    """What the check answers: the duplicates shown (registry rows of visible clients) and those only told of
    (the INN or phone of a client the user may not open: its curator alone)."""
    if access.visibility_shape(user) == access.NOBODY:
        return Report([], [], [])
    visible = visible_except(user, exclude_pk)
    found: dict[int, Duplicate] = {}

    def add(queryset: QuerySet[Client], kind: str, reason: str) -> None:
        # What a duplicate shows (its registry row: code, short name, city, curator): the card's fifty columns cost
        # the ORM more than the index seek that finds them.
        rows = queryset.select_related("settlement", "curator").only(*_SHOWN).order_by("code")[:LIMIT]
        for client in rows:
            duplicate = found.setdefault(client.pk, Duplicate(client))
            duplicate.reasons.append(reason)
            duplicate.kinds.add(kind)

    inn = clean_digits(inn)
    if inn:
        add(visible.filter(access.card_only(user, Q(inn=inn))), INN, _("same INN"))
    name_key = search_key(short_name)
    if name_key:
        add(visible.filter(name_key=name_key), NAME, _("same name"))
    keys = phone_keys(*phones)
    matched = _phone_matches(keys)
    same_phone = _same_phone(user, matched)
    if same_phone is not None:
        add(visible.filter(same_phone), PHONE, _("same phone"))
    if found:
        openable = set(access.openable_clients(user).filter(pk__in=found).values_list("pk", flat=True))
        for duplicate in found.values():
            duplicate.can_open = duplicate.client.pk in openable
    shown = sorted(found.values(), key=lambda d: d.client.code)
    told, told_ids = _told(user, inn, matched, shown, exclude_pk)
    return Report(shown, told, told_ids)


def _told(user: Any, inn: str, matched: tuple[set[int], set[int]], shown: list[Duplicate], exclude_pk: int | None
          ) -> tuple[list[Told], list[int]]:
    """The clients with the INN or a phone asked that were not shown for it, but for someone else's private ones:
    one line per (what matched, curator). Read by the INN's index and the phone keys already found."""
    wanted: dict[str, Q] = {}
    if inn:
        wanted[INN] = Q(inn=inn)
    phone_ids = matched[0] | matched[1]
    if phone_ids:
        wanted[PHONE] = Q(pk__in=sorted(phone_ids))
    told: dict[tuple[str, int | None], Told] = {}
    told_ids: list[int] = []
    for kind, condition in wanted.items():
        already = {d.client.pk for d in shown if kind in d.kinds}
        rows = (access.not_private_to_others(user).filter(condition).exclude(pk__in=already)
                .exclude(pk=exclude_pk or 0).select_related("curator")
                .only("curator", "curator__full_name", "curator__login")
                .order_by("code")[:LIMIT])
        for client in rows:
            curator = client.curator
            told.setdefault((kind, client.curator_id), Told(kind, "" if curator is None else str(curator)))
            if client.pk not in told_ids:
                told_ids.append(client.pk)
    return list(told.values()), told_ids


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


def _phone_matches(keys: list[str]) -> tuple[set[int], set[int]]:
    """The clients with one of the numbers: (in their main phones, only in a contact's phones), read from the keys
    (an index seek)."""
    main: set[int] = set()
    by_contact: set[int] = set()
    if keys:
        for client_id, contact_id in PhoneKey.objects.filter(phone_match(keys)).values_list("client_id", "contact_id"):
            (main if contact_id is None else by_contact).add(client_id)
    return main, by_contact - main


def _same_phone(user: Any, matched: tuple[set[int], set[int]]) -> Q | None:
    """Clients with one of the numbers: in their main phones (a registry column), or — only on clients the user
    may open — in a contact's phones."""
    main, by_contact = matched
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
