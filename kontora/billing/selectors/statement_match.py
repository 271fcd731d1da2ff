"""What a bank statement's incoming payment pays (INV-04): an invoice named in the purpose, else an open invoice of
the payer (found by INN) whose due equals the amount, else the payer's advance; several candidates are listed for
the user to choose.

Only invoices and clients the acting user may open and write payments for are found (`billing.policies`); a payer
he may not open is "not found", so the statement tells him nothing of another manager's client. The lookups are
batched — one query per kind over all the lines — so a statement of a thousand lines costs what one of ten does.

Each batch is read by the key it names (the invoice's number, the payer's clients, the bank document's number and
date), its client checked row by row (`access.opens_row_client`), never by `client__in=` the openable clients: over
a million rows SQLite then lists every openable client and reads all their payments or invoices first (seconds), and
it takes an invoice's status for a selective key when the status index has no statistics yet — so the open status is
checked here, on the few rows read by their key.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kontora.billing import policies
from kontora.billing.models import Invoice, Payment, StatementLine
from kontora.clients import access
from kontora.clients.models import Client

OPEN = (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID)
Match = StatementLine.Match

# «Счёт № АМ-422», «сч. 422 от 01.12.2026», «по счету №АМ-422», «счёт на оплату № 15 от 1.12.26»: the word (not
# inside another: «расчёт»), a number sign, the author's prefix and the number, the invoice's date when given.
_INVOICE_REF = re.compile(
    r"(?<![а-яёa-z])сч(?:[её]т[а-яё]*|\.)?\s*(?:на\s+оплату\s*)?(?:№|n|#)?\s*"
    r"(?:([a-zа-яё]{1,10})\s*-\s*)?(\d{1,9})(?![\d.,]\d)"
    r"(?:\s*,?\s*от\s*(\d{1,2})\.(\d{1,2})\.(\d{2,4}))?",
    re.IGNORECASE,
)
# What the user types to pick an unmatched line's invoice: «АМ-422» or «422».
_TYPED_NUMBER = re.compile(r"\s*(?:№\s*)?(?:([a-zа-яё]{1,10})\s*-\s*)?(\d{1,9})\s*", re.IGNORECASE)
_INN = re.compile(r"\d{10}|\d{12}")


@dataclass(frozen=True)
class Reference:
    """An invoice named in a purpose: its prefix as printed (upper case, "" when none), number and year."""

    prefix: str
    number: int
    year: int


@dataclass(frozen=True)
class Incoming:
    """What the matching reads of a line: the document's date, amount, payer's INN and purpose."""

    date: datetime.date
    amount: Decimal
    payer_inn: str
    purpose: str


@dataclass
class Found:
    """The match of one line: how, the invoice or client found, the candidates of an ambiguous one."""

    match: str = Match.NOT_FOUND
    invoice_id: int | None = None
    client_id: int | None = None
    candidates: list[dict[str, int | None]] = field(default_factory=list)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def references(purpose: str, date: datetime.date) -> list[Reference]:
    """The invoices a purpose names; the year is the one of the date printed after the number, or `date`'s."""
    found: list[Reference] = []
    for match in _INVOICE_REF.finditer(purpose or ""):
        year = _year(match[5]) if match[5] else date.year
        reference = Reference((match[1] or "").upper(), int(match[2]), year)
        if reference not in found:
            found.append(reference)
    return found


def writable_clients(user: Any, client_ids: Iterable[int]) -> dict[int, Client]:
    """Those of the clients the user may open and write invoices' payments for (one query)."""
    ids = set(client_ids)
    if not ids or access.visibility_shape(user) == access.NOBODY:
        return {}
    rows = access.openable_clients(user).filter(pk__in=ids).annotate(**access.standing_annotations(user))
    return {client.pk: client for client in rows if access.standing_of_row(user, client).edits}


def _open_invoices(user: Any, legal_entity_id: int) -> Any:
    return policies.visible_invoices(user).filter(legal_entity_id=legal_entity_id, status__in=OPEN, due__gt=0)


def _entity_invoices(user: Any, legal_entity_id: int) -> Any:
    """The entity's invoices of clients the user opens, unordered, for a batch read by its key; `_is_open` picks
    the open ones."""
    if access.visibility_shape(user) == access.NOBODY:
        return Invoice.objects.none()
    return Invoice.objects.filter(access.opens_row_client(user), legal_entity_id=legal_entity_id).order_by()


def _is_open(invoice: Invoice) -> bool:
    return invoice.status in OPEN and invoice.due > 0


def _fits(reference: Reference, invoice: Invoice) -> bool:
    return (invoice.number == reference.number and invoice.number_year == reference.year
            and (not reference.prefix or invoice.prefix.upper() == reference.prefix))


def _by_number(user: Any, legal_entity_id: int, lines: Sequence[Incoming]) -> dict[int, list[Invoice]]:
    """Line index → the open invoices its purpose names, of clients the user writes for (two queries)."""
    named = {index: references(line.purpose, line.date) for index, line in enumerate(lines)}
    numbers = {reference.number for refs in named.values() for reference in refs}
    if not numbers:
        return {}
    years = {reference.year for refs in named.values() for reference in refs}
    # The number is unique in an entity's year: at most one invoice a reference, read by the numbering's index.
    invoices = [invoice for invoice in _entity_invoices(user, legal_entity_id)
                .filter(number_year__in=years, number__in=numbers) if _is_open(invoice)]
    writable = writable_clients(user, {invoice.client_id for invoice in invoices})
    by_number: dict[tuple[int, int], list[Invoice]] = {}
    for invoice in invoices:
        if invoice.client_id in writable:
            by_number.setdefault((invoice.number, invoice.number_year), []).append(invoice)
    found: dict[int, list[Invoice]] = {}
    for index, refs in named.items():
        hits = {invoice.pk: invoice for reference in refs
                for invoice in by_number.get((reference.number, reference.year), []) if _fits(reference, invoice)}
        if hits:
            found[index] = [hits[pk] for pk in sorted(hits)]
    return found


def _candidate(invoice: Invoice | None = None, client_id: int | None = None) -> dict[str, int | None]:
    return {"invoice": invoice.pk if invoice else None, "client": invoice.client_id if invoice else client_id}


def match_lines(*, fetched_by: Any, legal_entity_id: int, lines: Sequence[Incoming]) -> list[Found]:
    """Each line's match, in the lines' order: by the invoice number in the purpose, then by the payer's INN and the
    amount, then the payer's advance; several candidates make it ambiguous. Four queries whatever the count."""
    user = fetched_by
    results = [Found() for _line in lines]
    numbered = _by_number(user, legal_entity_id, lines)
    for index, hits in numbered.items():
        if len(hits) == 1:
            results[index] = Found(Match.BY_NUMBER, hits[0].pk, hits[0].client_id)
        else:
            results[index] = Found(Match.AMBIGUOUS, candidates=[_candidate(invoice) for invoice in hits])
    rest = [index for index in range(len(lines)) if index not in numbered and lines[index].payer_inn]
    inns = {lines[index].payer_inn for index in rest}
    if not inns:
        return results
    payers = access.openable_clients(user).filter(inn__in=inns).values_list("pk", "inn")
    writable = writable_clients(user, [pk for pk, _inn in payers])
    clients_of: dict[str, list[int]] = {}
    for pk, inn in payers:
        if pk in writable:
            clients_of.setdefault(inn, []).append(pk)
    amounts = {lines[index].amount for index in rest if lines[index].payer_inn in clients_of}
    due_of: dict[tuple[int, Decimal], list[Invoice]] = {}
    if amounts:
        for invoice in _entity_invoices(user, legal_entity_id).filter(client_id__in=list(writable), due__in=amounts):
            if _is_open(invoice):  # the payers' invoices read by their client
                due_of.setdefault((invoice.client_id, invoice.due), []).append(invoice)
    for index in rest:
        line = lines[index]
        clients = sorted(clients_of.get(line.payer_inn, []))
        if not clients:
            continue
        hits = sorted((invoice for pk in clients for invoice in due_of.get((pk, line.amount), [])),
                      key=lambda invoice: (invoice.date, invoice.pk))
        if len(hits) == 1:
            results[index] = Found(Match.BY_INN_SUM, hits[0].pk, hits[0].client_id)
        elif hits:
            results[index] = Found(Match.AMBIGUOUS, candidates=[_candidate(invoice) for invoice in hits])
        elif len(clients) == 1:
            results[index] = Found(Match.CLIENT, None, clients[0])
        else:
            results[index] = Found(Match.AMBIGUOUS, candidates=[_candidate(client_id=pk) for pk in clients])
    return results


def recorded_before(*, fetched_by: Any, documents: Sequence[tuple[str, datetime.date, Decimal, str]],
                    dates: Sequence[tuple[datetime.date, ...]] = ()) -> set[int]:
    """The indexes of the documents (bank number, date, amount, payer's INN) already recorded as a live payment of
    a client the user opens: the same bank document number and amount, dated the document's day (or the day the
    money came, `dates`), paid by a client with that INN, or a recorded statement line of it. Two queries, each
    read by the documents' numbers and the span of their dates."""
    numbers = {number for number, *_rest in documents if number}
    if not numbers or access.visibility_shape(fetched_by) == access.NOBODY:
        return set()
    every_day = [day for index, (_number, date, *_rest) in enumerate(documents)
                 for day in (date, *(dates[index] if index < len(dates) else ()))]
    span = (min(every_day), max(every_day))
    rows = (Payment.objects.filter(access.opens_row_client(fetched_by), bank_document__in=numbers, date__range=span,
                                   cancelled_at__isnull=True)
            .order_by().values_list("bank_document", "date", "amount", "client__inn"))
    seen = {(number, date, amount, inn) for number, date, amount, inn in rows}
    # A line recorded to a client of another INN (picked by hand) is the same bank document all the same.
    lines = (StatementLine.objects.filter(number__in=numbers, date__range=span, payment__isnull=False,
                                          payment__cancelled_at__isnull=True)
             .filter(access.opens_row_client(fetched_by, "payment__client"))
             .order_by().values_list("number", "date", "amount", "payer_inn"))
    seen.update(lines)
    found = set()
    for index, (number, date, amount, inn) in enumerate(documents):
        days = {date, *(dates[index] if index < len(dates) else ())}
        if any((number, day, amount, inn) in seen for day in days):
            found.add(index)
    return found


def invoice_typed(*, fetched_by: Any, legal_entity_id: int, text: str, year: int) -> list[Invoice]:
    """The open invoices of our entity the user writes for whose number is `text` («АМ-422», «422») in `year`."""
    typed = _TYPED_NUMBER.fullmatch(text or "")
    if typed is None:
        return []
    reference = Reference((typed[1] or "").upper(), int(typed[2]), year)
    rows = _open_invoices(fetched_by, legal_entity_id).filter(number=reference.number, number_year=year)
    writable = writable_clients(fetched_by, {invoice.client_id for invoice in rows})
    return [invoice for invoice in rows if invoice.client_id in writable and _fits(reference, invoice)]


def clients_typed(*, fetched_by: Any, inn: str) -> list[Client]:
    """The clients with the INN the user typed that he writes for."""
    if not _INN.fullmatch((inn or "").strip()):
        return []
    ids = access.openable_clients(fetched_by).filter(inn=inn.strip()).values_list("pk", flat=True)
    return list(writable_clients(fetched_by, ids).values())


def writable_invoice(*, fetched_by: Any, legal_entity_id: int, invoice_id: int) -> Invoice | None:
    """The open invoice of our entity, if the user writes for its client."""
    invoice = _open_invoices(fetched_by, legal_entity_id).filter(pk=invoice_id).first()
    if invoice is None or invoice.client_id not in writable_clients(fetched_by, [invoice.client_id]):
        return None
    return invoice


def writable_client(*, fetched_by: Any, client_id: int) -> Client | None:
    return writable_clients(fetched_by, [client_id]).get(client_id)


