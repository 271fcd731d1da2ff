"""Reads of the banks directory: the list searched by BIK or name, the bank of a BIK, the directory's date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy

from kontora.core.text import digits, prefix_bounds, search_key
from kontora.core.ui.pager import Keyset, Page
from kontora.directories.models import Bank, BankDirectory

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


def banks_loaded() -> bool:
    """True once the directory has any bank (an import was made)."""
    return Bank.objects.exists()


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


# Past this many days an administrator is warned: banks lose licences, merge and change correspondent accounts, and
# invoices and payment QR codes print the correspondent account (the Bank of Russia updates the file daily).
STALE_AFTER_DAYS = 90


@dataclass(frozen=True)
class DirectoryState:
    """The BIK directory's date as the base records it, and whether an administrator should be warned."""

    directory_date: date | None  # the date of the data (the ED807's EDDate); None when never imported
    imported_at: datetime | None
    age_days: int | None

    @property
    def loaded(self) -> bool:
        return self.directory_date is not None

    @property
    def stale(self) -> bool:
        """Never imported, or older than STALE_AFTER_DAYS."""
        return self.age_days is None or self.age_days > STALE_AFTER_DAYS


def _today() -> date:
    return timezone.localdate()


def bank_directory_state() -> DirectoryState:
    """The date of the banks' data (one row, read by every server alike) and its age today."""
    row = BankDirectory.objects.filter(pk=1).first()
    if row is None:
        return DirectoryState(directory_date=None, imported_at=None, age_days=None)
    return DirectoryState(
        directory_date=row.directory_date, imported_at=row.imported_at,
        age_days=max((_today() - row.directory_date).days, 0),
    )


def bank_directory_notice() -> str | None:
    """The administrator's warning about the BIK directory at the top of the Informer, or None while it is current."""
    state = bank_directory_state()
    if not state.stale:
        return None
    if state.directory_date is None:
        return gettext("The BIK directory is not loaded: a BIK typed in bank requisites fills in nothing.")
    return gettext("The BIK directory's data is older than %(limit)s days (as of %(date)s).") % {
        "limit": STALE_AFTER_DAYS, "date": formats.date_format(state.directory_date, "SHORT_DATE_FORMAT"),
    }
