"""A change of an invoice from a stale form is merged field by field (INV-01, core.conflicts): what the other user
saved meanwhile stays, what only this user changed is saved, a field (or the lines) both changed is a conflict and
nothing is saved."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.billing.forms.invoices import TABLE, InvoiceForm, invoice_stored, stored_lines
from kontora.billing.models import Invoice
from kontora.billing.services.invoices import InvoiceData, LineData, invoice_cancel, invoice_update
from kontora.billing.services.payments import payment_record
from kontora.core.conflicts import EditConflict
from kontora.core.errors import Refused
from kontora.core.models import AuditEvent
from tests.billing.factories import issued_invoice
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


class Opened:
    """An invoice's form as one user opened it: the values he read, the lines among them."""

    def __init__(self, invoice: Invoice) -> None:
        self.invoice = invoice
        self.lines = stored_lines(invoice)
        self.read = invoice_stored(invoice, self.lines)

    def form(self, user: Any, head: Mapping[str, Any], lines: list[dict[str, Any]] | None) -> InvoiceForm:
        """The form posted with `head` changed and the lines replaced by `lines` (None: as read)."""
        data: dict[str, Any] = {name: "" if value is None else str(value)
                                for name, value in self.read.items() if name != TABLE}
        data.update(head)
        rows = self.lines if lines is None else lines
        data["lines"] = str(len(rows))
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"line-{index}-{name}"] = str(value)
        form = InvoiceForm(data, initial=self.read, user=user, client=self.invoice.client,
                           entity=self.invoice.legal_entity, fixed_client=True)
        assert form.is_valid(), form.errors
        return form

    def save(self, user: Any, *, lines: list[dict[str, Any]] | None = None, **head: Any) -> Invoice:
        """Saves the form as the view does: the whole invoice as typed, with the form's edit."""
        form = self.form(user, head, lines)
        data = form.cleaned_data
        rows = self.lines if lines is None else lines
        typed = InvoiceData(
            client=data["client"], date=data["date"], legal_entity=data["legal_entity"],
            bank_account=data["bank_account"], attention=data["attention"], due_date=data["due_date"],
            vat_mode=data["vat_mode"], note=data["note"],
            lines=[LineData(name=row["name"], quantity=Decimal(row["quantity"]), price=Decimal(row["price"]),
                            vat_rate=None if row["vat_rate"] == "none" else Decimal(row["vat_rate"]))
                   for row in rows])
        return invoice_update(acting_user=user, invoice_id=self.invoice.pk, data=typed, edit=form.edit())


def _line(price: str, name: str = "Услуга", quantity: str = "1") -> dict[str, str]:
    return {"name": name, "quantity": quantity, "price": price, "vat_rate": "22"}


def _day(days: int) -> str:
    return (_today() + datetime.timedelta(days=days)).isoformat()


def _lines_of(invoice: Invoice) -> list[tuple[str, Decimal]]:
    return [(row.name, row.price) for row in invoice.lines.order_by("position")]


@pytest.mark.feature("INV-01")
def test_a_stale_form_keeps_the_other_users_change_and_saves_its_own(manager_user: Any, admin_user: Any,
                                                                    our_entity: Any) -> None:
    # given the manager and the administrator both opened the manager's invoice
    invoice = issued_invoice(manager_user, ClientFactory(curator=manager_user), "100.00")
    theirs, mine = Opened(invoice), Opened(invoice)
    # when the administrator changes the due date and the manager, on his stale form, the note
    theirs.save(admin_user, due_date=_day(10))
    mine.save(manager_user, note="Оплата до конца месяца")
    # then both changes are kept
    invoice.refresh_from_db()
    assert (invoice.due_date, invoice.note) == (_today() + datetime.timedelta(days=10), "Оплата до конца месяца")
    assert _lines_of(invoice) == [("Услуга", Decimal("100.00"))] and invoice.status == Invoice.Status.ISSUED
    # and the manager's audit row tells only what he changed
    row = AuditEvent.objects.filter(event="billing.invoice.update").latest("id")
    assert row.actor == manager_user and [change["field"] for change in row.changes] == ["Примечание"]


@pytest.mark.feature("INV-01")
def test_a_field_both_changed_is_a_conflict_and_nothing_is_saved(manager_user: Any, admin_user: Any,
                                                                 our_entity: Any) -> None:
    invoice = issued_invoice(manager_user, ClientFactory(curator=manager_user), "100.00")
    theirs, mine = Opened(invoice), Opened(invoice)
    theirs.save(admin_user, due_date=_day(10))
    updates = AuditEvent.objects.filter(event="billing.invoice.update").count()
    # when the manager's stale form changes the note and the due date too, to another day
    with pytest.raises(EditConflict) as conflict:
        mine.save(manager_user, note="Моё примечание", due_date=_day(20))
    # then the conflict names the due date with the administrator's value and who changed it
    [field] = conflict.value.fields
    assert (field.name, field.current, field.who) == ("due_date", _today() + datetime.timedelta(days=10),
                                                      "Администратор Системы")
    # and nothing was saved, not even the note he alone changed
    invoice.refresh_from_db()
    assert (invoice.due_date, invoice.note) == (_today() + datetime.timedelta(days=10), "")
    assert AuditEvent.objects.filter(event="billing.invoice.update").count() == updates
    # positive control: typing the same day the administrator chose is no conflict
    mine.save(manager_user, note="Моё примечание", due_date=_day(10))
    invoice.refresh_from_db()
    assert invoice.note == "Моё примечание"


@pytest.mark.feature("INV-01")
def test_the_other_users_lines_stay_under_a_change_of_the_head(manager_user: Any, admin_user: Any,
                                                               our_entity: Any) -> None:
    invoice = issued_invoice(manager_user, ClientFactory(curator=manager_user), "100.00")
    theirs, mine = Opened(invoice), Opened(invoice)
    # when the administrator changes the lines and the manager, on his stale form, only the head
    theirs.save(admin_user, lines=[_line("100.00"), _line("50.00", name="Доставка", quantity="2")])
    saved = mine.save(manager_user, due_date=_day(7), vat_mode=Invoice.VatMode.ON_TOP)
    # then the administrator's lines are kept under the manager's head, counted by it (VAT on top)
    invoice.refresh_from_db()
    assert _lines_of(invoice) == [("Услуга", Decimal("100.00")), ("Доставка", Decimal("50.00"))]
    assert invoice.due_date == _today() + datetime.timedelta(days=7)
    assert invoice.vat_mode == Invoice.VatMode.ON_TOP and saved.gross == Decimal("244.00")
    # and the other way round: the manager's lines over the administrator's head
    theirs, mine = Opened(invoice), Opened(invoice)
    theirs.save(admin_user, note="От администратора")
    mine.save(manager_user, lines=[_line("300.00")])
    invoice.refresh_from_db()
    assert invoice.note == "От администратора" and _lines_of(invoice) == [("Услуга", Decimal("300.00"))]


@pytest.mark.feature("INV-01")
def test_lines_both_changed_are_a_conflict_on_the_table_and_nothing_is_saved(manager_user: Any, admin_user: Any,
                                                                            our_entity: Any) -> None:
    invoice = issued_invoice(manager_user, ClientFactory(curator=manager_user), "100.00")
    theirs, mine = Opened(invoice), Opened(invoice)
    theirs.save(admin_user, lines=[_line("120.00")])
    # when the manager's stale form changes another line's price and the note
    with pytest.raises(EditConflict) as conflict:
        mine.save(manager_user, note="Моё", lines=[_line("100.00"), _line("5.00", name="Доставка")])
    # then the lines are the conflict, nothing saved
    assert [field.name for field in conflict.value.fields] == [TABLE]
    invoice.refresh_from_db()
    assert _lines_of(invoice) == [("Услуга", Decimal("120.00"))] and invoice.note == ""
    assert invoice.gross == Decimal("120.00")
    # positive control: the same lines typed on both sides are no conflict (nothing differs to choose)
    mine.save(manager_user, note="Моё", lines=[_line("120")])
    invoice.refresh_from_db()
    assert invoice.note == "Моё"


@pytest.mark.feature("INV-02")
def test_a_stale_form_is_still_refused_once_the_invoice_is_paid_or_cancelled(manager_user: Any, admin_user: Any,
                                                                our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    mine = Opened(invoice)
    payment_record(acting_user=admin_user, client=client, invoice=invoice, date=_today(), amount=Decimal("10"))
    with pytest.raises(Refused) as refused:
        mine.save(manager_user, note="Поздно")
    assert refused.value.message == "По счёту есть оплаты: чтобы изменить его, сначала отмените их."
    assert Invoice.objects.get(pk=invoice.pk).note == ""
    # and once it is cancelled (positive control: the same kind of form saves on an unpaid invoice)
    other = issued_invoice(manager_user, client, "5.00")
    mine = Opened(other)
    Opened(other).save(manager_user, note="Сохранено")
    invoice_cancel(acting_user=admin_user, invoice_id=other.pk, reason="ошибка")
    with pytest.raises(Refused) as refused:
        mine.save(manager_user, due_date=_day(3))
    assert refused.value.message == "Счёт аннулирован: его можно только просматривать."
    assert Invoice.objects.values_list("note", "due_date").get(pk=other.pk) == ("Сохранено", None)
