"""A sale's payment method takes the payments' kinds (migration billing 0003_payment_kinds): a sale paid by
non-cash before the upgrade keeps saying so after it (SAL-01)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from kontora.billing.models import PaymentKind, Sale
from tests.billing.factories import SaleFactory
from tests.support.migrations import migrate_latest, migrate_to

pytestmark = pytest.mark.feature("SAL-01")


def _before_kinds() -> list[tuple[str, str]]:
    """What the migration follows (whatever the billing chain is when branches are merged)."""
    return list(MigrationLoader(connection).get_migration("billing", "0003_payment_kinds").dependencies)


@pytest.fixture
def before_kinds(transactional_db: Any) -> Iterator[None]:
    migrate_to(_before_kinds())
    yield
    migrate_latest()


def test_a_non_cash_sale_keeps_its_method_and_a_cash_one_too(before_kinds: None) -> None:
    # given sales stored with the old sales' own codes (the schema is the same, only the stored code differs)
    noncash, cash = SaleFactory(), SaleFactory()
    Sale.objects.filter(pk=noncash.pk).update(payment_method="noncash")
    Sale.objects.filter(pk=cash.pk).update(payment_method="cash")
    # when the base is upgraded
    migrate_latest()
    # then they are the payments' kinds, shown as such
    noncash.refresh_from_db()
    cash.refresh_from_db()
    assert (noncash.payment_method, cash.payment_method) == (PaymentKind.NON_CASH, PaymentKind.CASH)
    assert noncash.get_payment_method_display() == "безналичные"
