"""Reads of the banks directory: the list searched by BIK or name, the bank of a BIK."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from kontora.core.text import digits, prefix_bounds, search_key
from kontora.core.ui.pager import Keyset, Page
from kontora.directories.models import Bank

BY_NAME = Keyset("name_key", "id")

# ParticipantStatus codes of ED807, as the list shows them.
STATUS_LABELS = {
    "PSAC": gettext_lazy("operating"),
    "PSDL": gettext_lazy("being removed"),
}


def bank_by_bik(bik: str) -> Bank | None:
    """The active bank with this BIK, or None."""
    value = digits(bik)
    if len(value) != 9:
        return None
    return Bank.objects.filter(bik=value, is_active=True).first()


def bank_search(query: str) -> QuerySet[Bank]:
    """Banks by BIK prefix (digits) or a word of the name, in name order.

    Names start with a legal form ("ПАО Сбербанк"), so the name is matched anywhere, not by prefix:
    the directory holds a few thousand banks, and both sides are search keys, so LIKE needs no case folding.
    Everyone signed in sees every bank: the directory is public reference data.
    """
    banks = Bank.objects.all()
    query = query.strip()
    if query and query.isascii() and query.isdigit():
        low, high = prefix_bounds(query)
        banks = banks.filter(bik__gte=low, bik__lt=high)
    elif search_key(query):
        banks = banks.filter(name_key__contains=search_key(query))
    return banks.order_by(*BY_NAME.order)


def bank_page(query: str, *, cursor: Mapping[str, str], size: int = 100) -> Page[Bank]:
    """One keyset page of `bank_search` from `cursor` (core.ui.pager)."""
    return BY_NAME.page(bank_search(query), cursor, size=size)
