"""Payments (INV-04): partial, full and over payments, advances applied by hand and oldest first, storno, and two
payments at once that together would overpay."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.billing.models import Invoice, Payment
from kontora.billing.selectors.invoices import client_advance, invoice_payments
from kontora.billing.services.invoices import invoice_cancel
from kontora.billing.services.payments import (
    Overpayment,
    advance_apply,
    advances_apply_auto,
    payment_cancel,
    payment_record,
)
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent
from tests.billing.factories import issued_invoice, payee, shipped_vat_rates
from tests.clients.factories import ClientFactory
from tests.support.threads import at_once

TODAY = timezone.localdate


def _pay(user: Any, client: Any, amount: str, invoice: Invoice | None = None, **kwargs: Any) -> Payment:
    return payment_record(acting_user=user, client=client, invoice=invoice, date=TODAY(), amount=Decimal(amount),
                          **kwargs)


def _state(invoice: Invoice) -> tuple[str, Decimal, Decimal]:
    invoice.refresh_from_db()
    return invoice.status, invoice.paid, invoice.due


@pytest.mark.django_db
@pytest.mark.feature("INV-04")
def test_partial_payments_add_up_to_paid(manager_user: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "1000.00")
    # when 400 and then 600 are paid
    first = _pay(manager_user, client, "400.00", invoice, payer="ООО Ромашка", bank_document="123")
    assert _state(invoice) == (Invoice.Status.PARTLY_PAID, Decimal("400.00"), Decimal("600.00"))
    _pay(manager_user, client, "600.00", invoice, kind=Payment.Kind.CASH)
    # then the invoice is paid, nothing due; the payments are numbered with the author's prefix
    assert _state(invoice) == (Invoice.Status.PAID, Decimal("1000.00"), Decimal("0.00"))
    assert first.shown_number == "АМ-1"
    assert [p.applied for p in invoice_payments(fetched_by=manager_user, invoice=invoice)] == [
        Decimal("400.00"), Decimal("600.00")]
    assert AuditEvent.objects.filter(event="billing.payment.record", client_id=client.pk).count() == 2


@pytest.mark.django_db
@pytest.mark.feature("INV-04")
def test_an_overpayment_is_refused_or_kept_as_an_advance_as_asked(manager_user: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    # when more than is due is paid and the excess is refused
    with pytest.raises(Refused) as refused:
        _pay(manager_user, client, "150.00", invoice)
    # then nothing is saved and the message says why
    assert refused.value.field == "amount"
    assert refused.value.message == ("Оплата 150,00 больше, чем осталось оплатить по счёту АМ-1 (100,00): "
                                     "уменьшите её или оставьте излишек авансом клиента.")
    assert not Payment.objects.exists()
    assert _state(invoice) == (Invoice.Status.ISSUED, Decimal(0), Decimal("100.00"))
    # when the excess is kept as an advance
    _pay(manager_user, client, "150.00", invoice, overpayment=Overpayment.ADVANCE)
    # then the invoice is paid and 50 stays the client's advance
    assert _state(invoice) == (Invoice.Status.PAID, Decimal("100.00"), Decimal(0))
    assert client_advance(fetched_by=manager_user, client=client) == Decimal("50.00")


@pytest.mark.django_db
@pytest.mark.feature("INV-04")
def test_an_advance_is_applied_later_by_hand_and_oldest_invoice_first(manager_user: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    # given an advance of 300 received before any invoice
    advance = _pay(manager_user, client, "300.00")
    assert advance.invoice is None
    assert client_advance(fetched_by=manager_user, client=client) == Decimal("300.00")
    first, second, third = (issued_invoice(manager_user, client, price) for price in ("50.00", "200.00", "100.00"))
    # when the user applies 30 to the second invoice
    advance_apply(acting_user=manager_user, payment_id=advance.pk, invoice_id=second.pk, amount=Decimal("30.00"))
    assert _state(second) == (Invoice.Status.PARTLY_PAID, Decimal("30.00"), Decimal("170.00"))
    # and more than is left is refused
    with pytest.raises(Refused):
        advance_apply(acting_user=manager_user, payment_id=advance.pk, invoice_id=third.pk, amount=Decimal("271"))
    # when the rest is applied automatically
    advances_apply_auto(acting_user=manager_user, client=client)
    # then the oldest invoices are paid first: 50 to the first, 170 to the second, the last 50 to the third
    assert _state(first) == (Invoice.Status.PAID, Decimal("50.00"), Decimal(0))
    assert _state(second) == (Invoice.Status.PAID, Decimal("200.00"), Decimal(0))
    assert _state(third) == (Invoice.Status.PARTLY_PAID, Decimal("50.00"), Decimal("50.00"))
    assert client_advance(fetched_by=manager_user, client=client) == Decimal(0)


@pytest.mark.django_db
@pytest.mark.feature("INV-04")
def test_a_cancelled_payment_gives_the_invoice_its_due_back(manager_user: Any, admin_user: Any,
                                                            our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    small = _pay(manager_user, client, "40.00", invoice)
    rest = _pay(manager_user, client, "60.00", invoice)
    # a manager has no right to cancel payments, and a reason is required
    with pytest.raises(NotAllowed):
        payment_cancel(acting_user=manager_user, payment_id=rest.pk, reason="ошибка")
    with pytest.raises(Refused):
        payment_cancel(acting_user=admin_user, payment_id=rest.pk, reason=" ")
    # when the administrator cancels the 60
    payment_cancel(acting_user=admin_user, payment_id=rest.pk, reason="возврат банком")
    # then the invoice is partly paid again; the payment stays, cancelled, with who and why
    assert _state(invoice) == (Invoice.Status.PARTLY_PAID, Decimal("40.00"), Decimal("60.00"))
    rest.refresh_from_db()
    assert rest.is_cancelled and rest.cancelled_by == admin_user and rest.cancel_reason == "возврат банком"
    with pytest.raises(Refused):
        payment_cancel(acting_user=admin_user, payment_id=rest.pk, reason="ещё раз")
    # when the other is cancelled too, the invoice is back to issued and may be cancelled
    payment_cancel(acting_user=admin_user, payment_id=small.pk, reason="ошибка")
    assert _state(invoice) == (Invoice.Status.ISSUED, Decimal(0), Decimal("100.00"))
    assert Payment.objects.count() == 2
    invoice_cancel(acting_user=admin_user, invoice_id=invoice.pk)
    # and a cancelled invoice cannot be paid
    with pytest.raises(Refused) as refused:
        _pay(manager_user, client, "1.00", invoice)
    assert refused.value.field == "invoice"


@pytest.mark.django_db
@pytest.mark.feature("INV-04")
def test_bad_payments_are_refused(manager_user: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    for amount in ("0", "-5"):
        with pytest.raises(Refused) as refused:
            _pay(manager_user, client, amount, invoice)
        assert refused.value.field == "amount"
    with pytest.raises(Refused) as refused:
        payment_record(acting_user=manager_user, client=client, invoice=invoice, amount=Decimal(1),
                       date=TODAY().replace(year=TODAY().year - 1))
    assert refused.value.field == "date"
    # an invoice of another client is refused
    other = ClientFactory(curator=manager_user)
    with pytest.raises(Refused):
        _pay(manager_user, other, "1.00", invoice)
    assert not Payment.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.feature("INV-04")
def test_two_payments_at_once_cannot_together_overpay(manager_user: Any) -> None:
    # given an invoice of 1000 (committed: each thread has its own connection)
    payee()
    shipped_vat_rates()
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "1000.00")
    # when two payments of 600 are recorded at the same moment
    results, errors = at_once(2, lambda: _pay(manager_user, client, "600.00", invoice))
    # then one is recorded and the other, seeing the first under the invoice's lock, is refused
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], Refused)
    assert _state(invoice) == (Invoice.Status.PARTLY_PAID, Decimal("600.00"), Decimal("400.00"))
    # and with the excess kept as an advance both are recorded, the invoice paid exactly once
    results, errors = at_once(2, lambda: _pay(manager_user, client, "300.00", invoice,
                                               overpayment=Overpayment.ADVANCE))
    assert errors == [] and len(results) == 2
    assert _state(invoice) == (Invoice.Status.PAID, Decimal("1000.00"), Decimal(0))
    assert client_advance(fetched_by=manager_user, client=client) == Decimal("200.00")


@pytest.mark.django_db
@pytest.mark.feature("INV-04")
def test_payments_are_locked_before_invoices_and_the_invoice_row_is_locked(
    manager_user: Any, admin_user: Any, our_entity: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kontora.billing import locks

    # given every lock of billing recorded as it is taken
    taken: list[str] = []
    for name in ("invoice", "invoices", "payment", "advances_of", "open_invoices_of"):
        original = getattr(locks, name)

        def recorded(*args: Any, _name: str = name, _original: Any = original, **kwargs: Any) -> Any:
            taken.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(locks, name, recorded)
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    # when a payment is recorded, an advance applied by hand and automatically, and a payment cancelled
    taken.clear()
    with CaptureQueriesContext(connection) as queries:
        payment = _pay(manager_user, client, "30.00", invoice)
    assert taken == ["invoice"]
    if connection.vendor == "postgresql":  # SQLite has no row locks: its writers queue for the whole base
        locking = [query["sql"] for query in queries if "FOR NO KEY UPDATE" in query["sql"]]
        assert any('"billing_invoice"' in sql for sql in locking)
    advance = _pay(manager_user, client, "50.00")
    taken.clear()
    advance_apply(acting_user=manager_user, payment_id=advance.pk, invoice_id=invoice.pk, amount=Decimal("10"))
    advances_apply_auto(acting_user=manager_user, client=client)
    payment_cancel(acting_user=admin_user, payment_id=payment.pk, reason="ошибка")
    # then payments are always locked before invoices (no two services can wait for each other in a circle)
    assert taken == ["payment", "invoice", "advances_of", "open_invoices_of", "payment", "invoices"]
    assert _state(invoice) == (Invoice.Status.PARTLY_PAID, Decimal("50.00"), Decimal("50.00"))


@pytest.mark.django_db
@pytest.mark.feature("INV-04")
def test_a_draft_invoice_takes_no_money_until_it_is_issued(manager_user: Any, our_entity: Any) -> None:
    from kontora.billing.services.invoices import InvoiceData, invoice_create, invoice_issue
    from tests.billing.factories import line

    client = ClientFactory(curator=manager_user)
    draft = invoice_create(acting_user=manager_user, data=InvoiceData(client=client, date=TODAY(),
                                                                      lines=[line("100.00")]))
    advance = _pay(manager_user, client, "30.00")
    # when a payment names the draft, or an advance is applied to it
    with pytest.raises(Refused) as refused:
        _pay(manager_user, client, "10.00", draft)
    # then both are refused next to the invoice, and nothing is counted
    assert refused.value.field == "invoice"
    assert refused.value.message == "Счёт АМ-1 — черновик: сначала выставьте его, затем вводите оплату."
    with pytest.raises(Refused):
        advance_apply(acting_user=manager_user, payment_id=advance.pk, invoice_id=draft.pk)
    assert Payment.objects.count() == 1
    assert _state(draft) == (Invoice.Status.DRAFT, Decimal(0), Decimal("100.00"))
    # once issued, it is paid
    invoice_issue(acting_user=manager_user, invoice_id=draft.pk)
    _pay(manager_user, client, "10.00", draft)
    assert _state(draft) == (Invoice.Status.PARTLY_PAID, Decimal("10.00"), Decimal("90.00"))
