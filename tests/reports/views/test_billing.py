"""Billing's reports (issue 18): «Счета: выставлено и оплачено», «Задолженность (дебиторская)», «Продажи и работы» —
their figures, their scope (one's own work without «Отчёты по всем пользователям», never a client the user may not
open), their CSV and their query counts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from kontora.billing.models import Invoice
from kontora.billing.services.invoices import InvoiceData, invoice_create
from kontora.billing.services.payments import payment_record
from kontora.directories.models import GoodsGroup
from tests.accounts.factories import UserFactory
from tests.billing.factories import SaleFactory, WorkFactory, issued_invoice, line, payee, shipped_vat_rates
from tests.clients.factories import ClientFactory
from tests.directories.factories import NomenclatureItemFactory
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

pytestmark = [pytest.mark.django_db, pytest.mark.feature("RPT-01")]

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
PERIOD = {"run": "1", "date_from": (TODAY - 60 * DAY).isoformat(), "date_to": TODAY.isoformat()}


def _url(slug: str) -> str:
    return reverse("reports:report", args=[slug])


def _rows(page: str) -> str:
    return page.split('data-testid="report-table"', 1)[1]


def _dated(invoice: Invoice, date: datetime.date, due_date: datetime.date | None) -> Invoice:
    """An invoice moved back in time (the services date a manager's documents from today on)."""
    Invoice.objects.filter(pk=invoice.pk).update(date=date, due_date=due_date)
    invoice.refresh_from_db()
    return invoice


@pytest.fixture
def books(manager_user: Any, admin_user: Any) -> dict[str, Any]:
    """The manager's client with two invoices (one partly paid and 35 days overdue, one not due yet) and a draft; a
    colleague's client with an invoice 100 days overdue; a third curator's private client's invoice; a
    supervisor who reports on everyone, and one who lists every client but opens only his own."""
    shipped_vat_rates()
    payee()
    colleague = UserFactory(full_name="Борис Коллегин", role="manager")
    stranger = UserFactory(full_name="Вера Чужая", role="manager")
    supervisor = UserFactory(full_name="Сергей Супервизоров", role="supervisor", client_scope="full")
    lister = UserFactory(full_name="Лидия Списочная", role="supervisor", client_scope="list_all")
    own = ClientFactory(short_name="Своя фирма", curator=manager_user)
    theirs = ClientFactory(short_name="Фирма коллеги", curator=colleague)
    private = ClientFactory(short_name="Тайная фирма", curator=stranger, private=True)
    listed = ClientFactory(short_name="Фирма Лидии", curator=lister)
    overdue = _dated(issued_invoice(manager_user, own, "1000.00"), TODAY - 40 * DAY, TODAY - 35 * DAY)
    payment_record(acting_user=manager_user, client=own, date=TODAY, amount=Decimal("300.00"), invoice=overdue)
    _dated(issued_invoice(manager_user, own, "500.00"), TODAY - 2 * DAY, TODAY + 10 * DAY)
    invoice_create(acting_user=manager_user, data=InvoiceData(client=own, date=TODAY, lines=[line("9999.00")]))
    _dated(issued_invoice(colleague, theirs, "2000.00"), TODAY - 110 * DAY, TODAY - 100 * DAY)
    _dated(issued_invoice(stranger, private, "777.00"), TODAY - 5 * DAY, None)
    _dated(issued_invoice(lister, listed, "50.00"), TODAY - 5 * DAY, None)
    return {"manager": manager_user, "colleague": colleague, "stranger": stranger, "supervisor": supervisor,
            "lister": lister, "own": own, "theirs": theirs, "private": private}


def _debts(user: Any, **more: Any) -> str:
    return html(signed_in(user).get(_url("debts"), {"run": "1", "on": TODAY.isoformat(), **more}))


@pytest.mark.feature("INV-04", "RPT-02", "RPT-03")
def test_debts_show_a_manager_his_clients_debts_by_age(books: dict[str, Any]) -> None:
    # given a manager without «Отчёты по всем пользователям»
    page = _debts(books["manager"])
    rows = _rows(page)
    # then his client owes 700 of the overdue invoice (31–60 days) and 500 not due yet; the draft owes nothing
    assert "Своя фирма" in rows and "Алексей Менеджеров" in rows
    assert ('Своя фирма</td><td class="k-num">2</td><td class="k-num">500,00</td><td class="k-num">0,00</td>'
            '<td class="k-num">700,00</td><td class="k-num">0,00</td><td class="k-num">0,00</td>'
            '<td class="k-num">1 200,00</td>') in rows.replace("\xa0", " ")
    # and nobody else's debts
    assert "Фирма коллеги" not in rows and "Тайная фирма" not in rows and "Фирма Лидии" not in rows
    assert "Сформировал Алексей Менеджеров" in page and 'data-testid="report-chart"' in page
    assert 'name="users"' not in page


@pytest.mark.feature("RPT-02")
def test_debts_show_a_supervisor_everyone_but_another_curators_private_client(books: dict[str, Any]) -> None:
    rows = _rows(_debts(books["supervisor"])).replace("\xa0", " ")
    assert "Своя фирма" in rows and "Фирма коллеги" in rows and "Фирма Лидии" in rows
    # the colleague's invoice is 100 days overdue
    assert '<td class="k-num">2 000,00</td><td class="k-num">2 000,00</td>' in rows
    assert "Тайная фирма" not in rows and "Вера Чужая" not in rows
    # positive control: the private client's curator sees his client's debt
    assert "Тайная фирма" in _rows(_debts(books["stranger"]))


@pytest.mark.feature("RPT-02")
def test_a_user_who_only_lists_a_client_never_reads_its_debts(books: dict[str, Any]) -> None:
    # given a supervisor who reports on everyone but opens only his own clients (he lists the others)
    rows = _rows(_debts(books["lister"]))
    # then only his own client's debt is shown
    assert "Фирма Лидии" in rows
    assert "Своя фирма" not in rows and "Фирма коллеги" not in rows
    # and so in the invoices' report
    rows = _rows(html(signed_in(books["lister"]).get(_url("invoices-issued-paid"), PERIOD)))
    assert "Лидия Списочная" in rows and "Алексей Менеджеров" not in rows


def test_debts_on_an_earlier_day_age_the_invoices_to_that_day(books: dict[str, Any]) -> None:
    # 30 days ago the manager's overdue invoice was 5 days overdue and his second invoice not yet written
    rows = _rows(_debts(books["manager"], on=(TODAY - 30 * DAY).isoformat())).replace("\xa0", " ")
    assert ('Своя фирма</td><td class="k-num">1</td><td class="k-num">0,00</td>'
            '<td class="k-num">700,00</td>') in rows


def test_the_debts_query_is_one_grouped_read(books: dict[str, Any]) -> None:
    from kontora.billing.selectors.reports import debts_query

    rows = list(debts_query(books["supervisor"], on=TODAY))
    # one row per client and author, summed in SQL
    totals = sorted(sum((row[key] for key in ("current", "days_30", "days_60", "days_90", "over_90")), Decimal(0))
                    for row in rows)
    assert totals == [Decimal("50.00"), Decimal("1200.00"), Decimal("2000.00")]


@pytest.mark.feature("INV-04", "RPT-02")
def test_invoices_issued_and_paid_per_manager(books: dict[str, Any]) -> None:
    page = html(signed_in(books["manager"]).get(_url("invoices-issued-paid"), PERIOD))
    rows = _rows(page).replace("\xa0", " ")
    # two invoices issued (the draft is not), 1 500 in all, 300 paid in the period, 1 200 due
    assert ('Алексей Менеджеров</td><td class="k-num">2</td><td class="k-num">1 500,00</td>'
            '<td class="k-num">300,00</td><td class="k-num">1 200,00</td>') in rows
    assert "Борис Коллегин" not in rows and 'data-testid="report-chart"' in page
    # a supervisor sees every employee's but the private client's author's
    rows = _rows(html(signed_in(books["supervisor"]).get(_url("invoices-issued-paid"), PERIOD)))
    assert "Алексей Менеджеров" in rows and "Лидия Списочная" in rows and "Вера Чужая" not in rows
    # the colleague's invoice is older than the period
    assert "Борис Коллегин" not in rows


def test_invoices_grouped_by_manager_and_legal_entity(books: dict[str, Any]) -> None:
    rows = _rows(html(signed_in(books["manager"]).get(_url("invoices-issued-paid"),
                                                      {**PERIOD, "group_by": "both"}))).replace("\xa0", " ")
    # the manager is the group, the payee its row
    assert "Алексей Менеджеров" in rows
    assert ('ООО «Контора»</td><td class="k-num">2</td><td class="k-num">1 500,00</td>') in rows


@pytest.mark.feature("RPT-04")
def test_the_debts_as_csv_hold_the_screens_figures(books: dict[str, Any]) -> None:
    response = signed_in(books["manager"]).get(_url("debts"), {"run": "1", "on": TODAY.isoformat(), "format": "csv"})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "\r\nАлексей Менеджеров\r\nСвоя фирма;2;500,00;0,00;700,00;0,00;0,00;1200,00\r\n" in body
    assert "Итого;2;500,00;0,00;700,00;0,00;0,00;1200,00" in body
    assert "Фирма коллеги" not in body


@pytest.mark.feature("SAL-01", "SAL-02", "RPT-02")
def test_sales_and_works_per_manager_and_goods_group(books: dict[str, Any]) -> None:
    manager, colleague = books["manager"], books["colleague"]
    group = GoodsGroup.objects.create(name="Кабели", name_key="кабели")
    cable = NomenclatureItemFactory(goods_group=group)
    SaleFactory(client=books["own"], author=manager, item=cable, quantity=Decimal("3"), amount=Decimal("300.00"))
    SaleFactory(client=books["own"], author=manager, item=cable, quantity=Decimal("2"), amount=Decimal("250.00"))
    SaleFactory(client=books["theirs"], author=colleague, item=cable, amount=Decimal("999.00"))
    SaleFactory(client=books["private"], author=books["stranger"], item=cable, amount=Decimal("888.00"))
    WorkFactory(client=books["own"], author=manager, work_type="Монтаж", norm_hours=Decimal("2.50"),
                amount=Decimal("1000.00"))
    WorkFactory(client=books["own"], author=manager, work_type="Монтаж", norm_hours=Decimal("1.00"),
                amount=Decimal("400.00"))
    page = html(signed_in(manager).get(_url("sales-works"), PERIOD))
    rows = _rows(page).replace("\xa0", " ")
    assert ('Кабели</td><td class="k-num">2</td><td class="k-num">5,00</td><td class="k-num"></td>'
            '<td class="k-num">550,00</td>') in rows
    assert ('Монтаж</td><td class="k-num">2</td><td class="k-num"></td><td class="k-num">3,50</td>'
            '<td class="k-num">1 400,00</td>') in rows
    assert "999,00" not in rows and 'data-testid="report-chart"' in page
    # a supervisor: the colleague's sale too, never the private client's
    rows = _rows(html(signed_in(books["supervisor"]).get(_url("sales-works"), PERIOD))).replace("\xa0", " ")
    assert "999,00" in rows and "888,00" not in rows
    # only the works
    rows = _rows(html(signed_in(manager).get(_url("sales-works"), {**PERIOD, "show": "works"})))
    assert "Монтаж" in rows and "Кабели" not in rows


@pytest.mark.parametrize("slug", ["invoices-issued-paid", "debts", "sales-works"])
def test_every_billing_report_is_in_the_reports_menu(manager_user: Any, slug: str) -> None:
    page = html(signed_in(manager_user).get(reverse("core:home")))
    assert _url(slug) in page


def _add_debt(manager: Any, n: int) -> None:
    client = ClientFactory(short_name=f"Должник {n}", curator=manager)
    _dated(issued_invoice(manager, client, "100.00"), TODAY - 3 * DAY, TODAY - DAY)
    SaleFactory(client=client, author=manager, amount=Decimal("10.00"))
    WorkFactory(client=client, author=manager, work_type=f"Работа {n}")


@pytest.mark.parametrize("slug, query", [
    ("debts", {"run": "1", "on": TODAY.isoformat()}),
    ("invoices-issued-paid", {**PERIOD, "group_by": "both"}),
    ("sales-works", PERIOD),
])
def test_billing_reports_read_as_many_queries_for_many_rows(manager_user: Any, slug: str,
                                                            query: dict[str, str]) -> None:
    shipped_vat_rates()
    payee()
    http = signed_in(manager_user)
    page = assert_flat_queries(lambda: http.get(_url(slug), query).content.decode(),
                               lambda n: _add_debt(manager_user, n))
    assert "Сформировал" in page


def test_sales_and_works_go_with_both_their_functionality_blocks(manager_user: Any) -> None:
    from kontora.core.models import SystemSettings

    http = signed_in(manager_user)
    SystemSettings.objects.update_or_create(pk=1, defaults={"sales_enabled": False})
    # one block still on: the report stays
    assert _url("sales-works") in html(http.get(reverse("core:home")))
    SystemSettings.objects.filter(pk=1).update(works_enabled=False)
    assert _url("sales-works") not in html(http.get(reverse("core:home")))
    assert http.get(_url("sales-works"), PERIOD).status_code == 404
