"""Payments recorded in a batch (INV-04, a bank statement's «Провести»): the same payments, allocations, invoices'
dues and statuses, goals and audit rows as recording them one by one; the same refusals, naming the item; a number
of queries that does not grow with the lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kontora.billing.models import Invoice, Payment, PaymentAllocation
from kontora.billing.services.payments import (
    PAID_GOAL,
    Overpayment,
    PaymentItem,
    payment_record,
    payments_record_many,
)
from kontora.billing.services.statement import statement_load, statement_record
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent, BankAccount
from kontora.targeting.models import Achievement
from tests.billing.factories import issued_invoice, statement_document, statement_file
from tests.clients.factories import ClientFactory
from tests.targeting.factories import make_goal

pytestmark = [pytest.mark.django_db, pytest.mark.feature("INV-04")]


class _Undo(Exception):
    """Rolls the one-by-one recording back, so the batch starts from the same base (and the same numbers)."""


def _rows(since: int) -> dict[str, Any]:
    """What recording left in the base, the payments' keys replaced by their order (they differ between runs)."""
    payments = list(Payment.objects.order_by("pk"))
    order = {payment.pk: n for n, payment in enumerate(payments)}
    return {
        "payments": [(p.client_id, p.invoice_id, p.legal_entity_id, p.date, p.amount, p.kind, p.payer, p.bank_document,
                      p.number, p.number_year, p.prefix, p.note, p.author_id, p.cancelled_at) for p in payments],
        "allocations": [(order[a.payment_id], a.invoice_id, a.amount, a.created_by_id)
                        for a in PaymentAllocation.objects.order_by("pk")],
        "invoices": list(Invoice.objects.order_by("pk").values_list("pk", "status", "paid", "due")),
        "audit": [(e.event, e.summary, e.target_type, order.get(e.target_id), e.client_id, e.changes, e.extra,
                   e.actor_id) for e in AuditEvent.objects.filter(pk__gt=since).order_by("pk")],
        "achievements": sorted(Achievement.objects.values_list("source", "source_id", "user_id", "goal_id", "weight")),
    }


def test_a_batch_leaves_the_same_rows_as_payments_recorded_one_by_one(manager_user: Any, admin_user: Any,
                                                                      our_entity: Any) -> None:
    make_goal(admin_user, kind=PAID_GOAL, weight=Decimal("2"))
    a, b = ClientFactory(curator=manager_user), ClientFactory(curator=manager_user)
    a1, a2 = issued_invoice(manager_user, a, "1000.00"), issued_invoice(manager_user, a, "500.00")
    b1 = issued_invoice(manager_user, b, "300.00")
    today = timezone.localdate()
    advance = Overpayment.ADVANCE
    items = [
        PaymentItem(client=a, invoice=a1, date=today, amount=Decimal("400.00"), payer="ООО «А»", bank_document="1"),
        PaymentItem(client=a, invoice=a2, date=today, amount=Decimal("700.00"), overpayment=advance, note="сверх"),
        PaymentItem(client=b, date=today, amount=Decimal("250.00"), legal_entity=our_entity, kind=Payment.Kind.CASH),
        PaymentItem(client=a, invoice=a1, date=today, amount=Decimal("600.00"), bank_document="2"),
        PaymentItem(client=b, invoice=b1, date=today, amount=Decimal("300.00")),
        PaymentItem(client=a, invoice=a1, date=today, amount=Decimal("50.00"), overpayment=advance),
    ]
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # when the mixed set is recorded one by one (then undone), and as one batch
    try:
        with transaction.atomic():
            for item in items:
                payment_record(acting_user=manager_user, client=item.client, invoice=item.invoice, date=item.date,
                               amount=item.amount, kind=item.kind, payer=item.payer, bank_document=item.bank_document,
                               note=item.note, overpayment=item.overpayment, legal_entity=item.legal_entity)
            one_by_one = _rows(since)
            raise _Undo
    except _Undo:
        pass
    assert not Payment.objects.exists()
    for invoice in (a1, a2, b1):
        invoice.refresh_from_db()
    with transaction.atomic():
        made = payments_record_many(acting_user=manager_user, items=items)
    # then the rows are the same: partial then full, overpaid with the excess an advance, an advance without invoice
    assert _rows(since) == one_by_one
    assert [p.shown_number for p in made] == ["АМ-1", "АМ-2", "АМ-3", "АМ-4", "АМ-5", "АМ-6"]
    assert one_by_one["invoices"] == [(a1.pk, Invoice.Status.PAID, Decimal("1000.00"), Decimal("0.00")),
                                      (a2.pk, Invoice.Status.PAID, Decimal("500.00"), Decimal("0.00")),
                                      (b1.pk, Invoice.Status.PAID, Decimal("300.00"), Decimal("0.00"))]
    assert len(one_by_one["achievements"]) == 3 and len(one_by_one["audit"]) == 6


def test_a_refused_item_is_named_and_nothing_of_the_batch_is_recorded(manager_user: Any, admin_user: Any,
                                                                      our_entity: Any) -> None:
    a, other = ClientFactory(curator=manager_user), ClientFactory(curator=admin_user)
    a1 = issued_invoice(manager_user, a, "1000.00")
    today = timezone.localdate()
    fine = PaymentItem(client=a, invoice=a1, date=today, amount=Decimal("400.00"))
    # when the second item pays more than is due, without the excess kept as an advance
    with pytest.raises(Refused) as refused, transaction.atomic():
        payments_record_many(acting_user=manager_user, items=[
            fine, PaymentItem(client=a, invoice=a1, date=today, amount=Decimal("700.00"))])
    # then it is payment_record's refusal, and nothing is recorded
    assert refused.value.message.startswith("Оплата 700,00 больше, чем осталось оплатить по счёту АМ-1 (600,00)")
    assert refused.value.field == "amount"
    # a client whose card he may not edit: refused as payment_record refuses it, the item named by the caller
    with pytest.raises(NotAllowed) as denied, transaction.atomic():
        payments_record_many(acting_user=manager_user, refused_as=lambda n, r: NotAllowed(f"{n}: {r.message}"),
                             items=[fine, PaymentItem(client=other, date=today, amount=Decimal("1.00"),
                                                      legal_entity=our_entity)])
    assert denied.value.message.startswith("1: ")
    assert not Payment.objects.exists() and not AuditEvent.objects.filter(event="billing.payment.record").exists()
    # positive control: the fine item alone is recorded
    with transaction.atomic():
        payments_record_many(acting_user=manager_user, items=[fine])
    a1.refresh_from_db()
    assert (a1.status, a1.due) == (Invoice.Status.PARTLY_PAID, Decimal("600.00"))


def test_recording_a_statement_takes_queries_that_do_not_grow_with_the_lines(manager_user: Any, admin_user: Any,
                                                                            our_entity: Any) -> None:
    make_goal(admin_user, kind=PAID_GOAL, weight=Decimal("1"))
    to = BankAccount.objects.get(legal_entity=our_entity).account
    counts = []
    for round_, size in enumerate((1, 3, 12)):
        documents = []
        for n in range(size):
            inn = f"77{round_}{n:07d}"
            client = ClientFactory(curator=manager_user, inn=inn)
            invoice = issued_invoice(manager_user, client, "1000.00")
            # a full payment by the invoice's number, a partial one by number, an advance of a known payer
            documents += [
                statement_document(f"{round_}-{n}-1", "1000.00", f"Оплата по счёту № АМ-{invoice.number}", inn=inn,
                                   to=to),
                statement_document(f"{round_}-{n}-2", "100.00", "Предоплата", inn=inn, to=to),
            ]
        statement = statement_load(acting_user=manager_user, data=statement_file(to, *documents),
                                   filename=f"{round_}.txt")
        with CaptureQueriesContext(connection) as captured:
            done = statement_record(acting_user=manager_user, statement_id=statement.pk)
        assert done.recorded == 2 * size
        counts.append(len(captured))
    assert Payment.objects.count() == 32 and Achievement.objects.count() == 16
    assert counts[1] == counts[2] <= 30
