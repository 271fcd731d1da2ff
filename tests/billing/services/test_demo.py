"""`kontora demo`'s money side (issue 18): invoices with lines in every status, payments, sales and works — totals
as the services count them, numbers that the numbering service continues, deterministic for a seed."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone, translation

from kontora.billing import demo
from kontora.billing.demo import billing_fill
from kontora.billing.models import Invoice, InvoiceLine, Payment, PaymentAllocation, Sale, Work
from kontora.billing.selectors.amounts import Line, line_amounts
from kontora.billing.services.invoices import InvoiceData, invoice_create
from kontora.billing.services.payments import payment_record
from kontora.clients.demo import demo_fill
from kontora.clients.models import Client
from kontora.core.models import LegalEntity, NumberCounter
from kontora.core.money import money_sum
from kontora.directories.models import NomenclatureItem, NomenclatureWord
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice, line, payee
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _filled(clients: int = 120, invoices: int = 1_500, sales: int = 90, works: int = 70, seed: int = 3,
            **kwargs: Any) -> Any:
    result = demo_fill(clients=clients, seed=seed)
    return billing_fill(first_code=result.first_code, invoices=invoices, sales=sales, works=works,
                        users=list(result.user_ids), seed=seed, **kwargs)


@pytest.mark.feature("INV-01")
def test_the_fill_writes_invoices_in_every_status_with_payments_sales_and_works():
    # when
    result = _filled()
    # then
    assert result.invoices == Invoice.objects.count() == 1_500
    assert result.lines == InvoiceLine.objects.count() > 1_500
    assert result.payments == Payment.objects.count()
    assert (result.sales, result.works) == (Sale.objects.count(), Work.objects.count()) == (90, 70)
    statuses = dict(Invoice.objects.values_list("status").annotate(n=Count("id")))
    assert set(statuses) == set(Invoice.Status.values), statuses
    assert statuses[Invoice.Status.PAID] > statuses[Invoice.Status.ISSUED] > 0
    # payments: partial ones adding up, advances (applied and not), overpayments, cancelled ones; cash and non-cash
    assert Invoice.objects.annotate(n=Count("allocations")).filter(status=Invoice.Status.PAID, n=2).exists()
    assert Payment.objects.filter(invoice__isnull=True, allocations__isnull=False).exists()  # advance applied
    assert Payment.objects.filter(invoice__isnull=True, allocations__isnull=True).exists()  # advance kept
    assert Payment.objects.filter(cancelled_at__isnull=False).exclude(cancel_reason="").exists()
    assert {kind for kind, in Payment.objects.values_list("kind").distinct()} == set(Payment.Kind.values)
    today = timezone.localdate()
    assert not Invoice.objects.filter(date__gt=today).exists() and not Payment.objects.filter(date__gt=today).exists()
    # every row belongs to the demo's clients; payers are the clients' names
    demo_clients = set(Client.objects.values_list("pk", flat=True))
    assert set(Invoice.objects.values_list("client_id", flat=True)) <= demo_clients
    payment = Payment.objects.select_related("client").first()
    assert payment is not None and payment.payer == payment.client.full_name
    # lines come from the nomenclature, which got a small catalogue (the demo base had none), findable by its words
    assert result.items_added == NomenclatureItem.objects.count() == len(demo.CATALOGUE)
    assert not InvoiceLine.objects.filter(item__isnull=True).exists()
    assert NomenclatureWord.objects.filter(tail__startswith="картридж").exists()
    # sales are of goods, works have their receiver, both paid or not with the payment's date
    assert not Sale.objects.filter(paid=True, paid_on__isnull=True).exists()
    assert Sale.objects.filter(paid=False).exists() and Work.objects.filter(receiver__isnull=False).exists()


@pytest.mark.feature("INV-03")
def test_the_totals_are_the_sums_of_lines_priced_as_the_services_price_them():
    # when
    _filled(invoices=800)
    # then every line is priced by selectors.amounts and the invoice's totals are the sums of its lines
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    rates = {Decimal(20): 0, Decimal(22): 0}
    for row in InvoiceLine.objects.select_related("invoice"):
        amounts = line_amounts(Line(quantity=row.quantity, price=row.price, discount=row.discount,
                                    vat_rate=row.vat_rate, vat_included=row.invoice.vat_included))
        assert (amounts.net, amounts.vat, amounts.gross) == (row.net, row.vat, row.gross), row.pk
        for n, value in enumerate((row.net, row.vat, row.gross)):
            sums[row.invoice_id][n] += value
        if row.vat_rate in rates:  # the basic rate in force on the invoice's date (20 % in 2025, 22 % after)
            assert row.vat_rate == (Decimal(22) if row.invoice.date.year >= 2026 else Decimal(20))
            rates[row.vat_rate] += 1
    assert all(rates.values()), rates
    invoices = list(Invoice.objects.all())
    for invoice in invoices:
        assert [invoice.net, invoice.vat, invoice.gross] == sums[invoice.pk], invoice.pk
    # and the SQL sums over all of them are exact
    total = Invoice.objects.aggregate(gross=money_sum("gross"))["gross"]
    assert total == sum((invoice.gross for invoice in invoices), Decimal(0))


@pytest.mark.feature("INV-04")
def test_paid_due_and_status_follow_the_live_payments_as_the_services_leave_them():
    # when
    _filled(invoices=800)
    # then
    live: dict[int, Decimal] = defaultdict(Decimal)
    for allocation in PaymentAllocation.objects.select_related("payment", "invoice"):
        assert allocation.payment.client_id == allocation.invoice.client_id
        assert allocation.payment.legal_entity_id == allocation.invoice.legal_entity_id
        if not allocation.payment.is_cancelled:
            live[allocation.invoice_id] += allocation.amount
    for payment in Payment.objects.annotate(applied=money_sum("allocations__amount")):
        assert 0 < payment.amount and payment.applied <= payment.amount
        assert payment.invoice_id is None or payment.allocations.filter(invoice_id=payment.invoice_id).exists()
    for invoice in Invoice.objects.all():
        assert invoice.paid == live[invoice.pk], invoice.pk
        if invoice.status == Invoice.Status.CANCELLED:
            assert (invoice.paid, invoice.due) == (0, 0) and invoice.cancelled_at and invoice.cancel_reason
            continue
        assert invoice.due == invoice.gross - invoice.paid
        expected = ({Invoice.Status.PAID} if invoice.paid == invoice.gross else
                    {Invoice.Status.PARTLY_PAID} if invoice.paid > 0 else
                    {Invoice.Status.ISSUED, Invoice.Status.DRAFT})
        assert invoice.status in expected, (invoice.pk, invoice.status, invoice.paid, invoice.gross)
        if invoice.status == Invoice.Status.DRAFT:
            assert not invoice.allocations.exists()


def _gapless(model: Any) -> None:
    """Numbers 1..N per payee and year, in date order."""
    groups: dict[tuple[int, int], list[tuple[datetime.date, int]]] = defaultdict(list)
    for entity, year, number, date in model.objects.values_list("legal_entity", "number_year", "number", "date"):
        groups[(entity, year)].append((date, number))
        assert date.year == year
    for key, rows in groups.items():
        numbers = sorted(number for _date, number in rows)
        assert numbers == list(range(1, len(rows) + 1)), key


@pytest.mark.feature("INV-01")
def test_numbers_are_gapless_per_payee_and_year_and_the_services_continue_them():
    # given an invoice issued before the fill
    our = payee()
    client = ClientFactory()
    user = UserFactory(role="admin", client_scope="full")
    early = issued_invoice(user, client, "1000.00")
    # when
    monkey_batch, demo.BATCH = demo.BATCH, 300  # several batches, each taking its block of numbers
    try:
        _filled(invoices=1_000)
    finally:
        demo.BATCH = monkey_batch
    # then the existing payee is used, the fill's numbers continue after the early one, gapless, in date order
    assert LegalEntity.objects.count() == 1 and early.number == 1
    _gapless(Invoice)
    _gapless(Payment)
    this_year = list(Invoice.objects.filter(legal_entity=our, number_year=early.date.year)
                     .exclude(pk=early.pk).order_by("number").values_list("date", flat=True))
    assert this_year == sorted(this_year)
    for kind, model in (("invoice", Invoice), ("payment", Payment)):
        for entity, year, last in NumberCounter.objects.filter(kind=kind).values_list("entity", "year", "last"):
            top = model.objects.filter(legal_entity_id=entity, number_year=year).order_by("-number").first()
            assert top is not None and top.number == last, (kind, entity, year)
    # and the next invoice and payment written by the services get the next numbers
    today = timezone.localdate()
    last_invoice = Invoice.objects.filter(legal_entity=our, number_year=today.year).order_by("-number").first()
    last_payment = Payment.objects.filter(legal_entity=our, number_year=today.year).order_by("-number").first()
    demo_client = Client.objects.exclude(pk=client.pk).first()
    invoice = invoice_create(acting_user=user, data=InvoiceData(client=demo_client, date=today,
                                                                  lines=[line("500.00")]))
    assert invoice.number == last_invoice.number + 1
    payment = payment_record(acting_user=user, client=demo_client, date=today, amount=Decimal("100.00"))
    assert payment.number == (last_payment.number if last_payment else 0) + 1


def test_a_base_without_legal_entities_gets_two_payees_one_without_vat():
    # when
    _filled(invoices=600, sales=0, works=0)
    # then
    default, other = LegalEntity.objects.order_by("-is_default", "id")
    assert default.is_default and len(default.inn) == 10 and len(other.inn) == 12
    assert not InvoiceLine.objects.filter(invoice__legal_entity=other, vat_rate__isnull=False).exists()
    assert InvoiceLine.objects.filter(invoice__legal_entity=other).exists()
    assert not InvoiceLine.objects.filter(invoice__legal_entity=default, vat_rate__isnull=True).exists()


def test_a_second_fill_keeps_the_catalogue_and_the_same_seed_fills_the_same_invoices():
    def snapshot() -> list[tuple[Any, ...]]:
        return list(Invoice.objects.order_by("id").values_list("client__code", "date", "number", "status", "gross",
                                                               "paid"))

    first = _filled(clients=40, invoices=300, seed=9)
    rows = snapshot()
    PaymentAllocation.objects.all().delete()
    Payment.objects.all().delete()
    Invoice.objects.all().delete()
    NumberCounter.objects.filter(kind__in=["invoice", "payment"]).delete()
    Client.objects.all().delete()
    second = _filled(clients=40, invoices=300, seed=9)
    assert first.items_added and not second.items_added
    assert [row[1:] for row in snapshot()] == [row[1:] for row in rows]


def test_the_command_line_adds_an_invoice_a_sale_and_a_work_per_client_unless_told(capsys):
    from kontora.cli import main

    with translation.override("ru"):
        assert main(["demo", "--clients", "10", "--seed", "3", "--events", "0", "--tasks", "0"]) == 0
    out = capsys.readouterr().out
    assert "added 10 invoices with " in out and "10 sales and 10 works" in out, out
    with translation.override("ru"):
        assert main(["demo", "--clients", "10", "--seed", "4", "--events", "0", "--tasks", "0", "--invoices", "25",
                     "--sales", "0", "--works", "0"]) == 0
    assert "added 25 invoices" in capsys.readouterr().out
    assert (Invoice.objects.count(), Sale.objects.count()) == (35, 10)
