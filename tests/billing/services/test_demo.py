"""`kontora demo`'s money side (issue 18): invoices with lines in every status, payments, acts and invoice-facturas,
sales and works — totals as the services count them, numbers that the numbering service continues, deterministic for
a seed."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone, translation

from kontora.billing import demo
from kontora.billing.demo import billing_fill
from kontora.billing.models import (
    Act,
    ActLine,
    Invoice,
    InvoiceFactura,
    InvoiceFacturaLine,
    InvoiceLine,
    Payment,
    PaymentAllocation,
    Sale,
    Work,
)
from kontora.billing.selectors.amounts import Line, line_amounts
from kontora.billing.services.acts import ActData, act_create
from kontora.billing.services.facturas import FacturaData, advance_left, factura_create, invoice_references
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

SERVICES = {name for name, _unit, _price, service, _article in demo.CATALOGUE if service}

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
    _gapless(Act)
    _gapless(InvoiceFactura)
    for model in (Act, InvoiceFactura):  # numbers follow dates, across batches too (both kinds of factura in one)
        groups: dict[tuple[int, int], list[datetime.date]] = defaultdict(list)
        for entity, year, on in model.objects.order_by("number").values_list("legal_entity", "number_year", "date"):
            groups[(entity, year)].append(on)
        assert groups and all(days == sorted(days) for days in groups.values()), model
    assert InvoiceFactura.objects.filter(kind=InvoiceFactura.Kind.ADVANCE).exists()
    this_year = list(Invoice.objects.filter(legal_entity=our, number_year=early.date.year)
                     .exclude(pk=early.pk).order_by("number").values_list("date", flat=True))
    assert this_year == sorted(this_year)
    for kind, model in (("invoice", Invoice), ("payment", Payment), ("act", Act), ("invoice_factura", InvoiceFactura)):
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
    # and so do the next act and invoice-factura
    for model, create, data in ((Act, act_create, ActData), (InvoiceFactura, factura_create, FacturaData)):
        last = model.objects.filter(legal_entity=our, number_year=today.year).order_by("-number").first()
        document = create(acting_user=user, data=data(client=demo_client, date=today, lines=[line("700.00")]))
        assert document.number == (last.number if last else 0) + 1, model


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
    documents = documents_snapshot()
    assert first.acts and first.facturas and documents
    _emptied()
    second = _filled(clients=40, invoices=300, seed=9)
    assert first.items_added and not second.items_added
    assert [row[1:] for row in snapshot()] == [row[1:] for row in rows]
    assert documents_snapshot() == documents
    # and the invoices of a seed stay the same when none of them gets an act or an invoice-factura
    _emptied()
    third = _filled(clients=40, invoices=300, seed=9, act_share=0, factura_share=0)
    assert (third.acts, third.facturas) == (0, 0) and not Act.objects.exists() and not InvoiceFactura.objects.exists()
    assert [row[1:] for row in snapshot()] == [row[1:] for row in rows]


def _emptied() -> None:
    for model in (ActLine, Act, InvoiceFacturaLine, InvoiceFactura, PaymentAllocation, Payment, Invoice):
        model.objects.all().delete()
    NumberCounter.objects.filter(kind__in=["invoice", "payment", "act", "invoice_factura"]).delete()
    Client.objects.all().delete()


def documents_snapshot() -> list[tuple[Any, ...]]:
    acts = Act.objects.order_by("id").values_list("date", "number", "status", "gross", "invoice__number")
    facturas = InvoiceFactura.objects.order_by("id").values_list("kind", "date", "number", "status", "gross",
                                                                 "payment__number", "payment_document")
    return [*acts, *facturas]


@pytest.mark.feature("INV-05")
def test_acts_and_invoice_facturas_copy_their_invoices_and_advance_ones_cover_what_payments_left():
    # when
    result = _filled(invoices=1_500, sales=0, works=0)
    # then the counts are the rows written, a share of the invoices, a few cancelled with a reason
    acts = list(Act.objects.select_related("invoice").prefetch_related("lines", "invoice__lines"))
    facturas = list(InvoiceFactura.objects.select_related("invoice", "payment")
                    .prefetch_related("lines", "invoice__lines"))
    assert result.acts == len(acts) > 50 and result.facturas == len(facturas) > 50
    assert ActLine.objects.count() > len(acts) // 2 and InvoiceFacturaLine.objects.count() >= len(facturas)
    paid_with_services = Invoice.objects.filter(status=Invoice.Status.PAID, lines__name__in=SERVICES).distinct()
    assert len(acts) < paid_with_services.count()
    assert Act.objects.filter(status=Act.Status.CANCELLED).exclude(cancel_reason="").exists()
    today = timezone.localdate()

    def copied(lines: Any, keep: Any = lambda line: True) -> list[tuple[Any, ...]]:
        kept = [line for line in sorted(lines, key=lambda line: line.position) if keep(line)]
        return [(position, line.item_id, line.name, line.quantity, line.unit, line.price, line.discount,
                 line.vat_rate, line.net, line.vat, line.gross) for position, line in enumerate(kept, start=1)]

    def totals_are_lines(document: Any) -> None:
        lines = list(document.lines.all())
        assert (document.net, document.vat, document.gross) == tuple(
            sum((getattr(line, name) for line in lines), Decimal(0)) for name in ("net", "vat", "gross")), document.pk

    # an act: of a paid invoice, its service lines with the amounts it printed, renumbered, dated after it
    for act in acts:
        invoice = act.invoice
        assert invoice is not None and invoice.status == Invoice.Status.PAID
        assert (act.client_id, act.legal_entity_id, act.vat_mode, act.prefix) == (
            invoice.client_id, invoice.legal_entity_id, invoice.vat_mode, invoice.prefix)
        assert copied(act.lines.all()) == copied(invoice.lines.all(), lambda line: line.name in SERVICES), act.pk
        assert invoice.date <= act.date <= today and act.number_year == act.date.year
        totals_are_lines(act)
    # an invoice-factura for a shipment: of a live invoice with VAT, every line; lines 5 and 5б as the service says
    ordinary = [factura for factura in facturas if not factura.is_advance]
    assert ordinary and any(factura.payment_document for factura in ordinary)
    for factura in ordinary:
        invoice = factura.invoice
        assert invoice is not None and invoice.status in (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID,
                                                          Invoice.Status.PAID)
        assert copied(factura.lines.all()) == copied(invoice.lines.all()), factura.pk
        assert all(line.vat_rate is not None for line in factura.lines.all())
        assert invoice.date <= factura.date <= today
        references = invoice_references(invoice, factura.date)
        assert (factura.payment_document, factura.advance_facturas) == (
            references["payment_document"], references["advance_facturas"]), factura.pk
        totals_are_lines(factura)
    # an advance invoice-factura: for a live payment, one line at the calculated rate, never more than it left over
    advances = [factura for factura in facturas if factura.is_advance]
    assert advances and any(factura.invoice_id is None for factura in advances)
    for factura in advances:
        payment = factura.payment
        assert payment is not None and not payment.is_cancelled and payment.date <= factura.date <= today
        assert (factura.client_id, factura.legal_entity_id) == (payment.client_id, payment.legal_entity_id)
        (only,) = factura.lines.all()
        rate = Decimal(22) if factura.date.year >= 2026 else Decimal(20)
        amounts = line_amounts(Line(quantity=Decimal(1), price=only.price, vat_rate=rate, vat_included=True))
        assert (only.vat_rate, only.net, only.vat, only.gross) == (rate, amounts.net, amounts.vat, amounts.gross)
        assert factura.payment_document.endswith(payment.date.strftime("%d.%m.%Y"))
        totals_are_lines(factura)
    for payment in Payment.objects.filter(cancelled_at__isnull=True):
        assert advance_left(payment) >= 0, payment.pk


def test_the_command_line_adds_an_invoice_a_sale_and_a_work_per_client_unless_told(capsys):
    from kontora.cli import main

    with translation.override("ru"):
        assert main(["demo", "--clients", "10", "--seed", "3", "--events", "0", "--tasks", "0"]) == 0
    out = capsys.readouterr().out
    assert "added 10 invoices with " in out and "10 sales and 10 works" in out, out
    assert re.search(r"payments, \d+ acts and \d+ invoice-facturas, ", out), out
    with translation.override("ru"):
        assert main(["demo", "--clients", "10", "--seed", "4", "--events", "0", "--tasks", "0", "--invoices", "25",
                     "--sales", "0", "--works", "0"]) == 0
    assert "added 25 invoices" in capsys.readouterr().out
    assert (Invoice.objects.count(), Sale.objects.count()) == (35, 10)
    # the shares of invoices with acts and invoice-facturas are options; 0 writes none
    acts, facturas = Act.objects.count(), InvoiceFactura.objects.count()
    with translation.override("ru"):
        assert main(["demo", "--clients", "10", "--seed", "5", "--events", "0", "--tasks", "0", "--invoices", "200",
                     "--sales", "0", "--works", "0", "--act-share", "0", "--factura-share", "0"]) == 0
    assert "payments, 0 acts and 0 invoice-facturas, " in capsys.readouterr().out
    assert (Act.objects.count(), InvoiceFactura.objects.count()) == (acts, facturas)
    with pytest.raises(SystemExit):
        main(["demo", "--clients", "1", "--act-share", "101"])
