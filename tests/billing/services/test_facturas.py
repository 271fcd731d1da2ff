"""Invoice-facturas (INV-05): from an invoice, on their own, for an advance (the calculated VAT rate by date), one
order of numbers for both kinds, edits, cancelling, past dates."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.accounts.models import UserRight
from kontora.accounts.policies import forget
from kontora.billing.models import InvoiceFactura
from kontora.billing.services.acts import ActData, act_create
from kontora.billing.services.documents import FacturaLineData
from kontora.billing.services.facturas import (
    FacturaData,
    FacturaHeader,
    factura_advance,
    factura_cancel,
    factura_create,
    factura_from_invoice,
    factura_update,
)
from kontora.billing.services.payments import Overpayment, advance_apply, payment_record
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent
from kontora.core.services.organisation import tax_regime_add
from tests.billing.factories import issued_invoice, line
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db

NEW_YEARS_EVE = datetime.date(2025, 12, 31)
NEW_YEAR = datetime.date(2026, 1, 1)


def _today() -> datetime.date:
    return timezone.localdate()


@pytest.mark.feature("INV-05")
@pytest.mark.parametrize(("on", "vat", "rate"), [
    (NEW_YEARS_EVE, Decimal("20.00"), Decimal(20)),  # 20/120 of 120.00
    (NEW_YEAR, Decimal("21.64"), Decimal(22)),  # 22/122 of 120.00 = 21.639…
])
def test_an_advance_invoice_factura_counts_vat_at_the_calculated_rate_of_its_date(
    admin_user: Any, our_entity: Any, on: datetime.date, vat: Decimal, rate: Decimal,
) -> None:
    # given a client's advance of 120.00 received on the day
    client = ClientFactory()
    payment = payment_record(acting_user=admin_user, client=client, date=on, amount=Decimal("120.00"),
                             bank_document="77")
    # when an advance invoice-factura is issued for it
    factura = factura_advance(acting_user=admin_user, payment_id=payment.pk, date=on)
    # then VAT is r/(100 + r) of the advance, the line names the advance, line 5 the payment
    assert factura.kind == InvoiceFactura.Kind.ADVANCE and factura.payment == payment
    assert (factura.gross, factura.vat, factura.net) == (Decimal("120.00"), vat, Decimal("120.00") - vat)
    row = factura.lines.get()
    assert row.vat_rate == rate and row.name.startswith("Предварительная оплата")
    assert factura.payment_document == f"№ 77 от {on:%d.%m.%Y}"
    assert AuditEvent.objects.filter(event="billing.factura.create", client_id=client.pk).exists()


@pytest.mark.feature("INV-05")
def test_an_advance_invoice_factura_covers_only_the_unapplied_advance_once(admin_user: Any,
                                                                          our_entity: Any) -> None:
    client = ClientFactory()
    invoice = issued_invoice(admin_user, client, "100.00")
    # given a payment of 150.00 on an invoice of 100.00, the excess kept as the advance
    payment = payment_record(acting_user=admin_user, client=client, invoice=invoice, date=_today(),
                             amount=Decimal("150.00"), overpayment=Overpayment.ADVANCE)
    # more than the 50.00 left is refused next to the amount
    with pytest.raises(Refused) as refused:
        factura_advance(acting_user=admin_user, payment_id=payment.pk, amount=Decimal("50.01"))
    assert refused.value.field == "amount"
    # 30.00 of it, then the 20.00 left
    first = factura_advance(acting_user=admin_user, payment_id=payment.pk, amount=Decimal("30.00"))
    second = factura_advance(acting_user=admin_user, payment_id=payment.pk)
    assert (first.gross, second.gross) == (Decimal("30.00"), Decimal("20.00"))
    assert (first.number, second.number) == (1, 2)
    # and nothing more; cancelling one gives its amount back
    with pytest.raises(Refused):
        factura_advance(acting_user=admin_user, payment_id=payment.pk)
    factura_cancel(acting_user=admin_user, factura_id=first.pk, reason="Ошибка в сумме")
    assert factura_advance(acting_user=admin_user, payment_id=payment.pk).gross == Decimal("30.00")


@pytest.mark.feature("INV-05")
def test_a_simplified_regime_advance_takes_its_reduced_calculated_rate(admin_user: Any, our_entity: Any) -> None:
    tax_regime_add(acting_user=admin_user, entity_id=our_entity.pk, regime="simplified_vat", valid_from=NEW_YEAR,
                   reduced_rate=Decimal(5))
    payment = payment_record(acting_user=admin_user, client=ClientFactory(), date=NEW_YEAR,
                             amount=Decimal("105.00"))
    factura = factura_advance(acting_user=admin_user, payment_id=payment.pk, date=NEW_YEAR)
    assert (factura.vat, factura.lines.get().vat_rate) == (Decimal("5.00"), Decimal(5))


@pytest.mark.feature("INV-05")
def test_an_invoice_factura_from_an_invoice_copies_it_and_names_the_payments_and_advance_facturas(
    admin_user: Any, our_entity: Any,
) -> None:
    client = ClientFactory()
    # given an advance with its advance invoice-factura, then an invoice the advance is applied to
    advance = payment_record(acting_user=admin_user, client=client, date=_today(), amount=Decimal("50.00"),
                             bank_document="12")
    advance_factura = factura_advance(acting_user=admin_user, payment_id=advance.pk)
    invoice = issued_invoice(admin_user, client, "122.00", "61.00")
    advance_apply(acting_user=admin_user, payment_id=advance.pk, invoice_id=invoice.pk)
    # when an invoice-factura is entered from the invoice, its second line left out
    factura = factura_from_invoice(acting_user=admin_user, invoice_id=invoice.pk, dropped=[2],
                                   header=FacturaHeader(consignee="ООО «Получатель», Москва"))
    # then it is the invoice's first line, line 5 names the payment and 5б the advance invoice-factura
    assert factura.kind == InvoiceFactura.Kind.ORDINARY and factura.invoice == invoice
    assert [(row.name, row.gross) for row in factura.lines.all()] == [("Услуга", Decimal("122.00"))]
    assert (factura.gross, factura.vat) == (Decimal("122.00"), Decimal("22.00"))
    assert factura.payment_document == f"№ 12 от {_today():%d.%m.%Y}"
    assert factura.advance_facturas == f"№ {advance_factura.number} от {_today():%d.%m.%Y}"
    assert factura.consignee == "ООО «Получатель», Москва" and factura.currency_code == "643"
    # one order of numbers for both kinds
    assert (advance_factura.number, factura.number) == (1, 2)


@pytest.mark.feature("INV-05")
def test_invoice_factura_numbers_are_their_own_apart_from_acts(admin_user: Any, our_entity: Any) -> None:
    client = ClientFactory()
    act_create(acting_user=admin_user, data=ActData(client=client, date=_today(), lines=[line("1.00")]))
    factura = factura_create(acting_user=admin_user, data=FacturaData(client=client, date=_today(), lines=[
        FacturaLineData(name="Станок", quantity=Decimal(1), price=Decimal("1220.00"), vat_rate=Decimal(22),
                        unit="шт", unit_code="796", country_code="156", country_name="Китай",
                        customs_declaration="10702010/010126/0000001")]))
    assert factura.number == 1
    row = factura.lines.get()
    assert (row.unit_code, row.country_code, row.country_name, row.customs_declaration) == (
        "796", "156", "Китай", "10702010/010126/0000001")


@pytest.mark.feature("INV-05")
def test_an_invoice_factura_is_changed_while_not_cancelled_and_its_advance_line_is_kept(
    admin_user: Any, our_entity: Any,
) -> None:
    client = ClientFactory()
    factura = factura_from_invoice(acting_user=admin_user,
                                   invoice_id=issued_invoice(admin_user, client, "100.00").pk)
    changed = factura_update(acting_user=admin_user, factura_id=factura.pk, date=factura.date,
                             header=FacturaHeader(shipper="он же", government_contract="1234567890"),
                             note="поправка")
    assert (changed.shipper, changed.government_contract, changed.gross) == ("он же", "1234567890",
                                                                            Decimal("100.00"))
    with pytest.raises(Refused) as refused:
        factura_update(acting_user=admin_user, factura_id=factura.pk, date=factura.date,
                       header=FacturaHeader(government_contract="1" * 26))
    assert refused.value.field == "government_contract"
    payment = payment_record(acting_user=admin_user, client=client, date=_today(), amount=Decimal("10.00"))
    advance = factura_advance(acting_user=admin_user, payment_id=payment.pk)
    with pytest.raises(Refused) as refused:
        factura_update(acting_user=admin_user, factura_id=advance.pk, date=advance.date, header=FacturaHeader(),
                       lines=[line("1.00")])
    assert refused.value.field == "lines"
    factura_cancel(acting_user=admin_user, factura_id=factura.pk, reason="Неверный покупатель")
    with pytest.raises(Refused):
        factura_update(acting_user=admin_user, factura_id=factura.pk, date=factura.date, header=FacturaHeader())


@pytest.mark.feature("INV-05")
def test_cancelling_an_invoice_factura_needs_the_right(manager_user: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    factura = factura_from_invoice(acting_user=manager_user,
                                   invoice_id=issued_invoice(manager_user, client, "10.00").pk)
    with pytest.raises(NotAllowed):
        factura_cancel(acting_user=manager_user, factura_id=factura.pk, reason="ошибка")
    assert InvoiceFactura.objects.get(pk=factura.pk).status == InvoiceFactura.Status.ISSUED
    # positive control: granted the right, he cancels it
    UserRight.objects.create(user=manager_user, code="cancel_invoices")
    forget(manager_user)
    assert factura_cancel(acting_user=manager_user, factura_id=factura.pk,
                          reason="ошибка").status == InvoiceFactura.Status.CANCELLED


@pytest.mark.feature("INV-05")
def test_a_back_dated_advance_invoice_factura_is_refused_without_the_right(manager_user: Any,
                                                                          our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    payment = payment_record(acting_user=manager_user, client=client, date=_today(), amount=Decimal("10.00"))
    with pytest.raises(Refused) as refused:
        factura_advance(acting_user=manager_user, payment_id=payment.pk, date=_today() - datetime.timedelta(days=1))
    assert refused.value.field == "date"
    assert not InvoiceFactura.objects.exists()
    assert factura_advance(acting_user=manager_user, payment_id=payment.pk).shown_number == "АМ-1"
