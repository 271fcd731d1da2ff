"""Payments' pages (INV-04, CLI-14): the payment form, a payment's page with its storno and «Зачесть аванс»,
Журналы → «Журнал платежей» and the card's «Платежи»."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.billing.models import Invoice, Payment
from kontora.billing.services.invoices import InvoiceData, invoice_cancel, invoice_create
from kontora.billing.services.payments import Overpayment, payment_cancel, payment_record
from kontora.clients.models import ClientGrant
from tests.accounts.factories import UserFactory
from tests.billing.factories import issued_invoice, line
from tests.clients.factories import ClientFactory
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
ROW = re.compile(r'data-testid="payment-row"')


def _today() -> datetime.date:
    return timezone.localdate()


def _form(invoice: Invoice | None = None, amount: str = "", **values: Any) -> dict[str, Any]:
    data = {"date": _today().isoformat(), "amount": amount, "kind": Payment.Kind.NON_CASH,
            "overpayment": Overpayment.REFUSE.value, "payer": "ООО Ромашка", "bank_document": "17",
            "invoice": "" if invoice is None else str(invoice.pk)}
    data.update(values)
    return data


def _state(invoice: Invoice) -> tuple[str, Decimal, Decimal]:
    invoice.refresh_from_db()
    return invoice.status, invoice.paid, invoice.due


def _error(page: str, field: str) -> str:
    found = re.search(rf'data-testid="error-{field}">([^<]+)<', page)
    return found.group(1) if found else ""


def _pay(user: Any, client: Any, amount: str, invoice: Invoice | None = None, **kwargs: Any) -> Payment:
    return payment_record(acting_user=user, client=client, invoice=invoice, date=_today(), amount=Decimal(amount),
                          **kwargs)


# --- the payment form ---------------------------------------------------------------------------------------------


@pytest.mark.feature("INV-04")
def test_the_form_opened_for_an_invoice_is_prefilled_with_its_due_and_the_clients_name(
    manager_user: Any, manager_client: Any, our_entity: Any,
) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка", full_name="ООО «Ромашка»")
    invoice = issued_invoice(manager_user, client, "1000.00")
    _pay(manager_user, client, "400.00", invoice)
    # a draft and a paid invoice are not offered
    invoice_create(acting_user=manager_user, data=InvoiceData(client=client, date=_today(), lines=[line("5.00")]))
    page = html(manager_client.get(f"/clients/{client.pk}/payments/new/?invoice={invoice.pk}", **HX))
    assert 'name="amount" value="600.00"' in page
    assert 'value="ООО «Ромашка»"' in page
    assert re.search(rf'<option value="{invoice.pk}" selected>АМ-1 от [\d.]+: 1\xa0000,00, к оплате 600,00', page)
    assert "АМ-2" not in page
    assert "нет: аванс клиента" in page and "Остаток — аванс клиента" in page
    assert 'data-testid="payment-problem"' not in page


@pytest.mark.feature("INV-04")
def test_a_partial_then_a_full_payment_change_the_invoices_status(manager_user: Any, manager_client: Any,
                                                                  our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "1000.00")
    # when 400 is paid through the form
    answer = manager_client.post(f"/clients/{client.pk}/payments/new/", _form(invoice, "400.00"), **HX)
    # then the user goes to the payment's page, and the invoice is partly paid
    first = Payment.objects.get()
    assert answer.status_code == 204 and answer["HX-Redirect"] == f"/payments/{first.pk}/"
    assert _state(invoice) == (Invoice.Status.PARTLY_PAID, Decimal("400.00"), Decimal("600.00"))
    page = html(manager_client.get(f"/payments/{first.pk}/"))
    assert re.search(r'data-testid="invoice-status">оплачен частично<', page)
    assert re.search(r'data-testid="invoice-due">600,00<', page)
    # when the rest is paid in cash
    manager_client.post(f"/clients/{client.pk}/payments/new/",
                        _form(invoice, "600.00", kind=Payment.Kind.CASH), **HX)
    # then it is paid
    assert _state(invoice) == (Invoice.Status.PAID, Decimal("1000.00"), Decimal(0))
    second = Payment.objects.exclude(pk=first.pk).get()
    assert (second.kind, second.payer, second.bank_document, second.author) == (
        Payment.Kind.CASH, "ООО Ромашка", "17", manager_user)
    # and says so as an invoice is said to be: «оплачен» (the paid sum's column stays «оплачено»)
    page = html(manager_client.get(f"/payments/{second.pk}/"))
    assert re.search(r'data-testid="invoice-status">оплачен<', page)
    assert str(Invoice._meta.get_field("paid").verbose_name) == "оплачено"


@pytest.mark.feature("INV-04")
def test_an_overpayment_kept_as_an_advance_on_request(manager_user: Any, manager_client: Any,
                                                      our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    manager_client.post(f"/clients/{client.pk}/payments/new/",
                        _form(invoice, "150.00", overpayment=Overpayment.ADVANCE.value), **HX)
    assert _state(invoice) == (Invoice.Status.PAID, Decimal("100.00"), Decimal(0))
    payment = Payment.objects.get()
    page = html(manager_client.get(f"/payments/{payment.pk}/"))
    assert re.search(r'data-testid="payment-unapplied">50,00<', page)


@pytest.mark.feature("INV-04")
def test_bad_payments_are_refused_next_to_their_fields_and_nothing_is_saved(
    manager_user: Any, manager_client: Any, admin_user: Any, our_entity: Any,
) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    cancelled = issued_invoice(manager_user, client, "50.00")
    invoice_cancel(acting_user=admin_user, invoice_id=cancelled.pk, reason="ошибка")
    url = f"/clients/{client.pk}/payments/new/"
    cases = [
        (_form(cancelled, "10.00"), "invoice", "Счёт АМ-2 аннулирован: его нельзя оплатить."),
        (_form(invoice, "150.00"), "amount", "Оплата 150,00 больше, чем осталось оплатить по счёту АМ-1 (100,00): "
                                             "уменьшите её или оставьте излишек авансом клиента."),
        (_form(invoice, "0"), "amount", "Сумма оплаты должна быть больше нуля."),
        (_form(invoice, "-5"), "amount", "Сумма оплаты должна быть больше нуля."),
        (_form(invoice, "10", date=(_today() - datetime.timedelta(days=3)).isoformat()), "date",
         "У вас нет права изменять данные прошедших дат: выберите сегодняшнюю или более позднюю дату."),
        (_form(invoice, ""), "amount", "Укажите полученную сумму."),
    ]
    for data, field, message in cases:
        page = html(manager_client.post(url, data, **HX))
        assert _error(page, field) == message, (field, message, page[-3000:])
    assert not Payment.objects.exists()
    assert _state(invoice) == (Invoice.Status.ISSUED, Decimal(0), Decimal("100.00"))


@pytest.mark.feature("INV-04")
def test_a_draft_invoice_is_not_paid_until_issued(manager_user: Any, manager_client: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    draft = invoice_create(acting_user=manager_user, data=InvoiceData(client=client, date=_today(),
                                                                      lines=[line("100.00")]))
    # the form opened for it says so at once
    page = html(manager_client.get(f"/clients/{client.pk}/payments/new/?invoice={draft.pk}", **HX))
    assert "Счёт АМ-1 — черновик: сначала выставьте его, затем вводите оплату." in page
    # and its payment is refused next to the invoice
    page = html(manager_client.post(f"/clients/{client.pk}/payments/new/", _form(draft, "10.00"), **HX))
    assert _error(page, "invoice") == "Счёт АМ-1 — черновик: сначала выставьте его, затем вводите оплату."
    assert not Payment.objects.exists()


@pytest.mark.feature("INV-04")
def test_a_payment_without_an_invoice_is_the_clients_advance_applied_later_by_hand(
    manager_user: Any, manager_client: Any, our_entity: Any,
) -> None:
    client = ClientFactory(curator=manager_user)
    manager_client.post(f"/clients/{client.pk}/payments/new/", _form(None, "300.00"), **HX)
    advance = Payment.objects.get()
    assert advance.invoice is None and advance.legal_entity == our_entity
    invoice = issued_invoice(manager_user, client, "200.00")
    page = html(manager_client.get(f"/payments/{advance.pk}/"))
    assert 'data-testid="apply-form"' in page and re.search(r'data-testid="payment-unapplied">300,00<', page)
    # a wrong amount is refused next to it
    refused = html(manager_client.post(f"/payments/{advance.pk}/apply/", {"invoice": invoice.pk, "amount": "250"}))
    assert _error(refused, "amount") == "По счёту АМ-1 осталось оплатить только 200,00."
    assert _state(invoice) == (Invoice.Status.ISSUED, Decimal(0), Decimal("200.00"))
    # when 50 is applied to the invoice
    answer = manager_client.post(f"/payments/{advance.pk}/apply/", {"invoice": invoice.pk, "amount": "50"})
    assert answer.status_code == 302
    assert _state(invoice) == (Invoice.Status.PARTLY_PAID, Decimal("50.00"), Decimal("150.00"))
    # when the rest goes automatically, oldest first
    manager_client.post(f"/clients/{client.pk}/advances/apply/", {"next": f"/payments/{advance.pk}/"})
    assert _state(invoice) == (Invoice.Status.PAID, Decimal("200.00"), Decimal(0))
    page = html(manager_client.get(f"/payments/{advance.pk}/"))
    assert len(re.findall(r'data-testid="payment-allocation"', page)) == 2
    assert re.search(r'data-testid="payment-unapplied">100,00<', page)
    # with no invoice left to pay the automatic one says there is nothing to apply
    back = manager_client.post(f"/clients/{client.pk}/advances/apply/", {"next": f"/payments/{advance.pk}/"},
                               follow=True)
    assert "Зачитывать нечего: у клиента нет остатка аванса или неоплаченных счетов." in html(back)


@pytest.mark.feature("INV-04")
def test_storno_needs_the_right_a_reason_and_gives_the_invoice_its_due_back(
    manager_user: Any, manager_client: Any, supervisor_user: Any, our_entity: Any,
) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    small = _pay(manager_user, client, "40.00", invoice)
    rest = _pay(manager_user, client, "60.00", invoice)
    # the manager has no right to cancel payments: no form, and its post is refused
    assert 'data-testid="cancel-form"' not in html(manager_client.get(f"/payments/{rest.pk}/"))
    assert manager_client.post(f"/payments/{rest.pk}/cancel/", {"reason": "ошибка"}).status_code == 403
    # a supervisor who opens every card (the right by his role) must say why
    boss = UserFactory(login="boss", role="supervisor", client_scope="full")
    browser = signed_in(boss)
    assert 'data-testid="cancel-form"' in html(browser.get(f"/payments/{rest.pk}/"))
    page = html(browser.post(f"/payments/{rest.pk}/cancel/", {"reason": "  "}))
    assert _error(page, "reason") == "Укажите причину отмены оплаты."
    assert _state(invoice) == (Invoice.Status.PAID, Decimal("100.00"), Decimal(0))
    # when he cancels the 60: the invoice is partly paid again, the payment shows who and why
    browser.post(f"/payments/{rest.pk}/cancel/", {"reason": "возврат банком"})
    assert _state(invoice) == (Invoice.Status.PARTLY_PAID, Decimal("40.00"), Decimal("60.00"))
    page = html(browser.get(f"/payments/{rest.pk}/"))
    assert "возврат банком" in page and boss.full_name in page and 'data-testid="cancel-form"' not in page
    # and the other too: the invoice is issued again
    browser.post(f"/payments/{small.pk}/cancel/", {"reason": "ошибка"})
    assert _state(invoice) == (Invoice.Status.ISSUED, Decimal(0), Decimal("100.00"))


# --- the journal and the card's pane ------------------------------------------------------------------------------


@pytest.mark.feature("INV-04")
def test_the_journal_lists_own_payments_with_filters_and_totals(manager_user: Any, manager_client: Any,
                                                                admin_user: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    invoice = issued_invoice(manager_user, client, "1000.00")
    _pay(manager_user, client, "400.00", invoice, note="Первая")
    cash = _pay(manager_user, client, "250.50", kind=Payment.Kind.CASH)
    dropped = _pay(manager_user, client, "10.00", invoice)
    payment_cancel(acting_user=admin_user, payment_id=dropped.pk, reason="дубль")
    # a colleague's payment on his own client
    colleague = UserFactory(login="colleague", role="manager")
    theirs = ClientFactory(curator=colleague, short_name="Чужой")
    _pay(colleague, theirs, "77.00")
    page = html(manager_client.get("/payments/"))
    assert len(ROW.findall(page)) == 3 and "Чужой" not in page
    assert "Итого: 3 оплаты" in page and "1 сторнирована" in page
    assert re.search(r'data-testid="payments-sum">650,50<', page)
    assert re.search(r'data-testid="payments-advance">250,50<', page)
    # filtered: cash only; live only
    cash_only = html(manager_client.get("/payments/", {"kind": Payment.Kind.CASH}))
    assert len(ROW.findall(cash_only)) == 1 and f'data-id="{cash.pk}"' in cash_only
    live = html(manager_client.get("/payments/", {"state": "live"}))
    assert len(ROW.findall(live)) == 2 and f'data-id="{dropped.pk}"' not in live
    later = html(manager_client.get("/payments/", {"date_from": (_today() + datetime.timedelta(days=1)).isoformat()}))
    assert 'data-testid="payments-empty"' in later
    # a supervisor (journals of all employees) sees both, and may narrow to his own
    boss = signed_in(UserFactory(login="boss", role="supervisor", client_scope="full"))
    every = html(boss.get("/payments/"))
    assert len(ROW.findall(every)) == 4 and "Журнал платежей всех сотрудников" in every
    assert 'data-testid="payments-empty"' in html(boss.get("/payments/", {"whose": "mine"}))


@pytest.mark.feature("INV-04", "CLI-14")
def test_the_journal_counts_what_client_access_hides(manager_user: Any, manager_client: Any,
                                                    our_entity: Any) -> None:
    # given a client the manager curated, then handed over (his payment stays his own work)
    client = ClientFactory(curator=manager_user)
    _pay(manager_user, client, "10.00")
    client.curator = UserFactory(login="next")
    client.save()
    page = html(manager_client.get("/payments/"))
    assert 'data-testid="payment-row"' not in page
    assert "1 строка скрыта: клиенты, к которым у вас нет доступа." in page


@pytest.mark.feature("INV-04", "CLI-14")
def test_one_clients_journal_and_the_card_pane_list_every_employees_payments(
    manager_user: Any, manager_client: Any, our_entity: Any,
) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    other = UserFactory(login="colleague", role="manager", client_scope="full")
    _pay(manager_user, client, "10.00")
    _pay(other, client, "20.00")
    _pay(manager_user, ClientFactory(curator=manager_user, short_name="Лютик"), "30.00")
    journal = html(manager_client.get("/payments/", {"client": client.pk}))
    assert len(ROW.findall(journal)) == 2 and "Лютик" not in journal
    assert 'data-testid="payment-add"' in journal and 'data-testid="advances-apply"' in journal
    pane = html(manager_client.get(f"/clients/{client.pk}/payments/"))
    assert len(ROW.findall(pane)) == 2 and "<form" not in pane
    assert f'hx-get="/clients/{client.pk}/payments/new/"' in pane and 'data-key="Insert"' in pane
    assert re.search(r'data-testid="payments-sum">30,00<', pane)


@pytest.mark.feature("INV-04", "CLI-14")
def test_show_more_pages_the_journal_past_fifty(manager_user: Any, manager_client: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    for _number in range(53):
        _pay(manager_user, client, "1.00")
    first = html(manager_client.get(f"/clients/{client.pk}/payments/"))
    assert len(ROW.findall(first)) == 50
    more = re.search(r'hx-get="([^"]+)" hx-trigger="click"', first)
    assert more is not None
    assert len(ROW.findall(html(manager_client.get(more.group(1).replace("&amp;", "&"))))) == 3
    journal = html(manager_client.get("/payments/"))
    more = re.search(r'hx-get="([^"]+)" hx-trigger="click"', journal)
    assert more is not None
    assert len(ROW.findall(html(manager_client.get(more.group(1).replace("&amp;", "&"), **HX)))) == 3


@pytest.mark.feature("INV-04")
def test_the_journal_reads_as_many_queries_for_twenty_payments_as_for_one(
    manager_user: Any, manager_client: Any, admin_user: Any, our_entity: Any,
) -> None:
    clients = [ClientFactory(curator=manager_user) for _number in range(3)]

    def add(number: int) -> None:
        client = clients[number % 3]
        if number % 2:
            _pay(manager_user, client, "5.00", issued_invoice(manager_user, client, "10.00"))
        else:
            payment = _pay(manager_user, client, "3.00")
            if number % 4 == 0:
                payment_cancel(acting_user=admin_user, payment_id=payment.pk, reason="ошибка")

    page = assert_flat_queries(lambda: html(manager_client.get("/payments/")), add, rows=20)
    assert len(ROW.findall(page)) == 20


@pytest.mark.feature("INV-04", "CLI-14")
def test_the_card_pane_reads_as_many_queries_for_twenty_payments_as_for_one(
    manager_user: Any, manager_client: Any, our_entity: Any,
) -> None:
    client = ClientFactory(curator=manager_user)

    def add(number: int) -> None:
        _pay(manager_user, client, "2.00", issued_invoice(manager_user, client, "2.00") if number % 2 else None)

    page = assert_flat_queries(lambda: html(manager_client.get(f"/clients/{client.pk}/payments/")), add, rows=20)
    assert len(ROW.findall(page)) == 20


@pytest.mark.feature("INV-04")
def test_the_payment_page_reads_as_many_queries_for_many_allocations_as_for_one(
    manager_user: Any, manager_client: Any, our_entity: Any,
) -> None:
    from kontora.billing.services.payments import advance_apply

    client = ClientFactory(curator=manager_user)
    advance = _pay(manager_user, client, "100.00")

    def add(number: int) -> None:
        invoice = issued_invoice(manager_user, client, "1.00")
        advance_apply(acting_user=manager_user, payment_id=advance.pk, invoice_id=invoice.pk)

    page = assert_flat_queries(lambda: html(manager_client.get(f"/payments/{advance.pk}/")), add, rows=10)
    assert len(re.findall(r'data-testid="payment-allocation"', page)) == 10


# --- access ---------------------------------------------------------------------------------------------------------


@pytest.mark.feature("INV-04", "CLI-14")
def test_a_manager_never_sees_another_managers_clients_payments(manager_user: Any, manager_client: Any,
                                                                 our_entity: Any) -> None:
    # given another manager's client (own-clients mode: closed to our manager) with a payment
    other = UserFactory(login="other", role="manager", client_scope="own")
    theirs = ClientFactory(curator=other, short_name="Чужой клиент")
    secret = _pay(other, theirs, "99.00", payer="ЯЧ секрет")
    mine = ClientFactory(curator=manager_user)
    _pay(manager_user, mine, "1.00")
    # then neither the journal, one client's journal, the card's pane nor the payment's page shows it
    journal = html(manager_client.get("/payments/"))
    assert len(ROW.findall(journal)) == 1 and "ЯЧ секрет" not in journal and "Чужой клиент" not in journal
    for url in (f"/payments/?client={theirs.pk}", f"/clients/{theirs.pk}/payments/", f"/payments/{secret.pk}/",
                f"/clients/{theirs.pk}/payments/new/"):
        answer = manager_client.get(url)
        assert answer.status_code == 404, url
        assert "ЯЧ секрет" not in html(answer)
    # nor may he write for it
    for url, data in ((f"/clients/{theirs.pk}/payments/new/", _form(None, "1.00")),
                      (f"/payments/{secret.pk}/apply/", {"invoice": ""}),
                      (f"/clients/{theirs.pk}/advances/apply/", {}),
                      ("/payments/new/", {"client": theirs.pk})):
        assert manager_client.post(url, data).status_code == 404, url
    assert Payment.objects.filter(client=theirs).count() == 1


@pytest.mark.feature("INV-04", "CLI-14")
def test_a_list_only_user_sees_no_payment_of_a_client_he_cannot_open(our_entity: Any) -> None:
    stranger = UserFactory(login="stranger", role="manager")
    client = ClientFactory(curator=stranger, short_name="Выход в список")
    payment = _pay(stranger, client, "10.00", note="ЯЧ секрет")
    lister_user = UserFactory(login="lister", role="supervisor", client_scope="list_all")
    lister = signed_in(lister_user)
    journal = html(lister.get("/payments/"))
    assert 'data-testid="payment-row"' not in journal and "ЯЧ секрет" not in journal
    for url in (f"/payments/?client={client.pk}", f"/clients/{client.pk}/payments/", f"/payments/{payment.pk}/"):
        assert lister.get(url).status_code == 404, url
    # a positive control: a user who opens every card sees it
    opener = signed_in(UserFactory(login="opener", role="supervisor", client_scope="open_all"))
    assert f'data-id="{payment.pk}"' in html(opener.get("/payments/"))
    assert opener.get(f"/payments/{payment.pk}/").status_code == 200


@pytest.mark.feature("INV-04")
def test_a_client_opened_read_only_shows_payments_but_takes_none(our_entity: Any) -> None:
    stranger = UserFactory(login="stranger", role="manager")
    client = ClientFactory(curator=stranger)
    payment = _pay(stranger, client, "10.00")
    # a manager the client is shown to without the right to change it
    reader_user = UserFactory(login="reader", role="manager", client_scope="own")
    ClientGrant.objects.create(client=client, user=reader_user, can_edit=False)
    reader = signed_in(reader_user)
    page = html(reader.get(f"/payments/{payment.pk}/"))
    assert 'data-testid="apply-form"' not in page and 'data-testid="cancel-form"' not in page
    assert 'data-testid="payment-add"' not in html(reader.get(f"/clients/{client.pk}/payments/"))
    assert reader.get(f"/clients/{client.pk}/payments/new/").status_code == 403
    assert reader.post("/payments/new/", {"client": client.pk}, **HX).status_code == 403
    assert reader.post(f"/payments/{payment.pk}/apply/", {"invoice": ""}).status_code == 403


@pytest.mark.feature("INV-04")
def test_ins_in_the_journal_picks_the_client_then_opens_his_payment_form(manager_user: Any, manager_client: Any,
                                                                         our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    journal = html(manager_client.get("/payments/"))
    assert 'hx-get="/payments/new/"' in journal and 'data-key="Insert"' in journal
    picker = html(manager_client.get("/payments/new/", **HX))
    assert 'name="client"' in picker
    empty = html(manager_client.post("/payments/new/", {"client": ""}, **HX))
    assert _error(empty, "client") == "Выберите клиента, от которого пришла оплата."
    form = html(manager_client.post("/payments/new/", {"client": client.pk}, **HX))
    assert f'action="/clients/{client.pk}/payments/new/"' in form and "Оплата: Ромашка" in form


@pytest.mark.feature("INV-04")
def test_the_menu_offers_the_payments_journal_as_the_users_right_says(manager_client: Any,
                                                                      our_entity: Any) -> None:
    page = html(manager_client.get("/payments/"))
    assert ">Журнал платежей<" in page and "Журнал платежей всех сотрудников" not in page
    boss = signed_in(UserFactory(login="boss", role="supervisor"))
    assert 'href="/payments/?whose=all"' in html(boss.get("/payments/"))


@pytest.mark.feature("INV-04")
def test_without_journals_of_all_employees_the_journal_lists_only_his_own_work(our_entity: Any) -> None:
    # given a manager who opens every client, his client and a colleague's, with payments of both
    me = UserFactory(login="opener", role="manager", client_scope="open_all")
    colleague = UserFactory(login="colleague", role="manager", client_scope="full")
    mine, theirs = ClientFactory(curator=me), ClientFactory(curator=colleague)
    by_colleague_on_mine = _pay(colleague, mine, "1.00")
    recorded_by_me = _pay(me, theirs, "2.00")
    not_mine = _pay(colleague, theirs, "3.00")
    browser = signed_in(me)
    # then his journal lists what he recorded and what is about his client, not the colleague's own work
    journal = html(browser.get("/payments/"))
    assert f'data-id="{by_colleague_on_mine.pk}"' in journal and f'data-id="{recorded_by_me.pk}"' in journal
    assert f'data-id="{not_mine.pk}"' not in journal
    assert 'data-testid="payments-hidden"' not in journal  # not hidden by access: just not his
    # while the colleague's client's own journal and the payment's page show it to him (he opens the client)
    assert f'data-id="{not_mine.pk}"' in html(browser.get("/payments/", {"client": theirs.pk}))
    assert browser.get(f"/payments/{not_mine.pk}/").status_code == 200
