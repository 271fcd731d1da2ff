"""The strip of billing's journals inside the card's «Счета» tab (CLI-14).

The card's tab strip has no room for a tab per document kind (tests/clients/browser/test_screen_fit.py), so billing
has one tab, «Счета», and above its journal a row of pills, one per journal, from this plain list: (key, label, URL
name of the journal's pane, reversed with the client's id). A journal of payments, acts or invoice-facturas joins
the strip by adding its row here; `billing/partials/card_journals.html` draws them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CARD_JOURNALS: list[tuple[str, str | Promise, str]] = [
    ("invoices", _("Invoices"), "billing:card_invoices"),
    ("payments", _("Payments"), "billing:card_payments"),
    ("acts", _("Acts"), "billing:card_acts"),
    ("facturas", _("Invoice-facturas"), "billing:card_facturas"),
]


@dataclass(frozen=True)
class JournalPill:
    key: str
    label: str | Promise
    url: str
    active: bool


def card_journal_pills(client_id: int, active: str) -> list[JournalPill]:
    """The strip's pills for the client's card, the shown journal (`active`) marked."""
    return [JournalPill(key, label, reverse(url_name, args=[client_id]), key == active)
            for key, label, url_name in CARD_JOURNALS]
