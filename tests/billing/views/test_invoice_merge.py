"""The invoice's form saved from a stale page (INV-01, core.conflicts) through the views: it carries what was read
(its snapshot, the lines among it, kept through the form's redraws), the other user's changes stay, and a field —
or the lines — both changed comes back marked next to it, nothing saved, the page re-based to choose."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.billing.models import Invoice
from kontora.core.models import AuditEvent, BankAccount
from tests.billing.factories import issued_invoice
from tests.clients.factories import ClientFactory
from tests.support.http import html

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
CONFLICT = "Пока вы редактировали, другой пользователь изменил те же поля"
MARKED = "Поле изменено другим пользователем, пока вы редактировали."


def _day(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _read(page: str) -> str:
    found = re.search(r'name="invoice-read" value="([^"]+)"', page)
    assert found is not None, "the form carries what was read"
    return found.group(1)


def _opened(user_client: Any, invoice: Invoice) -> str:
    """The invoice's form opened by a user: the snapshot it carries."""
    return _read(html(user_client.get(f"/invoices/{invoice.pk}/edit/")))


def _post(invoice: Invoice, read: str, *lines: tuple[str, str], **head: Any) -> dict[str, Any]:
    """The form as the browser posts it: the head as read unless changed, `lines` as (name, price)."""
    data: dict[str, Any] = {
        "invoice-read": read, "client": invoice.client_id, "fixed": "1", "legal_entity": invoice.legal_entity_id,
        "entity_was": invoice.legal_entity_id,
        "bank_account": BankAccount.objects.filter(legal_entity=invoice.legal_entity).first().pk,  # type: ignore[union-attr]
        "date": invoice.date.isoformat(), "due_date": "", "vat_mode": "included", "note": "",
        "lines": str(len(lines)), **head,
    }
    for index, (name, price) in enumerate(lines):
        data.update({f"line-{index}-name": name, f"line-{index}-price": price, f"line-{index}-quantity": "1",
                     f"line-{index}-vat_rate": "22"})
    return data


def _lines_of(invoice: Invoice) -> list[tuple[str, Decimal]]:
    return [(row.name, row.price) for row in invoice.lines.order_by("position")]


@pytest.fixture
def invoice(manager_user: Any, our_entity: Any) -> Invoice:
    return issued_invoice(manager_user, ClientFactory(curator=manager_user), "100.00")


@pytest.mark.feature("INV-01")
def test_a_stale_page_keeps_the_other_users_due_date_and_saves_the_note(invoice: Invoice, manager_client: Any,
                                                                       admin_client: Any) -> None:
    # given both opened the form
    mine, theirs = _opened(manager_client, invoice), _opened(admin_client, invoice)
    # when the administrator saves a new due date, then the manager his note from the stale page
    assert admin_client.post(f"/invoices/{invoice.pk}/edit/", _post(
        invoice, theirs, ("Услуга", "100"), due_date=_day(10).isoformat())).status_code == 302
    answer = manager_client.post(f"/invoices/{invoice.pk}/edit/", _post(
        invoice, mine, ("Услуга", "100"), note="Оплата до конца месяца"))
    # then the manager's save goes through and both changes are kept
    assert answer.status_code == 302, html(answer)
    invoice.refresh_from_db()
    assert (invoice.due_date, invoice.note) == (_day(10), "Оплата до конца месяца")
    assert AuditEvent.objects.filter(event="billing.invoice.update", target_id=invoice.pk).count() == 2


@pytest.mark.feature("INV-01")
def test_a_due_date_both_changed_is_marked_next_to_it_and_nothing_is_saved(invoice: Invoice, manager_client: Any,
                                                                          admin_client: Any) -> None:
    mine, theirs = _opened(manager_client, invoice), _opened(admin_client, invoice)
    admin_client.post(f"/invoices/{invoice.pk}/edit/", _post(invoice, theirs, ("Услуга", "100"),
                                                             due_date=_day(10).isoformat()))
    # when the manager's stale page changes the note and the due date to another day
    page = html(manager_client.post(f"/invoices/{invoice.pk}/edit/", _post(
        invoice, mine, ("Услуга", "100"), note="Моё", due_date=_day(20).isoformat())))
    # then the page says so, the due date marked with who changed it to what, beside his own value
    assert CONFLICT in page
    marked = page[page.index('data-testid="conflict-due_date"'):]
    assert "Администратор Системы" in marked[:400] and _day(10).strftime("%d.%m.%Y") in marked[:400]
    assert f'data-testid="error-due_date">{MARKED}<' in page
    assert 'data-testid="conflict-note"' not in page and 'data-testid="conflict-table"' not in page
    assert re.search(rf'name="due_date" value="{_day(20).isoformat()}"', page)  # his value, as he typed it
    # and nothing is saved (not even the note)
    invoice.refresh_from_db()
    assert (invoice.due_date, invoice.note) == (_day(10), "")
    # when he saves the re-based page again, keeping his day
    again = manager_client.post(f"/invoices/{invoice.pk}/edit/", _post(
        invoice, _read(page), ("Услуга", "100"), note="Моё", due_date=_day(20).isoformat()))
    # then his choices are saved
    assert again.status_code == 302, html(again)
    invoice.refresh_from_db()
    assert (invoice.due_date, invoice.note) == (_day(20), "Моё")


@pytest.mark.feature("INV-01")
def test_take_theirs_keeps_the_other_users_due_date(invoice: Invoice, manager_client: Any,
                                                   admin_client: Any) -> None:
    mine, theirs = _opened(manager_client, invoice), _opened(admin_client, invoice)
    admin_client.post(f"/invoices/{invoice.pk}/edit/", _post(invoice, theirs, ("Услуга", "100"),
                                                             due_date=_day(10).isoformat()))
    page = html(manager_client.post(f"/invoices/{invoice.pk}/edit/", _post(
        invoice, mine, ("Услуга", "100"), note="Моё", due_date=_day(20).isoformat())))
    assert 'name="invoice-read-theirs" value="due_date"' in page
    # when he ticks «take theirs» and saves again
    manager_client.post(f"/invoices/{invoice.pk}/edit/", {**_post(
        invoice, _read(page), ("Услуга", "100"), note="Моё", due_date=_day(20).isoformat()),
        "invoice-read-theirs": "due_date"})
    invoice.refresh_from_db()
    assert (invoice.due_date, invoice.note) == (_day(10), "Моё")


@pytest.mark.feature("INV-01")
def test_the_other_users_lines_stay_under_a_stale_change_of_the_head(invoice: Invoice, manager_client: Any,
                                                                     admin_client: Any) -> None:
    mine, theirs = _opened(manager_client, invoice), _opened(admin_client, invoice)
    # when the administrator changes the lines and the manager's stale page only the head
    admin_client.post(f"/invoices/{invoice.pk}/edit/", _post(invoice, theirs, ("Услуга", "100"),
                                                             ("Доставка", "50")))
    answer = manager_client.post(f"/invoices/{invoice.pk}/edit/", _post(
        invoice, mine, ("Услуга", "100"), due_date=_day(5).isoformat()))
    # then the administrator's lines are kept with the manager's head
    assert answer.status_code == 302, html(answer)
    invoice.refresh_from_db()
    assert _lines_of(invoice) == [("Услуга", Decimal("100.00")), ("Доставка", Decimal("50.00"))]
    assert invoice.due_date == _day(5) and invoice.gross == Decimal("150.00")


@pytest.mark.feature("INV-01")
def test_lines_both_changed_are_marked_on_the_table_and_nothing_is_saved(invoice: Invoice, manager_client: Any,
                                                                        admin_client: Any) -> None:
    mine, theirs = _opened(manager_client, invoice), _opened(admin_client, invoice)
    admin_client.post(f"/invoices/{invoice.pk}/edit/", _post(invoice, theirs, ("Услуга", "120")))
    # when the manager's stale page changes the lines too (and the note)
    page = html(manager_client.post(f"/invoices/{invoice.pk}/edit/", _post(
        invoice, mine, ("Услуга", "100"), ("Доставка", "5"), note="Моё")))
    # then the table is marked with the administrator's lines; his own lines stay in the table to choose
    assert CONFLICT in page
    marked = page[page.index('data-testid="conflict-table"'):]
    assert "Администратор Системы" in marked[:500] and "Услуга × 1 × 120" in marked[:500]
    assert 'name="invoice-read-theirs" value="table"' in marked[:1000]
    assert 'value="Доставка"' in page
    # and nothing is saved
    invoice.refresh_from_db()
    assert _lines_of(invoice) == [("Услуга", Decimal("120.00"))] and invoice.note == ""


@pytest.mark.feature("INV-01")
def test_a_conflict_on_the_head_redraws_the_other_users_lines(invoice: Invoice, manager_client: Any,
                                                              admin_client: Any) -> None:
    mine, theirs = _opened(manager_client, invoice), _opened(admin_client, invoice)
    admin_client.post(f"/invoices/{invoice.pk}/edit/", _post(invoice, theirs, ("Услуга", "120"),
                                                             due_date=_day(10).isoformat()))
    page = html(manager_client.post(f"/invoices/{invoice.pk}/edit/", _post(
        invoice, mine, ("Услуга", "100"), due_date=_day(20).isoformat())))
    # the manager did not touch the lines: the re-based page shows the administrator's, so saving it keeps them
    assert 'data-testid="conflict-due_date"' in page and 'data-testid="conflict-table"' not in page
    assert re.search(r'name="line-0-price" value="120"', page)
    again = manager_client.post(f"/invoices/{invoice.pk}/edit/", _post(
        invoice, _read(page), ("Услуга", "120"), due_date=_day(20).isoformat()))
    assert again.status_code == 302, html(again)
    invoice.refresh_from_db()
    assert _lines_of(invoice) == [("Услуга", Decimal("120.00"))] and invoice.due_date == _day(20)


@pytest.mark.feature("INV-01")
def test_the_forms_redraw_carries_what_was_read(invoice: Invoice, manager_client: Any, admin_client: Any) -> None:
    mine, theirs = _opened(manager_client, invoice), _opened(admin_client, invoice)
    # when the manager types a note and adds a line (the form drawn again over what he typed)
    body = html(manager_client.post("/invoices/form/?op=add", _post(invoice, mine, ("Услуга", "100"), note="Моё"),
                                    **HX))
    # then the redrawn form carries the snapshot he opened, not what he typed so far
    assert _read(body) == mine
    # when meanwhile the administrator changes the due date, and the manager saves with a second line
    admin_client.post(f"/invoices/{invoice.pk}/edit/", _post(invoice, theirs, ("Услуга", "100"),
                                                             due_date=_day(10).isoformat()))
    answer = manager_client.post(f"/invoices/{invoice.pk}/edit/", _post(
        invoice, _read(body), ("Услуга", "100"), ("Доставка", "5"), note="Моё"))
    # then his note and lines are saved (changed against what he read) and the administrator's due date stays
    assert answer.status_code == 302, html(answer)
    invoice.refresh_from_db()
    assert (invoice.note, invoice.due_date) == ("Моё", _day(10))
    assert _lines_of(invoice) == [("Услуга", Decimal("100.00")), ("Доставка", Decimal("5.00"))]


@pytest.mark.feature("INV-02")
def test_a_stale_page_of_an_invoice_paid_meanwhile_is_refused(invoice: Invoice, manager_user: Any,
                                                             manager_client: Any) -> None:
    from kontora.billing.services.payments import payment_record

    mine = _opened(manager_client, invoice)
    payment_record(acting_user=manager_user, client=invoice.client, invoice=invoice, date=timezone.localdate(),
                   amount=Decimal("10"))
    answer = manager_client.post(f"/invoices/{invoice.pk}/edit/", _post(invoice, mine, ("Услуга", "100"),
                                                                       note="Поздно"), follow=True)
    assert "По счёту учтены оплаты или он отменён: изменить его нельзя." in html(answer)
    invoice.refresh_from_db()
    assert invoice.note == ""
