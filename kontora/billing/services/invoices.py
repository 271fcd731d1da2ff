"""Invoices (INV-01 … INV-03): create, change, issue, cancel and copy; every write in one transaction with its
audit row on the client's card.

- The payee is one of our legal entities with one of its bank accounts; «Внимание» is a contact of the client.
- The number is taken from the numbering service (kind "invoice", the payee, the date's year) in the transaction
  that saves the invoice, so a rolled-back invoice gives its number back; the author's prefix is kept on it.
- A line's VAT rate must be one the payee's tax regime offers on the invoice's date; the lines are rounded to the
  kopeck one by one and the totals are their sums (`selectors.amounts`).
- An invoice dated before today is created or changed only with the right to change past-dated data.
- An issued invoice may be changed while nothing is paid; with payments it is changed only after cancelling them.
  Cancelling an invoice needs its own right and is refused while live payments are counted towards it.
- A change from the form keeps what others saved meanwhile (core.conflicts): under the invoice's lock only the
  fields the user changed are taken over the invoice as kept now; the lines are one value (`edits.TABLE`) — taken whole
  from the side that changed them; a field (or the lines) both changed is a conflict and nothing is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.billing import locks, policies
from kontora.billing.models import Invoice, InvoiceLine, PaymentAllocation
from kontora.billing.selectors.amounts import Line, Totals, invoice_totals
from kontora.billing.selectors.invoices import default_account, invoice_defaults, rates_offered
from kontora.billing.services import edits
from kontora.clients.models import Client, ContactPerson
from kontora.core.audit import audit_record, changes_between, shown, snapshot
from kontora.core.conflicts import Edit
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import BankAccount, LegalEntity
from kontora.core.numbering import number_next
from kontora.directories.models import NomenclatureItem

NUMBER_KIND = "invoice"
ZERO = Decimal("0.00")
# The invoice's fields as its audit rows show them.
INVOICE_FIELDS = ("client", "legal_entity", "bank_account", "attention", "date", "due_date", "vat_mode", "status",
                  "gross", "vat", "note")
# What a form's change may name (`Edit.typed`): the head's fields as InvoiceData names them, and the lines whole.
HEAD_FIELDS = ("client", "legal_entity", "bank_account", "attention", "date", "due_date", "vat_mode", "note")


@dataclass(frozen=True)
class LineData:
    """A line as typed: `vat_rate` None is «без НДС»; `item` the nomenclature item it was picked from, if any."""

    name: str
    quantity: Decimal | None
    price: Decimal | None
    unit: str = ""
    discount: Decimal = Decimal(0)
    vat_rate: Decimal | None = None
    item: NomenclatureItem | None = None


@dataclass(frozen=True)
class InvoiceData:
    """An invoice as typed; an empty payee (and account) is pre-filled with the defaults (`invoice_defaults`)."""

    client: Client
    date: datetime.date
    lines: Sequence[LineData] = field(default_factory=tuple)
    legal_entity: LegalEntity | None = None
    bank_account: BankAccount | None = None
    attention: ContactPerson | None = None
    due_date: datetime.date | None = None
    vat_mode: str = Invoice.VatMode.INCLUDED
    note: str = ""


def _check_client(acting_user: User, client: Client) -> None:
    if not policies.can_write_for(acting_user, client):
        raise NotAllowed(_("You cannot edit this client's card, so you cannot write its invoices."), field="client")


def _filled(acting_user: User, data: InvoiceData) -> InvoiceData:
    """The typed invoice checked, with the payee and its account pre-filled when left empty."""
    entity, account = data.legal_entity, data.bank_account
    if entity is None:
        entity = invoice_defaults(fetched_by=acting_user).legal_entity
        if entity is None:
            raise Refused(_("Add your legal entity in the constants first: an invoice needs a payee."),
                          field="legal_entity")
    if account is None:
        account = default_account(entity)
    elif account.legal_entity_id != entity.pk:
        raise Refused(_("The bank account belongs to another legal entity."), field="bank_account")
    if data.attention is not None and data.attention.client_id != data.client.pk:
        raise Refused(_("The contact person belongs to another client."), field="attention")
    if data.vat_mode not in Invoice.VatMode.values:
        raise Refused(_("Choose how VAT is counted."), field="vat_mode")
    if data.due_date is not None and data.due_date < data.date:
        raise Refused(_("The due date cannot be earlier than the invoice's date."), field="due_date")
    if not data.lines:
        raise Refused(_("Add at least one line to the invoice."), field="lines")
    for number, line in enumerate(data.lines, start=1):
        if not (line.name or "").strip() and line.item is None:
            raise Refused(_("Line %(number)d has no name.") % {"number": number}, field="lines")
    return replace(data, legal_entity=entity, bank_account=account, note=(data.note or "").strip())


def _priced(line: LineData, included: bool) -> Line:
    return Line(quantity=line.quantity, price=line.price, discount=line.discount or Decimal(0),
                vat_rate=line.vat_rate, vat_included=included)


def _counted(data: InvoiceData) -> tuple[Totals, list[InvoiceLine]]:
    """The lines priced, with their VAT rates checked against the payee's regime on the invoice's date."""
    assert data.legal_entity is not None
    offer = rates_offered(data.legal_entity, data.date)
    included = data.vat_mode == Invoice.VatMode.INCLUDED
    for number, line in enumerate(data.lines, start=1):
        try:
            invoice_totals([_priced(line, included)])
        except Refused as exc:
            raise Refused(_("Line %(number)d: %(error)s") % {"number": number, "error": exc.message},
                          field=exc.field) from None
        if line.vat_rate not in offer.rates:
            rate = _("without VAT") if line.vat_rate is None else f"{line.vat_rate.normalize():f} %"
            raise Refused(
                _("Line %(number)d: the VAT rate %(rate)s is not offered to %(entity)s on %(date)s.")
                % {"number": number, "rate": rate, "entity": data.legal_entity,
                   "date": data.date.strftime("%d.%m.%Y")},
                field="vat_rate",
            )
    totals = invoice_totals(_priced(line, included) for line in data.lines)
    rows = [
        InvoiceLine(position=position, item=line.item, name=(line.name or "").strip() or str(line.item),
                    quantity=line.quantity or Decimal(0), unit=(line.unit or "").strip(), price=line.price or ZERO,
                    discount=line.discount or Decimal(0), vat_rate=line.vat_rate, net=amounts.net, vat=amounts.vat,
                    gross=amounts.gross)
        for position, (line, amounts) in enumerate(zip(data.lines, totals.lines, strict=True), start=1)
    ]
    return totals, rows


def _lines_shown(lines: Sequence[InvoiceLine]) -> str:
    return "; ".join(f"{line.name} × {shown(line.quantity)} = {shown(line.gross)}" for line in lines)


def _values(invoice: Invoice) -> dict[str, Any]:
    values = snapshot(invoice, INVOICE_FIELDS)
    values["status"] = invoice.get_status_display()
    values["vat_mode"] = invoice.get_vat_mode_display()
    return values


def invoice_create(*, acting_user: User, data: InvoiceData) -> Invoice:
    """A new draft invoice with its lines, numbered in the same transaction."""
    _check_client(acting_user, data.client)
    policies.refuse_past_date(acting_user, data.date)
    data = _filled(acting_user, data)
    totals, rows = _counted(data)
    assert data.legal_entity is not None
    with transaction.atomic():
        number = number_next(kind=NUMBER_KIND, legal_entity=data.legal_entity, year=data.date.year)
        invoice = Invoice.objects.create(
            client=data.client, legal_entity=data.legal_entity, bank_account=data.bank_account,
            attention=data.attention, date=data.date, due_date=data.due_date, number=number,
            number_year=data.date.year, prefix=acting_user.doc_prefix or "", vat_mode=data.vat_mode,
            status=Invoice.Status.DRAFT, net=totals.net, vat=totals.vat, gross=totals.gross, paid=Decimal(0),
            due=totals.gross, note=data.note, author=acting_user, changed_by=acting_user,
        )
        for row in rows:
            row.invoice = invoice
        InvoiceLine.objects.bulk_create(rows)
        changes = changes_between(Invoice, {}, _values(invoice), INVOICE_FIELDS)
        changes.append({"field": _("Lines"), "old": "", "new": _lines_shown(rows)})
        audit_record(actor=acting_user, event="billing.invoice.create",
                     summary=_("Invoice %(number)s created") % {"number": invoice.shown_number},
                     target=invoice, client=invoice.client_id, changes=changes)
    return invoice


def _live_paid(invoice: Invoice) -> bool:
    return PaymentAllocation.objects.filter(invoice=invoice, payment__cancelled_at__isnull=True).exists()


def _kept(invoice: Invoice) -> InvoiceData:
    """The invoice as kept now, as typed data: what a change builds on."""
    lines = [LineData(name=line.name, quantity=line.quantity, price=line.price, unit=line.unit,
                      discount=line.discount, vat_rate=line.vat_rate, item=line.item)
             for line in invoice.lines.select_related("item").order_by("position")]
    return InvoiceData(client=invoice.client, date=invoice.date, lines=lines, legal_entity=invoice.legal_entity,
                       bank_account=invoice.bank_account, attention=invoice.attention, due_date=invoice.due_date,
                       vat_mode=invoice.vat_mode, note=invoice.note)


def invoice_update(*, acting_user: User, invoice_id: int, data: InvoiceData, edit: Edit | None = None) -> Invoice:
    """Changes the invoice and replaces its lines: a draft, or an issued invoice nothing is paid on yet.

    A form gives its `edit` (what the user read, the fields he changed): checked under the invoice's lock against
    what others saved since (`conflicts.check`, EditConflict when both changed one field or both the lines), then
    only those fields are taken from `data` over the invoice as kept now. Without it `data` is the whole invoice."""
    with transaction.atomic():
        invoice = locks.invoice(invoice_id)
        _check_client(acting_user, invoice.client)
        if invoice.status == Invoice.Status.CANCELLED:
            raise Refused(_("The invoice is cancelled: it can only be viewed."))
        if invoice.paid > 0 or _live_paid(invoice):
            raise Refused(_("Payments are counted towards the invoice: cancel them first to change it."))
        if edit is not None:
            data = edits.merged(_kept(invoice), data, edits.checked(edit, invoice), HEAD_FIELDS)
        if data.client.pk != invoice.client_id:
            _check_client(acting_user, data.client)
        policies.refuse_past_date(acting_user, invoice.date, data.date)
        data = _filled(acting_user, data)
        assert data.legal_entity is not None
        if data.legal_entity.pk != invoice.legal_entity_id or data.date.year != invoice.number_year:
            raise Refused(_("The invoice's number was given by its payee and year: to change them, copy the "
                            "invoice and cancel this one."),
                          field="date" if data.date.year != invoice.number_year else "legal_entity")
        totals, rows = _counted(data)
        old_lines = list(invoice.lines.all())
        before = _values(invoice)
        invoice.client, invoice.bank_account, invoice.attention = data.client, data.bank_account, data.attention
        invoice.date, invoice.due_date = data.date, data.due_date
        invoice.vat_mode, invoice.note = data.vat_mode, data.note
        invoice.net, invoice.vat, invoice.gross, invoice.due = totals.net, totals.vat, totals.gross, totals.gross
        invoice.changed_by = acting_user
        invoice.save(update_fields=["client", "bank_account", "attention", "date", "due_date", "vat_mode", "note",
                                    "net", "vat", "gross", "due", "changed_by", "changed_at"])
        InvoiceLine.objects.filter(invoice=invoice).delete()
        for row in rows:
            row.invoice = invoice
        InvoiceLine.objects.bulk_create(rows)
        changes = changes_between(Invoice, before, _values(invoice), INVOICE_FIELDS)
        old_shown, new_shown = _lines_shown(old_lines), _lines_shown(rows)
        if old_shown != new_shown:
            changes.append({"field": _("Lines"), "old": old_shown, "new": new_shown})
        audit_record(actor=acting_user, event="billing.invoice.update",
                     summary=_("Invoice %(number)s changed") % {"number": invoice.shown_number},
                     target=invoice, client=invoice.client_id, changes=changes)
    return invoice


def invoice_issue(*, acting_user: User, invoice_id: int) -> Invoice:
    """A draft becomes an issued invoice, waiting for payment."""
    with transaction.atomic():
        invoice = locks.invoice(invoice_id)
        _check_client(acting_user, invoice.client)
        if invoice.status != Invoice.Status.DRAFT:
            raise Refused(_("Only a draft invoice can be issued."))
        before = _values(invoice)
        invoice.status = Invoice.Status.ISSUED
        invoice.changed_by = acting_user
        invoice.save(update_fields=["status", "changed_by", "changed_at"])
        audit_record(actor=acting_user, event="billing.invoice.issue",
                     summary=_("Invoice %(number)s issued") % {"number": invoice.shown_number}, target=invoice,
                     client=invoice.client_id, changes=changes_between(Invoice, before, _values(invoice), ["status"]))
    return invoice


def invoice_cancel(*, acting_user: User, invoice_id: int, reason: str = "") -> Invoice:
    """Cancels the invoice (its own right); refused while live payments are counted towards it."""
    if not policies.can_cancel_invoice(acting_user):
        raise NotAllowed(_("You have no right to cancel invoices."))
    with transaction.atomic():
        invoice = locks.invoice(invoice_id)
        _check_client(acting_user, invoice.client)
        if invoice.status == Invoice.Status.CANCELLED:
            raise Refused(_("The invoice is already cancelled."))
        if _live_paid(invoice):
            raise Refused(_("Payments are counted towards the invoice: cancel them first, then the invoice."))
        before = _values(invoice)
        invoice.status = Invoice.Status.CANCELLED
        invoice.cancelled_at, invoice.cancelled_by = timezone.now(), acting_user
        invoice.cancel_reason = (reason or "").strip()
        invoice.due = Decimal(0)
        invoice.changed_by = acting_user
        invoice.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "due", "changed_by",
                                    "changed_at"])
        audit_record(actor=acting_user, event="billing.invoice.cancel",
                     summary=_("Invoice %(number)s cancelled") % {"number": invoice.shown_number}, target=invoice,
                     client=invoice.client_id, changes=changes_between(Invoice, before, _values(invoice), ["status"]),
                     extra={"reason": invoice.cancel_reason})
    return invoice


def invoice_copy(*, acting_user: User, invoice_id: int, date: datetime.date | None = None) -> Invoice:
    """A new draft with the invoice's client, payee and lines, dated today (or `date`); a line's VAT rate no longer
    offered on the new date takes the one in force (20 % → 22 % across 2026-01-01)."""
    source = policies.invoices.get(acting_user, invoice_id)
    on = date or timezone.localdate()
    offer = rates_offered(source.legal_entity, on)
    lines = [
        LineData(name=line.name, quantity=line.quantity, price=line.price, unit=line.unit, discount=line.discount,
                 vat_rate=line.vat_rate if line.vat_rate in offer.rates else offer.default, item=line.item)
        for line in source.lines.select_related("item").order_by("position")
    ]
    return invoice_create(acting_user=acting_user, data=InvoiceData(
        client=source.client, date=on, lines=lines, legal_entity=source.legal_entity,
        bank_account=source.bank_account, attention=source.attention, vat_mode=source.vat_mode, note=source.note,
    ))
