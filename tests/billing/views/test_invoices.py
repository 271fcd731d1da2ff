"""Invoice pages (INV-01 … INV-03, CLI-14): the card's «Счета», «Журнал счетов», the form, the invoice's page."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.billing.models import Invoice, Payment, PaymentAllocation
from kontora.billing.services.invoices import InvoiceData, invoice_create
from kontora.clients.models import ContactPerson
from kontora.core.models import BankAccount, LegalEntity
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice, line, payee
from tests.clients.factories import ClientFactory
from tests.directories.factories import NomenclatureItemFactory
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

pytestmark = pytest.mark.django_db

ROW = re.compile(r'data-testid="invoice-row"')
HX = {"HTTP_HX_REQUEST": "true"}


def _today() -> datetime.date:
    return timezone.localdate()


def _form(client: Any, entity: LegalEntity, *lines: dict[str, str], **head: Any) -> dict[str, Any]:
    """The invoice form as the browser posts it: the head and `lines` (name, quantity, price, vat_rate …)."""
    data: dict[str, Any] = {
        "client": client.pk, "fixed": "1", "legal_entity": entity.pk, "entity_was": entity.pk,
        "bank_account": BankAccount.objects.filter(legal_entity=entity).first().pk,  # type: ignore[union-attr]
        "date": _today().isoformat(), "vat_mode": "included", "lines": str(len(lines)), "note": "",
    }
    data.update(head)
    for index, values in enumerate(lines):
        for name, value in {"quantity": "1", "vat_rate": "22", **values}.items():
            data[f"line-{index}-{name}"] = value
    return data


# --- the card's «Счета» ---------------------------------------------------------------------------------------------


@pytest.mark.feature("CLI-14", "INV-01")
def test_the_card_has_the_invoices_tab_before_sales(manager_user: Any, manager_client: Any) -> None:
    client = ClientFactory(curator=manager_user)
    page = html(manager_client.get(f"/clients/{client.pk}/"))
    assert f'hx-get="/clients/{client.pk}/invoices/"' in page
    assert page.index(f"/clients/{client.pk}/invoices/") < page.index(f"/clients/{client.pk}/sales/")


@pytest.mark.feature("CLI-14", "INV-01")
def test_the_card_journal_lists_the_clients_invoices_with_totals_and_the_strip(manager_user: Any,
                                                                                manager_client: Any,
                                                                                our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    first = issued_invoice(manager_user, client, "1000.50")
    second = issued_invoice(manager_user, client, "0.25", due_date=_today() + datetime.timedelta(days=5))
    other = issued_invoice(manager_user, ClientFactory(curator=manager_user), "777.00")
    pane = html(manager_client.get(f"/clients/{client.pk}/invoices/"))
    assert 'data-testid="card-journal-invoices"' in pane and "Счета" in pane
    assert pane.index(f"АМ-{second.number}") < pane.index(f"АМ-{first.number}")
    assert f"АМ-{other.number}" not in pane
    assert "Итого: 2 счёта" in pane
    assert re.search(r'data-testid="invoices-gross">1\xa0000,75<', pane)
    assert "выставлен" in pane
    assert 'data-key="Insert"' in pane and f"/invoices/new/?client={client.pk}" in pane
    assert f'data-href="/invoices/{first.pk}/"' in pane


@pytest.mark.feature("CLI-14", "INV-01")
def test_the_card_journal_reads_as_many_queries_for_twenty_rows_as_for_one(manager_user: Any,
                                                                             manager_client: Any,
                                                                             our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    page = assert_flat_queries(lambda: html(manager_client.get(f"/clients/{client.pk}/invoices/")),
                               lambda n: issued_invoice(manager_user, client, "10.00"), rows=20)
    assert len(ROW.findall(page)) == 20


@pytest.mark.feature("CLI-14", "INV-01")
def test_the_card_journal_pages_on_past_fifty(manager_user: Any, manager_client: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    for _n in range(52):
        issued_invoice(manager_user, client, "1.00")
    pane = html(manager_client.get(f"/clients/{client.pk}/invoices/"))
    assert len(ROW.findall(pane)) == 50
    more = re.search(r'hx-get="([^"]*after=[^"]*)"', pane)
    assert more is not None
    rest = html(manager_client.get(more.group(1).replace("&amp;", "&")))
    assert len(ROW.findall(rest)) == 2 and "Итого" not in rest


# --- «Журнал счетов» ------------------------------------------------------------------------------------------------


@pytest.mark.feature("INV-01")
def test_the_journal_lists_own_invoices_and_filters_them(manager_user: Any, manager_client: Any,
                                                         our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    draft = invoice_create(acting_user=manager_user, data=InvoiceData(client=client, date=_today(),
                                                                       lines=[line("50.00")]))
    issued = issued_invoice(manager_user, client, "100.00")
    old = issued_invoice(manager_user, client, "3.00")
    Invoice.objects.filter(pk=old.pk).update(date=_today() - datetime.timedelta(days=40))
    page = html(manager_client.get("/invoices/"))
    for invoice in (draft, issued):
        assert f"/invoices/{invoice.pk}/" in page
    assert "Ромашка" in page
    # by status
    page = html(manager_client.get("/invoices/", {"status": "issued"}))
    assert f"/invoices/{issued.pk}/" in page and f"/invoices/{draft.pk}/" not in page
    assert "Итого: 2 счёта" in page
    # by period (days of the user's calendar)
    since = (_today() - datetime.timedelta(days=10)).isoformat()
    page = html(manager_client.get("/invoices/", {"date_from": since}))
    assert f"/invoices/{old.pk}/" not in page and f"/invoices/{issued.pk}/" in page
    # by payee
    other = payee("ООО «Другая»", default=False)
    page = html(manager_client.get("/invoices/", {"legal_entity": other.pk}))
    assert 'data-testid="invoices-empty"' in page


@pytest.mark.feature("INV-01")
def test_the_journal_shows_a_manager_his_own_and_a_supervisor_everyones(manager_user: Any, manager_client: Any,
                                                                         supervisor_user: Any,
                                                                         our_entity: Any) -> None:
    colleague = UserFactory(role="manager", client_scope="open_all")
    shared = ClientFactory(curator=manager_user)
    mine = issued_invoice(manager_user, shared, "10.00")
    theirs = issued_invoice(colleague, shared, "20.00")
    page = html(manager_client.get("/invoices/"))
    assert f"/invoices/{mine.pk}/" in page and f"/invoices/{theirs.pk}/" not in page
    # one client's journal lists every author's invoices of a client he opens, as the card does
    page = html(manager_client.get("/invoices/", {"client": shared.pk}))
    assert f"/invoices/{mine.pk}/" in page and f"/invoices/{theirs.pk}/" in page
    # «журналы всех сотрудников» lists everyone's
    supervisor = UserFactory(role="supervisor", client_scope="open_all")
    everyone = html(signed_in(supervisor).get("/invoices/"))
    assert f"/invoices/{mine.pk}/" in everyone and f"/invoices/{theirs.pk}/" in everyone
    assert "всех сотрудников" in everyone


@pytest.mark.feature("INV-01", "ACL-01")
def test_a_manager_never_sees_another_managers_clients_invoices(manager_user: Any, manager_client: Any,
                                                                our_entity: Any) -> None:
    stranger = UserFactory(role="manager")
    theirs = ClientFactory(curator=stranger, short_name="Чужой клиент")
    hidden = issued_invoice(stranger, theirs, "500.00")
    own = issued_invoice(manager_user, ClientFactory(curator=manager_user), "5.00")
    # positive control: his own shows
    assert f"/invoices/{own.pk}/" in html(manager_client.get("/invoices/"))
    assert f"/invoices/{hidden.pk}/" not in html(manager_client.get("/invoices/"))
    for url in (f"/clients/{theirs.pk}/invoices/", f"/invoices/{hidden.pk}/", f"/invoices/{hidden.pk}/payments/",
                f"/invoices/?client={theirs.pk}", f"/invoices/new/?client={theirs.pk}"):
        assert manager_client.get(url).status_code == 404, url
    assert manager_client.post(f"/invoices/{hidden.pk}/issue/").status_code == 404
    # a supervisor with «журналы всех сотрудников» but a manager's client access still sees it only if he opens it
    assert "Чужой клиент" not in html(manager_client.get("/invoices/"))


@pytest.mark.feature("INV-01")
def test_the_journal_reads_as_many_queries_for_twenty_rows_as_for_one(manager_user: Any, manager_client: Any,
                                                                      our_entity: Any) -> None:
    page = assert_flat_queries(lambda: html(manager_client.get("/invoices/")),
                               lambda n: issued_invoice(manager_user, ClientFactory(curator=manager_user), "1.00"),
                               rows=20)
    assert len(ROW.findall(page)) == 20


@pytest.mark.feature("INV-01")
def test_the_menu_offers_the_invoice_journal(manager_user: Any, manager_client: Any, supervisor_user: Any) -> None:
    assert "Журнал счетов" in html(manager_client.get("/invoices/"))
    assert 'href="/invoices/"' in html(manager_client.get("/"))
    assert "Журнал счетов всех сотрудников" in html(signed_in(supervisor_user).get("/"))


# --- the form -------------------------------------------------------------------------------------------------------


@pytest.mark.feature("INV-01", "INV-02")
def test_a_new_invoice_from_the_card_is_prefilled_with_the_defaults(manager_user: Any, manager_client: Any,
                                                                     our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    ContactPerson.objects.create(client=client, full_name="Иван Бухгалтеров")
    page = html(manager_client.get(f"/invoices/new/?client={client.pk}"))
    account = BankAccount.objects.get(legal_entity=our_entity)
    assert re.search(rf'<option value="{our_entity.pk}" selected', page)
    assert re.search(rf'<option value="{account.pk}" selected', page)
    assert "Иван Бухгалтеров" in page
    assert f'value="{_today().isoformat()}"' in page
    assert '<option value="22" selected' in page and '<option value="20"' not in page


@pytest.mark.feature("INV-01", "INV-02", "INV-03")
def test_an_invoice_with_two_lines_is_saved_through_the_form(manager_user: Any, manager_client: Any,
                                                             our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    answer = manager_client.post(f"/invoices/new/?client={client.pk}", _form(
        client, our_entity, {"name": "Консультация", "price": "1000", "quantity": "2"},
        {"name": "Бумага", "price": "99.99", "unit": "пач", "discount": "10", "vat_rate": "none"}))
    assert answer.status_code == 302, html(answer)
    invoice = Invoice.objects.get(client=client)
    assert answer["Location"] == f"/invoices/{invoice.pk}/"
    assert invoice.status == Invoice.Status.DRAFT and invoice.prefix == "АМ"
    assert invoice.gross == Decimal("2089.99") and invoice.vat == Decimal("360.66")
    assert [line.name for line in invoice.lines.order_by("position")] == ["Консультация", "Бумага"]
    page = html(manager_client.get(answer["Location"]))
    assert f"Счёт № АМ-{invoice.number} от {_today():%d.%m.%Y}" in page
    assert "2\xa0089,99" in page and "черновик" in page


@pytest.mark.feature("INV-03")
def test_bad_lines_are_refused_next_to_their_fields_and_nothing_is_saved(manager_user: Any, manager_client: Any,
                                                                         our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    answer = html(manager_client.post(f"/invoices/new/?client={client.pk}", _form(
        client, our_entity, {"name": "Без цены", "price": ""}, {"name": "Ноль", "price": "5", "quantity": "0"},
        {"name": "Минус", "price": "5", "quantity": "-1"})))
    assert "Укажите цену." in answer
    assert answer.count("Количество должно быть больше нуля.") == 2
    assert Invoice.objects.count() == 0


@pytest.mark.feature("INV-01", "INV-02")
def test_a_past_date_is_refused_without_the_right_and_taken_with_it(manager_user: Any, manager_client: Any,
                                                                    admin_client: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    yesterday = (_today() - datetime.timedelta(days=1)).isoformat()
    data = _form(client, our_entity, {"name": "Услуга", "price": "10"}, date=yesterday)
    answer = html(manager_client.post(f"/invoices/new/?client={client.pk}", data))
    assert re.search(r'invalid-feedback[^>]*>\s*У вас нет права изменять данные прошедших дат', answer), answer
    assert Invoice.objects.count() == 0
    # an administrator holds the right: the same invoice is saved
    assert admin_client.post(f"/invoices/new/?client={client.pk}", data).status_code == 302
    assert Invoice.objects.get().date.isoformat() == yesterday


@pytest.mark.feature("INV-03")
def test_the_amounts_are_recounted_on_the_server_as_the_user_types(manager_user: Any, manager_client: Any,
                                                                   our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    data = _form(client, our_entity, {"name": "А", "price": "100", "quantity": "3"},
                 {"name": "Б", "price": "10", "vat_rate": "none"}, vat_mode="on_top")
    answer = html(manager_client.post("/invoices/form/?op=amounts", data, **HX))
    assert re.search(r'id="line-0-net" hx-swap-oob="true"[^>]*>300,00<', answer)
    assert re.search(r'id="line-0-vat" hx-swap-oob="true"[^>]*>66,00<', answer)
    assert re.search(r'id="invoice-gross" hx-swap-oob="true"[^>]*>376,00<', answer)


@pytest.mark.feature("INV-03")
def test_lines_are_added_removed_and_picked_from_the_nomenclature(manager_user: Any, manager_client: Any,
                                                                  our_entity: Any) -> None:
    from kontora.directories.models import Unit, VatRate

    client = ClientFactory(curator=manager_user)
    unit = Unit.objects.create(name="штука", name_key="штука", short_name="шт")
    item = NomenclatureItemFactory(name="Картридж HP 85A", article="CE285A", unit=unit,
                                   sale_price=Decimal("2500.00"), vat_rate=VatRate.objects.filter(rate=22).first())
    data = _form(client, our_entity, {"name": "Первая", "price": "1"})
    added = html(manager_client.post("/invoices/form/?op=add", data, **HX))
    assert added.count('data-testid="invoice-line"') == 2
    found = html(manager_client.get("/invoices/items/", {"line": "0", "line-0-name": "картр"}, **HX))
    assert "Картридж HP 85A" in found and f"item={item.pk}" in found
    assert "Картридж" in html(manager_client.get("/invoices/items/", {"line": "0", "line-0-name": "ce28"}, **HX))
    picked = html(manager_client.post(f"/invoices/form/?op=pick&line=0&item={item.pk}", data, **HX))
    assert 'value="Картридж HP 85A"' in picked and 'value="шт"' in picked and 'value="2500.00"' in picked
    assert '<option value="22" selected' in picked
    removed = html(manager_client.post("/invoices/form/?op=remove&line=0", data, **HX))
    assert 'data-testid="invoice-line"' not in removed


@pytest.mark.feature("INV-02")
def test_the_account_list_follows_the_payee(manager_user: Any, manager_client: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    other = payee("ИП Иванов", default=False)
    theirs = BankAccount.objects.get(legal_entity=other)
    data = _form(client, our_entity, {"name": "Услуга", "price": "1"}, legal_entity=other.pk)
    body = html(manager_client.post("/invoices/form/?op=head", data, **HX))
    assert re.search(rf'<option value="{theirs.pk}" selected', body)
    assert BankAccount.objects.get(legal_entity=our_entity).account not in body


@pytest.mark.feature("INV-02")
def test_an_issued_invoice_is_edited_while_nothing_is_paid_and_a_stale_edit_is_merged(
        manager_user: Any, manager_client: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    page = html(manager_client.get(f"/invoices/{invoice.pk}/edit/"))
    read = re.search(r'name="invoice-read" value="([^"]+)"', page)
    assert read is not None
    data = _form(client, our_entity, {"name": "Услуга", "price": "150"}, **{"invoice-read": read.group(1)})
    assert manager_client.post(f"/invoices/{invoice.pk}/edit/", data).status_code == 302
    invoice.refresh_from_db()
    assert invoice.gross == Decimal("150.00") and invoice.status == Invoice.Status.ISSUED
    # the same page saved again is stale: its lines were changed since it was read (here: by him), so changing
    # them again is a conflict, nothing saved (tests/billing/views/test_invoice_merge.py: the merge itself)
    stale = html(manager_client.post(f"/invoices/{invoice.pk}/edit/", {**data, "line-0-price": "200"}))
    assert "другой пользователь изменил те же поля" in stale and 'data-testid="conflict-table"' in stale
    invoice.refresh_from_db()
    assert invoice.gross == Decimal("150.00")


@pytest.mark.feature("INV-01", "INV-02")
def test_issue_copy_and_cancel_from_the_invoice_page(manager_user: Any, manager_client: Any, admin_client: Any,
                                                     our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    draft = invoice_create(acting_user=manager_user, data=InvoiceData(client=client, date=_today(),
                                                                       lines=[line("40.00")]))
    page = html(manager_client.get(f"/invoices/{draft.pk}/"))
    assert 'data-testid="invoice-issue"' in page and 'data-testid="invoice-edit"' in page
    assert 'data-testid="invoice-cancel"' not in page  # a manager has no right to cancel invoices
    assert "{# payments" not in page
    manager_client.post(f"/invoices/{draft.pk}/issue/")
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.ISSUED
    copied = manager_client.post(f"/invoices/{draft.pk}/copy/")
    copy = Invoice.objects.exclude(pk=draft.pk).get()
    assert copied["Location"] == f"/invoices/{copy.pk}/edit/" and copy.status == Invoice.Status.DRAFT
    assert manager_client.post(f"/invoices/{draft.pk}/cancel/", {"reason": "Ошибка"}).status_code == 403
    assert 'data-testid="invoice-cancel"' in html(admin_client.get(f"/invoices/{draft.pk}/"))
    refused = html(admin_client.post(f"/invoices/{draft.pk}/cancel/", {"reason": ""}))
    assert "Обязательное поле" in refused
    assert admin_client.post(f"/invoices/{draft.pk}/cancel/", {"reason": "Ошибка в сумме"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.CANCELLED and draft.cancel_reason == "Ошибка в сумме"


@pytest.mark.feature("INV-02", "INV-04")
def test_cancelling_is_refused_while_live_payments_count_and_the_payments_tab_lists_them(
        admin_user: Any, admin_client: Any, our_entity: Any) -> None:
    from kontora.billing.services.payments import payment_record

    client = ClientFactory(curator=admin_user)
    invoice = issued_invoice(admin_user, client, "100.00")
    payment_record(acting_user=admin_user, client=client, date=_today(), amount=Decimal("40.00"), invoice=invoice,
                   payer="ООО Плательщик")
    refused = html(admin_client.post(f"/invoices/{invoice.pk}/cancel/", {"reason": "Ошибка"}))
    assert "сначала" in refused
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PARTLY_PAID
    tab = html(admin_client.get(f"/invoices/{invoice.pk}/payments/"))
    assert "ООО Плательщик" in tab and "40,00" in tab
    page = html(admin_client.get(f"/invoices/{invoice.pk}/"))
    assert 'data-testid="invoice-edit"' not in page
    assert Payment.objects.count() == 1 and PaymentAllocation.objects.count() == 1


@pytest.mark.feature("CLI-14", "INV-04", "INV-05")
def test_the_card_tab_strip_leads_to_every_billing_journal_and_each_pane_draws_it(manager_user: Any,
                                                                                   manager_client: Any,
                                                                                   our_entity: Any) -> None:
    """The card has one «Счета» tab (no room for four); its strip of pills opens the client's payments, acts and
    invoice-facturas in the same pane, and each pane draws the strip again with its own pill marked."""
    client = ClientFactory(curator=manager_user)
    panes = {"invoices": "invoices", "payments": "payments", "acts": "acts", "facturas": "facturas"}
    invoices = html(manager_client.get(f"/clients/{client.pk}/invoices/"))
    for key, path in panes.items():
        assert re.search(rf'href="/clients/{client.pk}/{path}/"[^>]*data-testid="card-journal-{key}"', invoices)
    for key, path in panes.items():
        pane = html(manager_client.get(f"/clients/{client.pk}/{path}/"))
        assert re.search(rf'class="nav-link[^"]* active"[^>]*data-testid="card-journal-{key}"', pane), key
        assert pane.count('data-testid="card-journal-') == 4, key
    for label in ("Счета", "Оплаты", "Акты", "Счета-фактуры"):
        assert label in invoices
