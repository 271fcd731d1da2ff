"""What the services of acts and invoice-facturas share (INV-05): the checks of the client, the date and the lines,
the lines copied from an invoice or priced as typed, the number, the cancelling. Each caller runs these inside its
own transaction and writes its own audit row.

- A document's lines are priced like an invoice's (`selectors.amounts`: rounded one by one, the totals their sums).
  A typed line's VAT rate must be one the legal entity's tax regime offers on the document's date; a line copied from
  an invoice keeps the rate and amounts the invoice printed (an act of January for a December invoice at 20 % shows
  what was invoiced), and so does a line kept through a later edit.
- The number is taken from the numbering service (the document's kind, our legal entity, the date's year) in the
  transaction that saves the document; the legal entity and the year of a numbered document do not change.
- A document dated before today is written only with the right to change past-dated data (`policies.can_date`).
- A change from the document's form keeps what others saved meanwhile, as an invoice's does (`services.edits`):
  only the fields the user changed are taken over the document as kept now, its lines as one value; a field (or the
  lines) both changed is a conflict and nothing is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.billing import policies
from kontora.billing.models import (
    Act,
    ActLine,
    DocumentLine,
    Invoice,
    InvoiceFactura,
    InvoiceFacturaLine,
    IssuedDocument,
)
from kontora.billing.selectors.amounts import Line, invoice_totals
from kontora.billing.selectors.invoices import invoice_defaults, rates_offered
from kontora.billing.services import edits
from kontora.billing.services.invoices import LineData
from kontora.clients.models import Client
from kontora.core.audit import audit_record, changes_between, shown, snapshot
from kontora.core.conflicts import Edit
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import LegalEntity
from kontora.core.numbering import number_next

ZERO = Decimal("0.00")
# A document's lines by its model: the line model and the line's foreign key to the document.
LINES: dict[type[IssuedDocument], tuple[type[DocumentLine], str]] = {Act: (ActLine, "act"),
                                                                      InvoiceFactura: (InvoiceFacturaLine, "factura")}


@dataclass(frozen=True)
class Totals:
    net: Decimal
    vat: Decimal
    gross: Decimal


def check_client(acting_user: User, client: Client) -> None:
    if not policies.can_write_for(acting_user, client):
        raise NotAllowed(_("You cannot edit this client's card, so you cannot write its documents."), field="client")


def check_date(acting_user: User, date: datetime.date | None) -> None:
    if date is None:
        raise Refused(_("Enter the document's date."), field="date")
    policies.refuse_past_date(acting_user, date)


def entity_or_default(acting_user: User, entity: LegalEntity | None) -> LegalEntity:
    if entity is not None:
        return entity
    found = invoice_defaults(fetched_by=acting_user).legal_entity
    if found is None:
        raise Refused(_("Add your legal entity in the constants first: a document needs its issuer."),
                      field="legal_entity")
    return found


def check_basis(client: Client, invoice: Invoice | None) -> None:
    if invoice is None:
        return
    if invoice.client_id != client.pk:
        raise Refused(_("The invoice belongs to another client."), field="invoice")
    if invoice.status in (Invoice.Status.CANCELLED, Invoice.Status.DRAFT):
        raise Refused(_("Invoice %(number)s is not issued: a document is entered only from an issued invoice.")
                      % {"number": invoice.shown_number}, field="invoice")


def priced_rows(line_model: type[DocumentLine], *, entity: LegalEntity, date: datetime.date, vat_mode: str,
                lines: Sequence[LineData], kept_rates: Iterable[Decimal | None] = ()) -> list[Any]:
    """The typed lines as unsaved rows of `line_model`, priced; a line's rate must be offered on the date (or be one
    of `kept_rates`, those the document already printed)."""
    if vat_mode not in Invoice.VatMode.values:
        raise Refused(_("Choose how VAT is counted."), field="vat_mode")
    if not lines:
        raise Refused(_("Add at least one line to the document."), field="lines")
    offered = set(rates_offered(entity, date).rates) | set(kept_rates)
    included = vat_mode == Invoice.VatMode.INCLUDED
    rows = []
    for position, line in enumerate(lines, start=1):
        name = (line.name or "").strip() or (str(line.item) if line.item is not None else "")
        if not name:
            raise Refused(_("Line %(number)d has no name.") % {"number": position}, field="lines")
        priced = Line(quantity=line.quantity, price=line.price, discount=line.discount or Decimal(0),
                      vat_rate=line.vat_rate, vat_included=included)
        try:
            amounts = invoice_totals([priced]).lines[0]
        except Refused as exc:
            raise Refused(_("Line %(number)d: %(error)s") % {"number": position, "error": exc.message},
                          field=exc.field) from None
        assert line.quantity is not None and line.price is not None  # priced above
        if line.vat_rate not in offered:
            rate = _("without VAT") if line.vat_rate is None else f"{line.vat_rate.normalize():f} %"
            raise Refused(_("Line %(number)d: the VAT rate %(rate)s is not offered to %(entity)s on %(date)s.")
                          % {"number": position, "rate": rate, "entity": entity,
                             "date": date.strftime("%d.%m.%Y")}, field="vat_rate")
        rows.append(line_model(
            position=position, item=line.item, name=name, quantity=line.quantity, unit=(line.unit or "").strip(),
            price=line.price, discount=line.discount or Decimal(0), vat_rate=line.vat_rate, net=amounts.net,
            vat=amounts.vat, gross=amounts.gross, **extra_columns(line)))
    return rows


@dataclass(frozen=True)
class FacturaLineData(LineData):
    """An invoice-factura's line as typed, with its goods' columns: the unit's OKEI code, the country of origin
    (code and name) and the customs declaration's number."""

    unit_code: str = ""
    country_code: str = ""
    country_name: str = ""
    customs_declaration: str = ""


def extra_columns(line: LineData) -> dict[str, Any]:
    """The invoice-factura's own columns a typed line carries; none for an act's."""
    if not isinstance(line, FacturaLineData):
        return {}
    return {"unit_code": line.unit_code.strip(), "country_code": line.country_code.strip(),
            "country_name": line.country_name.strip(), "customs_declaration": line.customs_declaration.strip()}


def rows_from_invoice(line_model: type[DocumentLine], invoice: Invoice,
                      dropped: Iterable[int] = ()) -> list[Any]:
    """The invoice's lines as unsaved rows of `line_model`, with the amounts it printed; `dropped` are positions of
    the invoice left out (a line of goods on an act of services), the rest numbered again from 1."""
    dropped = set(dropped)
    kept = [line for line in invoice.lines.order_by("position") if line.position not in dropped]
    if not kept:
        raise Refused(_("Keep at least one line of the invoice."), field="lines")
    return [line_model(position=position, item_id=line.item_id, name=line.name, quantity=line.quantity,
                       unit=line.unit, price=line.price, discount=line.discount, vat_rate=line.vat_rate,
                       net=line.net, vat=line.vat, gross=line.gross)
            for position, line in enumerate(kept, start=1)]


def totals_of(rows: Iterable[DocumentLine]) -> Totals:
    rows = list(rows)
    return Totals(net=sum((row.net for row in rows), ZERO), vat=sum((row.vat for row in rows), ZERO),
                  gross=sum((row.gross for row in rows), ZERO))


def line_data(row: DocumentLine) -> LineData:
    """A kept line as typed again (an edit that changes other lines prices it the same way)."""
    common: dict[str, Any] = {"name": row.name, "quantity": row.quantity, "price": row.price, "unit": row.unit,
              "discount": row.discount, "vat_rate": row.vat_rate, "item": row.item}
    if isinstance(row, InvoiceFacturaLine):
        return FacturaLineData(**common, unit_code=row.unit_code, country_code=row.country_code,
                               country_name=row.country_name, customs_declaration=row.customs_declaration)
    return LineData(**common)


def lines_shown(rows: Iterable[DocumentLine]) -> str:
    return "; ".join(f"{row.name} × {shown(row.quantity)} = {shown(row.gross)}" for row in rows)


def check_changeable(document: IssuedDocument, what: str) -> None:
    if document.is_cancelled:
        raise Refused(_("%(what)s is cancelled: it can only be viewed.") % {"what": what})


def check_number_kept(document: IssuedDocument, date: datetime.date) -> None:
    if date.year != document.number_year:
        raise Refused(_("The document's number was given for its year: to date it in another year, enter a new "
                        "document and cancel this one."), field="date")


def cancel_checked(acting_user: User, reason: str) -> str:
    if not policies.can_cancel_document(acting_user):
        raise NotAllowed(_("You have no right to cancel acts and invoice-facturas."))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say why the document is cancelled."), field="reason")
    return reason


def mark_cancelled(document: IssuedDocument, acting_user: User, reason: str, what: str) -> None:
    if document.is_cancelled:
        raise Refused(_("%(what)s is already cancelled.") % {"what": what})
    document.status = IssuedDocument.Status.CANCELLED
    document.cancelled_at, document.cancelled_by, document.cancel_reason = timezone.now(), acting_user, reason
    document.changed_by = acting_user
    document.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "changed_by",
                                 "changed_at"])


# --- the writes' common steps: each caller gives its own fields, audit event and messages --------------------------


def values_of(document: IssuedDocument, fields: Sequence[str]) -> dict[str, Any]:
    """The audited fields as shown: the choices by their labels."""
    values = snapshot(document, fields)
    for name in ("status", "vat_mode", "kind"):
        if name in fields:
            values[name] = getattr(document, f"get_{name}_display")()
    return values


def _lines_write(document: IssuedDocument, rows: list[Any]) -> None:
    line_model, owner = LINES[type(document)]
    for row in rows:
        setattr(row, owner, document)
    line_model._default_manager.bulk_create(rows)


def create_numbered(model: type[IssuedDocument], acting_user: User, *, number_kind: str, fields: Sequence[str],
                    event: str, summary: str, client: Client, entity: LegalEntity, date: datetime.date,
                    vat_mode: str, note: str, rows: list[Any], **extra: Any) -> Any:
    """A new document of `model` with its priced rows, numbered (`number_kind`, our legal entity, the date's year)
    in the caller's transaction; its totals the sums of the rows; audited as `event` with `summary` («… %(number)s
    created»)."""
    totals = totals_of(rows)
    document = model._default_manager.create(
        client=client, legal_entity=entity, date=date,
        number=number_next(kind=number_kind, legal_entity=entity, year=date.year), number_year=date.year,
        prefix=acting_user.doc_prefix or "", vat_mode=vat_mode, net=totals.net, vat=totals.vat, gross=totals.gross,
        note=(note or "").strip(), author=acting_user, changed_by=acting_user, **extra)
    _lines_write(document, rows)
    changes = changes_between(model, {}, values_of(document, fields), fields)
    changes.append({"field": _("Lines"), "old": "", "new": lines_shown(rows)})
    audit_record(actor=acting_user, event=event, summary=summary % {"number": document.shown_number},
                 target=document, client=document.client_id, changes=changes)
    return document


@dataclass(frozen=True)
class Change:
    """A document's change as typed: its date, its note and, when given, its lines (None: kept as they are)."""

    date: datetime.date
    note: str = ""
    lines: Sequence[LineData] | None = None


CHANGE_FIELDS = ("date", "note")  # what a form's change may name (`Edit.typed`) besides the lines (`edits.TABLE`)


def update_checked(acting_user: User, document: IssuedDocument, typed: Change, edit: Edit | None, *,
                   what: str) -> tuple[Change, list[str]]:
    """A locked document may be changed: the user writes for its client, it is not cancelled; a form's `edit` is
    checked against what others saved since it was read (EditConflict when both changed one field, or both the
    lines) and only the fields it changed are taken from `typed` over the document as kept now; then its old and
    new dates are the user's to write and the year is kept. The change to write, and the fields the edit changed."""
    check_client(acting_user, document.client)
    check_changeable(document, what)
    changed = edits.checked(edit, document)
    if edit is not None:
        typed = edits.merged(Change(date=document.date, note=document.note), typed, changed, CHANGE_FIELDS)
    check_date(acting_user, document.date)
    check_date(acting_user, typed.date)
    check_number_kept(document, typed.date)
    return typed, changed


def lines_replace(document: IssuedDocument, old_rows: list[Any], rows: list[Any] | None) -> list[dict[str, Any]]:
    """The document's lines and totals replaced by `rows` (the document saved by the caller); the audit's change of
    the lines, none when `rows` is None or shows the same."""
    if rows is None:
        return []
    totals = totals_of(rows)
    document.net, document.vat, document.gross = totals.net, totals.vat, totals.gross
    line_model, owner = LINES[type(document)]
    line_model._default_manager.filter(**{owner: document}).delete()
    _lines_write(document, rows)
    old_shown, new_shown = lines_shown(old_rows), lines_shown(rows)
    return [] if old_shown == new_shown else [{"field": _("Lines"), "old": old_shown, "new": new_shown}]


def cancel_audited(acting_user: User, document: IssuedDocument, reason: str, *, what: str, event: str,
                   summary: str, fields: Sequence[str]) -> None:
    """Cancels the locked document, audited as `event` with `summary` («… %(number)s cancelled») and the reason."""
    check_client(acting_user, document.client)
    model = type(document)
    before = values_of(document, fields)
    mark_cancelled(document, acting_user, reason, what)
    audit_record(actor=acting_user, event=event, summary=summary % {"number": document.shown_number},
                 target=document, client=document.client_id,
                 changes=changes_between(model, before, values_of(document, fields), ["status"]),
                 extra={"reason": reason})
