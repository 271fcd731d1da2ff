"""Payments (INV-04): recorded for an invoice or as the client's advance, applied to invoices later (by the user or
automatically, oldest invoice first), cancelled (storno) — never deleted. Each in one transaction with its audit row.

An invoice's paid amount is the sum of the live payments' allocations to it; it is read and changed with the
invoice's row locked (`locks.invoice`), so two payments recorded at once cannot together pay more than is due:
the second waits for the first and sees what it paid. Payments are locked before invoices, everywhere.

Targeting's goal «Счёт оплачен» (`PAID_GOAL`) follows the invoice's status in `invoice_settle`, the one place every
payment's change passes through: an invoice that becomes paid in full is its author's goal reached (he wrote it —
the client's curator may change later and is not who earned it); a cancelled payment that leaves it unpaid again
takes the achievement back.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.billing import locks, policies
from kontora.billing.models import Invoice, Payment, PaymentAllocation
from kontora.billing.selectors.invoices import invoice_defaults
from kontora.clients.models import Client
from kontora.core.audit import audit_record, audit_record_rows, created_changes, shown
from kontora.core.errors import DomainError, NotAllowed, Refused
from kontora.core.models import LegalEntity
from kontora.core.money import money_sum
from kontora.core.numbering import number_next, numbers_next
from kontora.core.services.inserts import rows_update
from kontora.targeting.selectors import goals_of_kind
from kontora.targeting.services import achievements_sync, achievements_sync_many

NUMBER_KIND = "payment"
PAYMENT_FIELDS = ("client", "invoice", "legal_entity", "date", "amount", "kind", "payer", "bank_document", "note")
ZERO = Decimal("0.00")
PAID_GOAL = "invoice_paid"  # the kind of targeting goal an invoice paid in full reaches (billing's hooks)


class Overpayment(StrEnum):
    """What to do with the part of a payment above the invoice's due: refuse the payment, or keep it as the
    client's advance."""

    REFUSE = "refuse"
    ADVANCE = "advance"


def _check_client(acting_user: User, client: Client) -> None:
    if not policies.can_write_for(acting_user, client):
        raise NotAllowed(_("You cannot edit this client's card, so you cannot record its payments."), field="client")


def _settled(invoice: Invoice, paid: Decimal) -> None:
    """The invoice's paid amount, due and status for `paid` counted towards it (not saved)."""
    invoice.paid = paid
    if invoice.status == Invoice.Status.CANCELLED:
        invoice.due = ZERO
    else:
        invoice.due = invoice.gross - paid
        if paid <= 0:
            invoice.status = Invoice.Status.DRAFT if invoice.status == Invoice.Status.DRAFT else Invoice.Status.ISSUED
        elif paid >= invoice.gross:
            invoice.status = Invoice.Status.PAID
        else:
            invoice.status = Invoice.Status.PARTLY_PAID


def invoice_settle(invoice: Invoice) -> None:
    """The locked invoice's paid amount, due and status from the live payments counted towards it (no audit row:
    the payment's service that calls it writes one)."""
    paid = PaymentAllocation.objects.filter(invoice=invoice, payment__cancelled_at__isnull=True).aggregate(
        total=money_sum("amount"))["total"]
    was_paid = invoice.status == Invoice.Status.PAID
    _settled(invoice, paid)
    invoice.save(update_fields=["paid", "due", "status", "changed_at"])
    paid_now = invoice.status == Invoice.Status.PAID
    if paid_now != was_paid:
        achievements_sync(source="invoice", source_id=invoice.pk, user_id=invoice.author_id if paid_now else None,
                          achieved_at=timezone.now(), goals=goals_of_kind(PAID_GOAL) if paid_now else [])


def invoice_payable(invoice: Invoice) -> None:
    """Refuses money for an invoice that takes none (also asked by the payment form opened for such an invoice)."""
    if invoice.status == Invoice.Status.CANCELLED:
        raise Refused(_("Invoice %(number)s is cancelled: it cannot be paid.") % {"number": invoice.shown_number},
                      field="invoice")
    # A draft is still being written and may change or be dropped: money is counted only towards an issued invoice.
    if invoice.status == Invoice.Status.DRAFT:
        raise Refused(_("Invoice %(number)s is a draft: issue it first, then record its payment.")
                      % {"number": invoice.shown_number}, field="invoice")


def _invoice_changes(invoice: Invoice, paid_before: Decimal, status_before: str) -> list[dict[str, str]]:
    changes = []
    if paid_before != invoice.paid:
        changes.append({"field": _("Invoice %(number)s: paid") % {"number": invoice.shown_number},
                        "old": shown(paid_before), "new": shown(invoice.paid)})
    if status_before != invoice.status:
        changes.append({"field": _("Invoice %(number)s: status") % {"number": invoice.shown_number},
                        "old": str(Invoice.Status(status_before).label), "new": invoice.get_status_display()})
    return changes


def payment_record(
    *, acting_user: User, client: Client, date: datetime.date, amount: Decimal, invoice: Invoice | None = None,
    kind: str = Payment.Kind.NON_CASH, payer: str = "", bank_document: str = "", note: str = "",
    overpayment: Overpayment = Overpayment.REFUSE, legal_entity: LegalEntity | None = None,
) -> Payment:
    """Records money received from the client: towards `invoice` (up to its due; the rest is refused or kept as the
    client's advance, as `overpayment` says), or, without an invoice, as the client's advance."""
    _check_client(acting_user, client)
    if amount is None or amount <= 0:
        raise Refused(_("The amount of a payment must be greater than zero."), field="amount")
    if kind not in Payment.Kind.values:
        raise Refused(_("Choose cash or non-cash."), field="kind")
    policies.refuse_past_date(acting_user, date)
    with transaction.atomic():
        applied = ZERO
        paid_before, status_before = ZERO, ""
        if invoice is not None:
            invoice = locks.invoice(invoice.pk)
            if invoice.client_id != client.pk:
                raise Refused(_("The invoice belongs to another client."), field="invoice")
            invoice_payable(invoice)
            paid_before, status_before = invoice.paid, invoice.status
            due = invoice.gross - invoice.paid
            if amount > due and overpayment != Overpayment.ADVANCE:
                raise Refused(
                    _("The payment of %(amount)s is more than the %(due)s due on invoice %(number)s: lower it, or "
                      "keep the excess as the client's advance.")
                    % {"amount": shown(amount), "due": shown(due), "number": invoice.shown_number},
                    field="amount",
                )
            applied = min(amount, due)
            legal_entity = invoice.legal_entity
        if legal_entity is None:
            legal_entity = invoice_defaults(fetched_by=acting_user).legal_entity
            if legal_entity is None:
                raise Refused(_("Add your legal entity in the constants first: a payment needs a payee."),
                              field="legal_entity")
        number = number_next(kind=NUMBER_KIND, legal_entity=legal_entity, year=date.year)
        payment = Payment.objects.create(
            client=client, invoice=invoice, legal_entity=legal_entity, date=date, amount=amount, kind=kind,
            payer=(payer or "").strip(), bank_document=(bank_document or "").strip(), number=number,
            number_year=date.year, prefix=acting_user.doc_prefix or "", note=(note or "").strip(),
            author=acting_user,
        )
        changes = created_changes(payment, PAYMENT_FIELDS)
        if invoice is not None and applied > 0:
            PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=applied, created_by=acting_user)
            invoice_settle(invoice)
            changes += _invoice_changes(invoice, paid_before, status_before)
        if amount > applied:
            changes.append({"field": _("Advance"), "old": "", "new": shown(amount - applied)})
        audit_record(actor=acting_user, event="billing.payment.record",
                     summary=_("Payment %(number)s recorded") % {"number": payment.shown_number}, target=payment,
                     client=client.pk, changes=changes)
    return payment


@dataclass(frozen=True)
class PaymentItem:
    """One payment of a batch (`payments_record_many`): `payment_record`'s arguments."""

    client: Client
    date: datetime.date
    amount: Decimal
    invoice: Invoice | None = None
    kind: str = Payment.Kind.NON_CASH
    payer: str = ""
    bank_document: str = ""
    note: str = ""
    overpayment: Overpayment = Overpayment.REFUSE
    legal_entity: LegalEntity | None = None


def _item_checked(acting_user: User, item: PaymentItem, writable: set[int], dates: dict[datetime.date, bool]) -> None:
    """`payment_record`'s checks before its transaction, in its order (the rights and dates asked once a batch)."""
    if item.client.pk not in writable:
        raise NotAllowed(_("You cannot edit this client's card, so you cannot record its payments."), field="client")
    if item.amount is None or item.amount <= 0:
        raise Refused(_("The amount of a payment must be greater than zero."), field="amount")
    if item.kind not in Payment.Kind.values:
        raise Refused(_("Choose cash or non-cash."), field="kind")
    if item.date not in dates:
        dates[item.date] = policies.can_date(acting_user, item.date)
    if not dates[item.date]:
        policies.refuse_past_date(acting_user, item.date)


def payments_record_many(
    *, acting_user: User, items: Sequence[PaymentItem],
    refused_as: Callable[[int, Refused | NotAllowed], DomainError] | None = None,
) -> list[Payment]:
    """`payment_record` for many payments at once, all or nothing (a bank statement): the same payments, allocations,
    invoices' paid amounts, dues and statuses, goals and audit rows as recording them one by one in this order, in
    a number of queries that does not grow with the items. The first item refused raises `payment_record`'s
    refusal, or what `refused_as(index, refusal)` makes of it (the caller names its line)."""
    if not items:
        return []
    with transaction.atomic():
        invoices = locks.invoices_to_pay({item.invoice.pk for item in items if item.invoice is not None})
        writable = policies.writable_client_ids(acting_user, {item.client.pk for item in items})
        # What each invoice has been paid by live payments before the batch: each payment's settle counts from it.
        counted = dict(PaymentAllocation.objects.filter(invoice_id__in=list(invoices),
                                                        payment__cancelled_at__isnull=True)
                       .values("invoice_id").annotate(total=money_sum("amount")).values_list("invoice_id", "total"))
        was_paid = {pk: invoice.status == Invoice.Status.PAID for pk, invoice in invoices.items()}
        dates: dict[datetime.date, bool] = {}
        settled_ids: set[int] = set()
        default_entity: list[LegalEntity | None] = []
        planned: list[tuple[PaymentItem, Invoice | None, Decimal, LegalEntity, list[dict[str, str]]]] = []
        for index, item in enumerate(items):
            try:
                planned.append(_item_planned(acting_user, item, invoices, counted, settled_ids, writable, dates,
                                             default_entity))
            except (Refused, NotAllowed) as refusal:
                if refused_as is None:
                    raise
                raise refused_as(index, refusal) from None
        numbers: dict[tuple[int, int], list[int]] = {}
        for item, _invoice, _applied, entity, _changes in planned:
            numbers.setdefault((entity.pk, item.date.year), []).append(0)
        for (entity_id, year), taken in numbers.items():
            taken[:] = reversed(numbers_next(kind=NUMBER_KIND, legal_entity=entity_id, year=year, count=len(taken)))
        payments = [
            Payment(client=item.client, invoice=invoice, legal_entity=entity, date=item.date, amount=item.amount,
                    kind=item.kind, payer=(item.payer or "").strip(), bank_document=(item.bank_document or "").strip(),
                    number=numbers[(entity.pk, item.date.year)].pop(), number_year=item.date.year,
                    prefix=acting_user.doc_prefix or "", note=(item.note or "").strip(), author=acting_user)
            for item, invoice, _applied, entity, _changes in planned
        ]
        Payment.objects.bulk_create(payments, batch_size=500)
        PaymentAllocation.objects.bulk_create([
            PaymentAllocation(payment=payment, invoice=invoice, amount=applied, created_by=acting_user)
            for payment, (_item, invoice, applied, _entity, _changes) in zip(payments, planned, strict=True)
            if invoice is not None and applied > 0], batch_size=500)
        now = timezone.now()
        settled = [invoices[pk] for pk in sorted(settled_ids)]
        for invoice in settled:
            invoice.changed_at = now
        rows_update(Invoice, settled, ("paid", "due", "status", "changed_at"))
        newly_paid = {invoice.pk: invoice.author_id for invoice in settled
                      if invoice.status == Invoice.Status.PAID and not was_paid[invoice.pk]}
        if newly_paid:
            achievements_sync_many(source="invoice", users=newly_paid, achieved_at=now,
                                   goals=goals_of_kind(PAID_GOAL))
        audit_record_rows(actor=acting_user, event="billing.payment.record", rows=[
            {"summary": _("Payment %(number)s recorded") % {"number": payment.shown_number}, "target": payment,
             "client": payment.client_id, "changes": created_changes(payment, PAYMENT_FIELDS) + changes}
            for payment, (_item, _invoice, _applied, _entity, changes) in zip(payments, planned, strict=True)])
    return payments


def _item_planned(
    acting_user: User, item: PaymentItem, invoices: dict[int, Invoice], counted: dict[int, Decimal],
    settled_ids: set[int], writable: set[int], dates: dict[datetime.date, bool],
    default_entity: list[LegalEntity | None],
) -> tuple[PaymentItem, Invoice | None, Decimal, LegalEntity, list[dict[str, str]]]:
    """One item checked and applied to its (locked, in-memory) invoice as `payment_record` does it: the invoice,
    the amount counted towards it, the payee and the invoice's and advance's changes for the audit row."""
    _item_checked(acting_user, item, writable, dates)
    applied, changes = ZERO, []
    invoice = invoices[item.invoice.pk] if item.invoice is not None else None
    legal_entity = item.legal_entity
    if invoice is not None:
        if invoice.client_id != item.client.pk:
            raise Refused(_("The invoice belongs to another client."), field="invoice")
        invoice_payable(invoice)
        due = invoice.gross - invoice.paid
        if item.amount > due and item.overpayment != Overpayment.ADVANCE:
            raise Refused(
                _("The payment of %(amount)s is more than the %(due)s due on invoice %(number)s: lower it, or "
                  "keep the excess as the client's advance.")
                % {"amount": shown(item.amount), "due": shown(due), "number": invoice.shown_number},
                field="amount",
            )
        applied = min(item.amount, due)
        legal_entity = invoice.legal_entity
        if applied > 0:
            paid_before, status_before = invoice.paid, invoice.status
            counted[invoice.pk] = counted.get(invoice.pk, ZERO) + applied
            _settled(invoice, counted[invoice.pk])
            settled_ids.add(invoice.pk)
            changes += _invoice_changes(invoice, paid_before, status_before)
    if legal_entity is None:
        if not default_entity:
            default_entity.append(invoice_defaults(fetched_by=acting_user).legal_entity)
        legal_entity = default_entity[0]
        if legal_entity is None:
            raise Refused(_("Add your legal entity in the constants first: a payment needs a payee."),
                          field="legal_entity")
    if item.amount > applied:
        changes.append({"field": _("Advance"), "old": "", "new": shown(item.amount - applied)})
    return item, invoice, applied, legal_entity, changes


def payment_cancel(*, acting_user: User, payment_id: int, reason: str) -> Payment:
    """Cancels a payment (storno, its own right): it stays with who cancelled it, when and why, and stops counting;
    the invoices it paid get their paid amount, due and status back."""
    if not policies.can_cancel_payment(acting_user):
        raise NotAllowed(_("You have no right to cancel payments."))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say why the payment is cancelled."), field="reason")
    with transaction.atomic():
        payment = locks.payment(payment_id)
        _check_client(acting_user, payment.client)
        if payment.is_cancelled:
            raise Refused(_("The payment is already cancelled."))
        invoice_ids = set(PaymentAllocation.objects.filter(payment=payment).values_list("invoice_id", flat=True))
        invoices = locks.invoices(invoice_ids)
        before = {invoice.pk: (invoice.paid, invoice.status) for invoice in invoices}
        payment.cancelled_at, payment.cancelled_by, payment.cancel_reason = timezone.now(), acting_user, reason
        payment.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        changes = [{"field": _("Cancelled"), "old": "", "new": reason}]
        for invoice in invoices:
            invoice_settle(invoice)
            changes += _invoice_changes(invoice, *before[invoice.pk])
        audit_record(actor=acting_user, event="billing.payment.cancel",
                     summary=_("Payment %(number)s cancelled") % {"number": payment.shown_number}, target=payment,
                     client=payment.client_id, changes=changes, extra={"reason": reason})
    return payment


def _unapplied(payment: Payment) -> Decimal:
    applied = PaymentAllocation.objects.filter(payment=payment).aggregate(total=money_sum("amount"))["total"]
    return payment.amount - applied


def advance_apply(
    *, acting_user: User, payment_id: int, invoice_id: int, amount: Decimal | None = None,
) -> PaymentAllocation:
    """Applies the client's advance left on a payment to one of his invoices: `amount`, or as much as both allow."""
    with transaction.atomic():
        payment = locks.payment(payment_id)
        invoice = locks.invoice(invoice_id)
        _check_client(acting_user, payment.client)
        if invoice.client_id != payment.client_id:
            raise Refused(_("The invoice belongs to another client."), field="invoice")
        if payment.is_cancelled:
            raise Refused(_("The payment is cancelled: it has no advance to apply."))
        invoice_payable(invoice)
        left, due = _unapplied(payment), invoice.gross - invoice.paid
        if left <= 0:
            raise Refused(_("Nothing of payment %(number)s is left to apply.") % {"number": payment.shown_number})
        if due <= 0:
            raise Refused(_("Invoice %(number)s is paid in full.") % {"number": invoice.shown_number},
                          field="invoice")
        amount = min(left, due) if amount is None else amount
        if amount <= 0:
            raise Refused(_("The amount to apply must be greater than zero."), field="amount")
        if amount > left:
            raise Refused(_("Only %(left)s of the payment is left to apply.") % {"left": shown(left)},
                          field="amount")
        if amount > due:
            raise Refused(_("Only %(due)s is due on invoice %(number)s.")
                          % {"due": shown(due), "number": invoice.shown_number}, field="amount")
        allocation = _allocate(acting_user, payment, invoice, amount)
    return allocation


def _allocate(acting_user: User, payment: Payment, invoice: Invoice, amount: Decimal) -> PaymentAllocation:
    paid_before, status_before = invoice.paid, invoice.status
    allocation = PaymentAllocation.objects.create(payment=payment, invoice=invoice, amount=amount,
                                                  created_by=acting_user)
    invoice_settle(invoice)
    changes = [{"field": _("Advance applied"), "old": "", "new": shown(amount)},
               *_invoice_changes(invoice, paid_before, status_before)]
    audit_record(actor=acting_user, event="billing.payment.apply",
                 summary=_("Advance of payment %(payment)s applied to invoice %(invoice)s")
                 % {"payment": payment.shown_number, "invoice": invoice.shown_number},
                 target=payment, client=payment.client_id, changes=changes)
    return allocation


def advances_apply_auto(*, acting_user: User, client: Client) -> list[PaymentAllocation]:
    """Applies the client's advances to his unpaid issued invoices: the oldest payment's money first, to the oldest
    invoice first (by date, then number)."""
    _check_client(acting_user, client)
    made: list[PaymentAllocation] = []
    with transaction.atomic():
        payments = sorted(locks.advances_of(client.pk), key=lambda payment: (payment.date, payment.pk))
        invoices = sorted(locks.open_invoices_of(client.pk), key=lambda invoice: (invoice.date, invoice.pk))
        left = {payment.pk: _unapplied(payment) for payment in payments}
        for payment in payments:
            for invoice in invoices:
                if left[payment.pk] <= 0:
                    break
                due = invoice.gross - invoice.paid
                if due <= 0:
                    continue
                amount = min(left[payment.pk], due)
                made.append(_allocate(acting_user, payment, invoice, amount))
                left[payment.pk] -= amount
    return made
