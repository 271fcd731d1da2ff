"""Reads of the outbox (GRP-06), always through `policies.letters` (the card level of the client's access rules):
«Исходящие письма», a keyset journal newest first with its filters, and one letter (`policies.letters.get`)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, QuerySet, Value, When
from django.db.models.functions import Substr

from kontora.core.selectors.calendar import day_bounds
from kontora.core.ui.pager import AFTER, BEFORE, Keyset, Page
from kontora.messaging import policies
from kontora.messaging.models import Channel, Letter

NEWEST_FIRST = Keyset("-created_at", "-id")
# Whose letters the journal lists: the user's own, or every employee's (policies.sees_all_employees).
MINE, EVERYONE = "mine", "all"
# The states a person sends again (services.outbox.letter_resend), also the filter «Требуют внимания».
RESENDABLE = (Letter.State.UNKNOWN, Letter.State.FAILED, Letter.State.HELD)
ATTENTION = "attention"
HIDDEN_CAP = 1000
SMS_SHOWN = 120  # characters of an SMS's text its row shows


@dataclass(frozen=True)
class OutboxChoice:
    """The journal's filter as the selectors take it: "" or None for "any"."""

    state: str = ""  # a Letter.State, or ATTENTION
    purpose: str = ""
    date_from: datetime.date | None = None  # queued on or after this day of the user's clock
    date_to: datetime.date | None = None  # … up to the end of this day
    whose: str = ""  # MINE or EVERYONE as asked; "" for the default (outbox_whose)


@dataclass(frozen=True)
class OutboxPage:
    letters: list[Letter]
    pager: Page[Letter]  # the keyset page the letters are (core.ui.pager): its links
    whose: str
    hidden: int  # letters of the same choice kept from the user by client access alone (the first page only)


def outbox_whose(user: Any, asked: str | None) -> str:
    """Every employee's letters by default for a user who may see them, else (whatever is asked) his own."""
    if not policies.sees_all_employees(user):
        return MINE
    return MINE if asked == MINE else EVERYONE


def _chosen(letters: QuerySet[Letter], user: Any, choice: OutboxChoice, whose: str) -> QuerySet[Letter]:
    if choice.state == ATTENTION:
        letters = letters.filter(state__in=RESENDABLE)
    elif choice.state:
        letters = letters.filter(state=choice.state)
    if choice.purpose:
        letters = letters.filter(purpose=choice.purpose)
    if choice.date_from is not None:
        letters = letters.filter(created_at__gte=day_bounds(user, choice.date_from)[0])
    if choice.date_to is not None:
        letters = letters.filter(created_at__lt=day_bounds(user, choice.date_to)[1])
    return letters.filter(author=user) if whose == MINE else letters


def outbox_letters(user: Any, choice: OutboxChoice) -> QuerySet[Letter]:
    """The letters the journal lists, newest first, with what a row shows (not their texts)."""
    # An SMS has no subject: the row shows the start of its text instead (not the whole of any letter's text).
    letters = policies.letters.visible(user).select_related("client", "author").defer("text", "html").annotate(
        sms_start=Case(When(channel=Channel.SMS, then=Substr("text", 1, SMS_SHOWN)), default=Value("")))
    return _chosen(letters, user, choice, outbox_whose(user, choice.whose)).order_by(*NEWEST_FIRST.order)


def hidden_count(user: Any, choice: OutboxChoice) -> int:
    """How many letters of the choice client access alone keeps from the user, up to HIDDEN_CAP + 1. One query."""
    hidden = _chosen(policies.hidden_letters(user), user, choice, outbox_whose(user, choice.whose))
    return hidden.order_by()[: HIDDEN_CAP + 1].count()


def outbox_page(user: Any, choice: OutboxChoice, *, cursor: Mapping[str, str], size: int = 50) -> OutboxPage:
    """«Исходящие письма», `size` rows at a time: keyset paging on (created_at, id) descending, no OFFSET or COUNT of
    the rows; the first page counts the letters client access hides (one query)."""
    page = NEWEST_FIRST.page(outbox_letters(user, choice), cursor, size=size)
    first = AFTER not in cursor and BEFORE not in cursor
    return OutboxPage(page.rows, page, outbox_whose(user, choice.whose), hidden_count(user, choice) if first else 0)
