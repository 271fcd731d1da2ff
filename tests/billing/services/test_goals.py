"""Targeting's goal «Счёт оплачен» (TGT-01, INV-04): an invoice paid in full — by payments or an advance applied —
is its author's goal reached; a cancelled payment that leaves it unpaid takes the achievement back."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.billing.models import Invoice, Payment
from kontora.billing.services.payments import (
    PAID_GOAL,
    Overpayment,
    advance_apply,
    payment_cancel,
    payment_record,
)
from kontora.targeting.hooks import GOAL_KINDS
from kontora.targeting.models import Achievement
from tests.billing.factories import issued_invoice
from tests.clients.factories import ClientFactory
from tests.targeting.factories import make_goal, units_of

pytestmark = [pytest.mark.django_db, pytest.mark.feature("TGT-01", "INV-04")]


def _pay(user: Any, client: Any, amount: str, invoice: Invoice | None = None, **kwargs: Any) -> Payment:
    return payment_record(acting_user=user, client=client, invoice=invoice, date=timezone.localdate(),
                          amount=Decimal(amount), **kwargs)


@pytest.fixture
def goal(admin_user: Any) -> Any:
    return make_goal(admin_user, kind=PAID_GOAL, weight=Decimal("2"))


def test_the_goal_kind_is_offered_by_billing() -> None:
    assert PAID_GOAL in GOAL_KINDS
    assert str(GOAL_KINDS.get(PAID_GOAL).label) == "Счёт оплачен"
    assert not GOAL_KINDS.get(PAID_GOAL).by_event_type


def test_an_invoice_paid_in_full_is_its_authors_goal_and_a_cancelled_payment_takes_it_back(
        manager_user: Any, admin_user: Any, our_entity: Any, goal: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "1000.00")
    # a part paid reaches nothing
    _pay(manager_user, client, "400.00", invoice)
    assert units_of(manager_user) == 0
    # when the rest is paid — by the administrator — the invoice's author earns the goal's weight
    rest = _pay(admin_user, client, "600.00", invoice)
    assert units_of(manager_user) == Decimal("2") and units_of(admin_user) == 0
    assert Achievement.objects.filter(source="invoice", source_id=invoice.pk, goal=goal).count() == 1
    # when that payment is cancelled the invoice is unpaid again, and the achievement is taken back
    payment_cancel(acting_user=admin_user, payment_id=rest.pk, reason="возврат банком")
    assert units_of(manager_user) == 0
    # paid again: reached again, once
    _pay(manager_user, client, "600.00", invoice)
    assert units_of(manager_user) == Decimal("2")
    assert Achievement.objects.filter(source="invoice", source_id=invoice.pk).count() == 1


def test_an_advance_applied_that_pays_the_invoice_reaches_the_goal(
        manager_user: Any, our_entity: Any, goal: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "300.00")
    advance = _pay(manager_user, client, "500.00", overpayment=Overpayment.ADVANCE)
    assert units_of(manager_user) == 0
    advance_apply(acting_user=manager_user, payment_id=advance.pk, invoice_id=invoice.pk)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID and units_of(manager_user) == Decimal("2")


def test_an_inactive_goal_is_not_reached(manager_user: Any, admin_user: Any, our_entity: Any) -> None:
    make_goal(admin_user, kind=PAID_GOAL, weight=Decimal("1"), is_active=False)
    client = ClientFactory(curator=manager_user)
    _pay(manager_user, client, "100.00", issued_invoice(manager_user, client, "100.00"))
    assert units_of(manager_user) == 0
