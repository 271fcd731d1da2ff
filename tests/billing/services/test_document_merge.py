"""A change of an act or an invoice-factura from a stale form is merged field by field, as an invoice's (INV-05,
core.conflicts): what the other user saved meanwhile stays, what only this user changed is saved, a field (or the
lines, compared whole) both changed is a conflict and nothing is saved."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from kontora.billing.forms.documents import DocumentForm, LineFormSet, document_stored, stored_lines
from kontora.billing.forms.lines import TABLE
from kontora.billing.models import Act, InvoiceFactura
from kontora.billing.services.acts import act_cancel, act_from_invoice, act_update
from kontora.billing.services.facturas import factura_from_invoice, factura_update
from kontora.core.conflicts import EditConflict
from kontora.core.errors import Refused
from kontora.core.models import AuditEvent
from tests.billing.factories import issued_invoice
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.django_db

Document = Act | InvoiceFactura


def _today() -> datetime.date:
    return timezone.localdate()


def _day(days: int) -> str:
    return (_today() + datetime.timedelta(days=days)).isoformat()


class Opened:
    """A document's page as one user opened it: the values he read, the lines among them."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.factura = isinstance(document, InvoiceFactura)
        rows = list(document.lines.order_by("position"))
        self.lines = stored_lines(rows)
        self.read = document_stored(document, rows)

    def save(self, user: Any, *, lines: list[dict[str, Any]] | None = None, **head: Any) -> Document:
        """Saves the page as the view does: the header and all the lines as typed, with the form's edit."""
        data: dict[str, Any] = {name: "" if value is None else str(value)
                                for name, value in self.read.items() if name != TABLE}
        data.update(head)
        rows = self.lines if lines is None else lines
        data.update({"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0"})
        for index, row in enumerate(rows):
            data.update({f"lines-{index}-{name}": "" if value is None else str(value) for name, value in row.items()})
        form = DocumentForm(data, initial=self.read, factura=self.factura)
        formset = LineFormSet(data, prefix="lines", form_kwargs={"rates": [Decimal(22)], "factura": self.factura})
        assert form.is_valid() and formset.is_valid(), (form.errors, formset.errors)
        typed = [line for line in (line_form.line() for line_form in formset.forms) if line is not None]
        cleaned = form.cleaned_data
        if self.factura:
            return factura_update(acting_user=user, factura_id=self.document.pk, date=cleaned["date"],
                                  header=form.header(), note=cleaned["note"], lines=typed, edit=form.edit())
        return act_update(acting_user=user, act_id=self.document.pk, date=cleaned["date"], note=cleaned["note"],
                          lines=typed, edit=form.edit())


def _act(user: Any) -> Act:
    invoice = issued_invoice(user, ClientFactory(curator=user), "100.00")
    return act_from_invoice(acting_user=user, invoice_id=invoice.pk)


def _factura(user: Any) -> InvoiceFactura:
    invoice = issued_invoice(user, ClientFactory(curator=user), "100.00")
    return factura_from_invoice(acting_user=user, invoice_id=invoice.pk)


KINDS: list[Any] = [pytest.param((_act, "billing.act.update"), id="act"),
                    pytest.param((_factura, "billing.factura.update"), id="factura")]


@dataclass(frozen=True)
class Both:
    """A document of the manager's that he and the administrator both opened; `event`: its audit rows' of a change."""

    document: Document
    event: str
    theirs: Opened
    mine: Opened


@pytest.fixture(params=KINDS)
def both(request: Any, manager_user: Any, our_entity: Any) -> Both:
    make, event = request.param
    document = make(manager_user)
    return Both(document, event, Opened(document), Opened(document))


def _line(price: str, name: str = "Услуга", quantity: str = "1") -> dict[str, str]:
    return {"name": name, "quantity": quantity, "price": price, "vat_rate": "22"}


def _lines_of(document: Document) -> list[tuple[str, Decimal]]:
    return [(row.name, row.price) for row in document.lines.order_by("position")]


def _fresh(document: Document) -> Document:
    document.refresh_from_db()
    return document


@pytest.mark.feature("INV-05")
def test_a_stale_form_keeps_the_other_users_date_and_saves_its_own_note(
        both: Both, manager_user: Any, admin_user: Any) -> None:
    document, event, theirs, mine = both.document, both.event, both.theirs, both.mine
    # when the administrator changes the date and the manager, on his stale page, the note
    theirs.save(admin_user, date=_day(3))
    mine.save(manager_user, note="Подписан клиентом")
    # then both changes are kept, and the lines as they were
    document = _fresh(document)
    assert (document.date, document.note) == (_today() + datetime.timedelta(days=3), "Подписан клиентом")
    assert _lines_of(document) == [("Услуга", Decimal("100.00"))] and document.gross == Decimal("100.00")
    # and the manager's audit row tells only what he changed
    row = AuditEvent.objects.filter(event=event).latest("id")
    assert row.actor == manager_user and [change["field"] for change in row.changes] == ["Примечание"]


@pytest.mark.feature("INV-05")
def test_a_factura_header_line_changed_by_another_stays_under_a_stale_change(manager_user: Any, admin_user: Any,
                                                                           our_entity: Any) -> None:
    factura = _factura(manager_user)
    theirs, mine = Opened(factura), Opened(factura)
    theirs.save(admin_user, shipper="ООО «Склад», Москва")
    mine.save(manager_user, consignee="ООО «Клиент», Тверь")
    factura = _fresh(factura)
    assert (factura.shipper, factura.consignee) == ("ООО «Склад», Москва", "ООО «Клиент», Тверь")


@pytest.mark.feature("INV-05")
def test_a_field_both_changed_is_a_conflict_next_to_it_and_nothing_is_saved(
        both: Both, manager_user: Any, admin_user: Any) -> None:
    document, event, theirs, mine = both.document, both.event, both.theirs, both.mine
    theirs.save(admin_user, note="От администратора")
    updates = AuditEvent.objects.filter(event=event).count()
    # when the manager's stale page changes the date and the note too, to another text
    with pytest.raises(EditConflict) as conflict:
        mine.save(manager_user, date=_day(2), note="От менеджера")
    # then the conflict names the note with the administrator's value and who changed it
    [field] = conflict.value.fields
    assert (field.name, field.current, field.who) == ("note", "От администратора", "Администратор Системы")
    # and nothing was saved, not even the date he alone changed
    document = _fresh(document)
    assert (document.date, document.note) == (_today(), "От администратора")
    assert AuditEvent.objects.filter(event=event).count() == updates
    # positive control: typing the note the administrator saved is no conflict, and the date is saved
    mine.save(manager_user, date=_day(2), note="От администратора")
    assert _fresh(document).date == _today() + datetime.timedelta(days=2)


@pytest.mark.feature("INV-05")
def test_the_lines_of_one_side_stay_under_the_other_sides_header(
        both: Both, manager_user: Any, admin_user: Any) -> None:
    document, theirs, mine = both.document, both.theirs, both.mine
    # when the administrator changes the lines and the manager, on his stale page, only the note
    theirs.save(admin_user, lines=[_line("100.00"), _line("50.00", name="Доставка", quantity="2")])
    mine.save(manager_user, note="Моё")
    # then the administrator's lines and their totals are kept under the manager's note
    document = _fresh(document)
    assert _lines_of(document) == [("Услуга", Decimal("100.00")), ("Доставка", Decimal("50.00"))]
    assert document.note == "Моё" and document.gross == Decimal("200.00")
    # and the other way round: the manager's lines under the administrator's note
    theirs, mine = Opened(document), Opened(document)
    theirs.save(admin_user, note="От администратора")
    mine.save(manager_user, lines=[_line("300.00")])
    document = _fresh(document)
    assert document.note == "От администратора" and _lines_of(document) == [("Услуга", Decimal("300.00"))]
    assert document.gross == Decimal("300.00")


@pytest.mark.feature("INV-05")
def test_lines_both_changed_are_a_conflict_on_the_table_and_nothing_is_saved(
        both: Both, manager_user: Any, admin_user: Any) -> None:
    document, theirs, mine = both.document, both.theirs, both.mine
    theirs.save(admin_user, lines=[_line("120.00")])
    # when the manager's stale page adds a line (and changes the note)
    with pytest.raises(EditConflict) as conflict:
        mine.save(manager_user, note="Моё", lines=[_line("100.00"), _line("5.00", name="Доставка")])
    # then the lines are the conflict, nothing saved
    assert [field.name for field in conflict.value.fields] == [TABLE]
    assert conflict.value.fields[0].who == "Администратор Системы"
    document = _fresh(document)
    assert _lines_of(document) == [("Услуга", Decimal("120.00"))] and document.note == ""
    assert document.gross == Decimal("120.00")
    # positive control: the same lines typed on both sides are no conflict
    mine.save(manager_user, note="Моё", lines=[_line("120")])
    assert _fresh(document).note == "Моё"


@pytest.mark.feature("INV-05")
def test_a_stale_form_of_a_cancelled_act_is_still_refused(manager_user: Any, admin_user: Any,
                                                          our_entity: Any) -> None:
    act = _act(manager_user)
    mine = Opened(act)
    Opened(act).save(manager_user, note="Сохранено")  # positive control: the same kind of form saves
    act_cancel(acting_user=admin_user, act_id=act.pk, reason="ошибка")
    with pytest.raises(Refused) as refused:
        mine.save(manager_user, date=_day(1))
    assert refused.value.message == f"Акт {act.shown_number} отменён: его можно только просматривать."
    assert Act.objects.values_list("note", "date").get(pk=act.pk) == ("Сохранено", _today())


