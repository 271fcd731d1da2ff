"""Row locks of billing (core.locks): payments before invoices, each set in primary-key order; a sale or a work is
changed by one transaction at a time.

An invoice's paid amount is read and changed only with its row locked, so two payments recorded at once queue for
it and the second sees what the first paid (no overpayment); an advance is applied with its payment locked, so the
same money is never applied twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from kontora.billing.models import (
    Act,
    Invoice,
    InvoiceFactura,
    Payment,
    Sale,
    StatementImport,
    StatementLine,
    Work,
)
from kontora.core.locks import locked


def invoice(invoice_id: int) -> Invoice:
    """The invoice, locked until the transaction ends: its payments, totals and status change one at a time."""
    return locked(Invoice.objects.filter(pk=invoice_id)).select_related("client", "legal_entity").get()


def invoices(invoice_ids: Iterable[int]) -> list[Invoice]:
    return list(locked(Invoice.objects.filter(pk__in=list(invoice_ids))))


def invoices_to_pay(invoice_ids: Iterable[int]) -> dict[int, Invoice]:
    """The invoices a batch of payments is for, locked at once in key order (with their payee for the payments)."""
    return {row.pk: row for row in locked(Invoice.objects.filter(pk__in=list(invoice_ids)))
            .select_related("legal_entity")}


def open_invoices_of(client_id: int) -> list[Invoice]:
    """The client's invoices that may still be paid, locked (in key order), for applying advances."""
    return list(locked(Invoice.objects.filter(client_id=client_id, due__gt=0).exclude(
        status__in=[Invoice.Status.CANCELLED, Invoice.Status.DRAFT])))


def payment(payment_id: int) -> Payment:
    return locked(Payment.objects.filter(pk=payment_id)).select_related("client").get()


def advances_of(client_id: int) -> list[Payment]:
    """The client's live payments, locked in key order, for applying their advance."""
    return list(locked(Payment.objects.filter(client_id=client_id, cancelled_at__isnull=True)))


def sale_to_change(sale_id: int) -> Sale:
    return locked(Sale.objects.filter(pk=sale_id)).select_related("client", "item").get()


def work_to_change(work_id: int) -> Work:
    return locked(Work.objects.filter(pk=work_id)).select_related("client").get()


def statement(statement_id: int) -> StatementImport:
    """A bank statement being recorded: two «Провести» at once queue, and the second finds its lines recorded."""
    return locked(StatementImport.objects.filter(pk=statement_id)).select_related("legal_entity").get()


def statement_line(line_id: int) -> StatementLine:
    return locked(StatementLine.objects.filter(pk=line_id)).select_related("statement").get()
def act(act_id: int) -> Act:
    """The act, locked: its lines, totals and status change one transaction at a time."""
    return locked(Act.objects.filter(pk=act_id)).select_related("client", "legal_entity").get()
def factura(factura_id: int) -> InvoiceFactura:
    return locked(InvoiceFactura.objects.filter(pk=factura_id)).select_related("client", "legal_entity").get()
