"""The pages of acts and invoice-facturas (INV-05, CLI-14): the journals under Журналы (own / all employees, period,
totals, query counts), the card's panes, a document's page, «ввести на основании», the advance invoice-factura of a
payment, cancelling — and a manager never sees another manager's client's documents."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.accounts.models import UserRight
from kontora.billing.models import Act, InvoiceFactura
from kontora.billing.services.acts import ActData, act_create, act_from_invoice
from kontora.billing.services.facturas import factura_from_invoice
from kontora.billing.services.payments import payment_record
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice, line
from tests.clients.factories import ClientFactory
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

pytestmark = pytest.mark.django_db

ROW = re.compile(r'data-testid="document-row"')


def _today() -> datetime.date:
    return timezone.localdate()


def _act(user: Any, client: Any, price: str = "122.00", on: datetime.date | None = None, note: str = "") -> Act:
    return act_create(acting_user=user, data=ActData(client=client, date=on or _today(), lines=[line(price)],
                                                     note=note))


@pytest.mark.feature("INV-05")
def test_the_act_journal_lists_the_managers_own_acts_with_their_totals_and_never_another_managers_client(
    manager_user: Any, manager_client: Any, our_entity: Any,
) -> None:
    # given the manager's two acts and another manager's act of his own client
    mine = ClientFactory(curator=manager_user, short_name="Мой клиент")
    _act(manager_user, mine, "122.00", note="моя заметка")
    _act(manager_user, mine, "244.00")
    other = UserFactory(role="manager")
    _act(other, ClientFactory(curator=other, short_name="Чужой клиент"), note="чужая заметка")
    # when he opens «Журнал актов»
    page = html(manager_client.get("/acts/"))
    # then his two acts are listed with their sum, the other's act and client nowhere
    assert len(ROW.findall(page)) == 2
    assert "Мой клиент" in page and "моя заметка" in page
    assert "Чужой клиент" not in page and "чужая заметка" not in page
    totals = re.search(r'data-testid="documents-gross">([^<]*)<', page)
    assert totals is not None and totals.group(1).replace("\xa0", " ") in ("366,00", "366.00")


@pytest.mark.feature("INV-05")
def test_acts_of_others_are_in_the_journal_only_with_the_right_to_see_all_employees(
    manager_user: Any, our_entity: Any,
) -> None:
    # given an act the manager wrote for his client, which a second manager opens too (its specialist)
    second = UserFactory(role="manager")
    client = ClientFactory(curator=manager_user, specialist=second)
    _act(manager_user, client, note="акт менеджера")
    browser = signed_in(second)
    # then the second manager's journal (his own work) does not list it, though the card's pane does
    assert "акт менеджера" not in html(browser.get("/acts/"))
    assert "акт менеджера" in html(browser.get(f"/clients/{client.pk}/acts/"))
    # granted «журналы всех сотрудников», he sees it; «Мои документы» narrows to his own again
    UserRight.objects.create(user=second, code="journals_all_users")
    assert "акт менеджера" in html(browser.get("/acts/"))
    assert "акт менеджера" not in html(browser.get("/acts/?whose=mine"))


@pytest.mark.feature("INV-05")
def test_the_journal_filters_by_period_and_status(admin_user: Any, admin_client: Any, our_entity: Any) -> None:
    client = ClientFactory()
    _act(admin_user, client, on=datetime.date(2026, 1, 10), note="январский")
    _act(admin_user, client, on=datetime.date(2026, 2, 10), note="февральский")
    page = html(admin_client.get("/acts/?date_from=2026-02-01&date_to=2026-02-28"))
    assert "февральский" in page and "январский" not in page
    page = html(admin_client.get("/acts/?status=cancelled"))
    assert "февральский" not in page and "январский" not in page
    # a period ending before its start is marked next to its end
    page = html(admin_client.get("/acts/?date_from=2026-03-01&date_to=2026-02-01"))
    assert 'data-testid="filter-error"' in page and "Конец периода раньше его начала." in page


@pytest.mark.feature("INV-05")
@pytest.mark.parametrize("url", ["/acts/", "/facturas/"])
def test_the_journals_query_count_does_not_grow_with_the_rows(admin_user: Any, admin_client: Any,
                                                              our_entity: Any, url: str) -> None:
    client = ClientFactory()
    invoice = issued_invoice(admin_user, client, "100.00")

    def add(number: int) -> None:
        if url == "/acts/":
            act_from_invoice(acting_user=admin_user, invoice_id=invoice.pk)
        else:
            factura_from_invoice(acting_user=admin_user, invoice_id=invoice.pk)

    page = assert_flat_queries(lambda: html(admin_client.get(url)), add)
    assert len(ROW.findall(page)) == 20


@pytest.mark.feature("INV-05", "CLI-14")
@pytest.mark.parametrize("kind", ["acts", "facturas"])
def test_the_card_panes_list_the_clients_documents_in_flat_queries(admin_user: Any, admin_client: Any,
                                                                   our_entity: Any, kind: str) -> None:
    client = ClientFactory()
    invoice = issued_invoice(admin_user, client, "100.00")

    def add(number: int) -> None:
        if kind == "acts":
            act_from_invoice(acting_user=admin_user, invoice_id=invoice.pk)
        else:
            factura_from_invoice(acting_user=admin_user, invoice_id=invoice.pk)

    page = assert_flat_queries(lambda: html(admin_client.get(f"/clients/{client.pk}/{kind}/")), add)
    assert len(ROW.findall(page)) == 20 and 'data-testid="documents-totals"' in page


@pytest.mark.feature("INV-05")
def test_another_managers_clients_documents_are_not_found_by_a_manager(manager_user: Any, manager_client: Any,
                                                                        our_entity: Any) -> None:
    other = UserFactory(role="manager")
    client = ClientFactory(curator=other)
    invoice = issued_invoice(other, client, "100.00")
    act = act_from_invoice(acting_user=other, invoice_id=invoice.pk)
    factura = factura_from_invoice(acting_user=other, invoice_id=invoice.pk)
    for url in (f"/clients/{client.pk}/acts/", f"/clients/{client.pk}/facturas/", f"/acts/{act.pk}/",
                f"/facturas/{factura.pk}/", f"/acts/{act.pk}/print/", f"/facturas/{factura.pk}/print/",
                f"/facturas/{factura.pk}/print/?form=upd&status=1", f"/invoices/{invoice.pk}/act/"):
        assert manager_client.get(url).status_code == 404, url
    assert not ROW.search(html(manager_client.get("/facturas/")))
    # positive control: the other manager reaches them all
    theirs = signed_in(other)
    assert theirs.get(f"/clients/{client.pk}/acts/").status_code == 200
    assert theirs.get(f"/acts/{act.pk}/print/").status_code == 200


@pytest.mark.feature("INV-05")
def test_an_act_is_entered_from_an_invoice_with_a_line_left_out(manager_user: Any, manager_client: Any,
                                                                our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "122.00", "61.00")
    page = html(manager_client.get(f"/invoices/{invoice.pk}/act/"))
    assert 'name="keep"' in page
    response = manager_client.post(f"/invoices/{invoice.pk}/act/", {"date": _today().isoformat(), "keep": ["2"]})
    act = Act.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/acts/{act.pk}/"
    assert act.gross == Decimal("61.00") and act.invoice == invoice
    # the factura likewise, all lines kept
    manager_client.post(f"/invoices/{invoice.pk}/factura/", {"date": _today().isoformat(), "keep": ["1", "2"]})
    assert InvoiceFactura.objects.get().gross == Decimal("183.00")


@pytest.mark.feature("INV-05")
def test_a_back_dated_act_from_an_invoice_is_refused_next_to_the_date(manager_user: Any, manager_client: Any,
                                                                      our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "122.00")
    yesterday = _today() - datetime.timedelta(days=1)
    page = html(manager_client.post(f"/invoices/{invoice.pk}/act/", {"date": yesterday.isoformat(), "keep": ["1"]}))
    assert "У вас нет права изменять данные прошедших дат" in page
    assert not Act.objects.exists()


@pytest.mark.feature("INV-05")
def test_an_acts_page_removes_a_line_and_adds_one(manager_user: Any, manager_client: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    act = act_from_invoice(acting_user=manager_user,
                           invoice_id=issued_invoice(manager_user, client, "122.00", "61.00").pk)
    page = html(manager_client.get(f"/acts/{act.pk}/"))
    assert 'name="lines-0-name"' in page and 'data-testid="document-cancel-form"' not in page  # no right to cancel
    data = {"date": act.date.isoformat(), "note": "", "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
            "lines-0-name": "Услуга", "lines-0-quantity": "1", "lines-0-price": "122.00", "lines-0-vat_rate": "22",
            "lines-0-remove": "on",
            "lines-1-name": "Услуга", "lines-1-quantity": "1", "lines-1-price": "61.00", "lines-1-vat_rate": "22",
            "lines-2-name": "Выезд", "lines-2-quantity": "2", "lines-2-price": "10.00", "lines-2-vat_rate": "22"}
    response = manager_client.post(f"/acts/{act.pk}/", data)
    assert response.status_code == 302
    act.refresh_from_db()
    assert act.gross == Decimal("81.00")
    assert list(act.lines.values_list("name", flat=True)) == ["Услуга", "Выезд"]


@pytest.mark.feature("INV-05")
def test_cancelling_from_the_page_needs_the_right_and_a_reason(admin_user: Any, admin_client: Any,
                                                               manager_user: Any, manager_client: Any,
                                                               our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    act = _act(manager_user, client)
    assert manager_client.post(f"/acts/{act.pk}/cancel/", {"reason": "ошибка"}).status_code == 403
    page = html(admin_client.post(f"/acts/{act.pk}/cancel/", {"reason": ""}))
    assert "Укажите причину отмены документа." in page
    assert admin_client.post(f"/acts/{act.pk}/cancel/", {"reason": "ошибка"}).status_code == 302
    assert Act.objects.get(pk=act.pk).status == Act.Status.CANCELLED
    # a cancelled act's page is read-only
    assert manager_client.post(f"/acts/{act.pk}/", {"date": act.date.isoformat()}).status_code == 403


@pytest.mark.feature("INV-05")
def test_an_advance_invoice_factura_is_issued_from_a_payment(manager_user: Any, manager_client: Any,
                                                             our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    payment = payment_record(acting_user=manager_user, client=client, date=_today(), amount=Decimal("122.00"))
    assert "122,00" in html(manager_client.get(f"/payments/{payment.pk}/advance-factura/")).replace("\xa0", "")
    response = manager_client.post(f"/payments/{payment.pk}/advance-factura/", {"date": _today().isoformat()})
    factura = InvoiceFactura.objects.get()
    assert response.status_code == 302 and factura.is_advance and factura.vat == Decimal("22.00")


@pytest.mark.feature("INV-05")
def test_a_new_act_of_its_own_from_the_card(manager_user: Any, manager_client: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    assert 'data-testid="document-add"' in html(manager_client.get(f"/clients/{client.pk}/acts/"))
    data = {"date": _today().isoformat(), "note": "", "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0",
            "lines-0-name": "Монтаж", "lines-0-quantity": "1", "lines-0-price": "", "lines-0-vat_rate": "22"}
    page = html(manager_client.post(f"/clients/{client.pk}/acts/new/", data))
    assert "Строка 1:" in page and not Act.objects.exists()
    data["lines-0-price"] = "1220.00"
    assert manager_client.post(f"/clients/{client.pk}/acts/new/", data).status_code == 302
    assert Act.objects.get().vat == Decimal("220.00")
