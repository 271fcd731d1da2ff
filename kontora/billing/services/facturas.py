"""Invoice-facturas (INV-05, Decree 1137): entered from an invoice (its lines and amounts, any left out), on their own,
or for an advance received (from the part of a payment not yet counted towards an invoice, VAT at the calculated
rate — 22/122 from 2026, 20/120 before, the reduced 5/105 or 7/107 of the simplified regime). One chronological
order of numbers for both kinds (kind "invoice_factura", our legal entity, the date's year), taken in the saving
transaction; changed while not cancelled; cancelled with who and why (the right that cancels invoices). Each write
has its audit row on the client's card. The shared rules: `services.documents`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.billing import locks, policies
from kontora.billing.models import Invoice, InvoiceFactura, InvoiceFacturaLine, Payment, PaymentAllocation
from kontora.billing.selectors.amounts import Line, line_amounts
from kontora.billing.selectors.invoices import payment_unapplied, rates_offered
from kontora.billing.services import documents, edits
from kontora.billing.services.invoices import LineData
from kontora.clients.models import Client
from kontora.core.audit import audit_record, changes_between, shown
from kontora.core.conflicts import Edit
from kontora.core.errors import Refused
from kontora.core.models import LegalEntity
from kontora.core.money import money_sum

NUMBER_KIND = "invoice_factura"
HEADER_FIELDS = ("shipper", "consignee", "payment_document", "shipment_document", "advance_facturas",
                 "government_contract")
FACTURA_FIELDS = ("client", "legal_entity", "invoice", "payment", "kind", "date", "vat_mode", "status", "gross",
                  "vat", *HEADER_FIELDS, "note")


@dataclass(frozen=True)
class FacturaHeader:
    """The invoice-factura's own lines 3–5б and 8: shipper, consignee, the payment documents, the shipment document,
    the advance invoice-facturas set off, the government contract's identifier."""

    shipper: str = ""
    consignee: str = ""
    payment_document: str = ""
    shipment_document: str = ""
    advance_facturas: str = ""
    government_contract: str = ""

    def cleaned(self) -> dict[str, str]:
        values = {name: (getattr(self, name) or "").strip() for name in HEADER_FIELDS}
        if len(values["government_contract"]) > 25:
            raise Refused(_("A government contract's identifier has at most 25 characters."),
                          field="government_contract")
        return values


@dataclass(frozen=True)
class FacturaData:
    """An invoice-factura for a shipment as typed; an empty legal entity is our default one."""

    client: Client
    date: datetime.date
    lines: Sequence[LineData] = field(default_factory=tuple)
    legal_entity: LegalEntity | None = None
    vat_mode: str = Invoice.VatMode.INCLUDED
    header: FacturaHeader = field(default_factory=FacturaHeader)
    note: str = ""


def _what(factura: InvoiceFactura) -> str:
    return _("Invoice-factura %(number)s") % {"number": factura.shown_number}


def _save_new(acting_user: User, *, client: Client, entity: LegalEntity, date: datetime.date, vat_mode: str,
              rows: list[InvoiceFacturaLine], header: dict[str, str], note: str = "", invoice: Invoice | None = None,
              payment: Payment | None = None) -> InvoiceFactura:
    factura: InvoiceFactura = documents.create_numbered(
        InvoiceFactura, acting_user, number_kind=NUMBER_KIND, fields=FACTURA_FIELDS, event="billing.factura.create",
        summary=_("Invoice-factura %(number)s created"), client=client, entity=entity, date=date,
        vat_mode=vat_mode, note=note, rows=rows, invoice=invoice, payment=payment,
        kind=InvoiceFactura.Kind.ADVANCE if payment is not None else InvoiceFactura.Kind.ORDINARY, **header)
    return factura


def factura_create(*, acting_user: User, data: FacturaData) -> InvoiceFactura:
    """A new invoice-factura for a shipment with its typed lines."""
    documents.check_client(acting_user, data.client)
    documents.check_date(acting_user, data.date)
    entity = documents.entity_or_default(acting_user, data.legal_entity)
    header = data.header.cleaned()
    rows = documents.priced_rows(InvoiceFacturaLine, entity=entity, date=data.date, vat_mode=data.vat_mode,
                                 lines=data.lines)
    with transaction.atomic():
        return _save_new(acting_user, client=data.client, entity=entity, date=data.date, vat_mode=data.vat_mode,
                         rows=rows, header=header, note=data.note)


def _on(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def invoice_references(invoice: Invoice, on: datetime.date) -> dict[str, str]:
    """What an invoice-factura for the invoice's shipment says of the money received before it: line 5, the payment
    documents (the bank's number, else ours) dated up to `on`; line 5б, the live advance invoice-facturas of those
    payments."""
    paid = (Payment.objects.filter(pk__in=PaymentAllocation.objects.filter(invoice=invoice).values("payment"),
                                   cancelled_at__isnull=True, date__lte=on).order_by("date", "id"))
    documents_line = "; ".join(
        _("No. %(number)s of %(date)s") % {"number": payment.bank_document or payment.shown_number,
                                           "date": _on(payment.date)} for payment in paid)
    advances = (InvoiceFactura.objects.filter(payment__in=[payment.pk for payment in paid],
                                              kind=InvoiceFactura.Kind.ADVANCE, date__lte=on)
                .exclude(status=InvoiceFactura.Status.CANCELLED).order_by("date", "number"))
    advance_line = "; ".join(_("No. %(number)s of %(date)s") % {"number": advance.shown_number,
                                                                  "date": _on(advance.date)} for advance in advances)
    return {"payment_document": documents_line[:500], "advance_facturas": advance_line[:500]}


def factura_from_invoice(*, acting_user: User, invoice_id: int, date: datetime.date | None = None,
                         dropped: Iterable[int] = (), header: FacturaHeader | None = None,
                         note: str = "") -> InvoiceFactura:
    """An invoice-factura entered from an issued invoice: its client, legal entity and lines with the amounts it
    printed (the positions in `dropped` left out); lines 5 and 5б from the payments counted towards it. Dated today
    unless `date` is given."""
    invoice = policies.invoices.get(acting_user, invoice_id)
    documents.check_client(acting_user, invoice.client)
    on = date or timezone.localdate()
    documents.check_date(acting_user, on)
    typed = (header or FacturaHeader()).cleaned()
    with transaction.atomic():
        invoice = locks.invoice(invoice.pk)
        documents.check_basis(invoice.client, invoice)
        rows = documents.rows_from_invoice(InvoiceFacturaLine, invoice, dropped)
        found = invoice_references(invoice, on)
        values = {name: typed[name] or found.get(name, "") for name in HEADER_FIELDS}
        return _save_new(acting_user, client=invoice.client, entity=invoice.legal_entity, date=on,
                         vat_mode=invoice.vat_mode, rows=rows, header=values, note=note, invoice=invoice)


def advance_left(payment: Payment) -> Decimal:
    """The part of a payment an advance invoice-factura may still be issued for: what is not counted towards any
    invoice, less the live advance invoice-facturas already issued for it."""
    issued = (InvoiceFactura.objects.filter(payment=payment, kind=InvoiceFactura.Kind.ADVANCE)
              .exclude(status=InvoiceFactura.Status.CANCELLED).aggregate(total=money_sum("gross"))["total"])
    return payment_unapplied(payment) - issued


def factura_advance(*, acting_user: User, payment_id: int, amount: Decimal | None = None,
                    date: datetime.date | None = None, note: str = "") -> InvoiceFactura:
    """An advance invoice-factura for the payment's advance (`amount`, or all that is left): one line, the VAT at
    the calculated rate r/(100 + r) of the rate the payee's regime takes on the date; line 5 names the payment."""
    found = policies.payments.get(acting_user, payment_id)
    documents.check_client(acting_user, found.client)
    on = date or timezone.localdate()
    documents.check_date(acting_user, on)
    with transaction.atomic():
        payment = locks.payment(found.pk)  # two advance invoice-facturas at once cannot cover the same money
        if payment.is_cancelled:
            raise Refused(_("The payment is cancelled: it has no advance."), field="payment")
        if on < payment.date:
            raise Refused(_("An advance invoice-factura cannot be dated before the payment (%(date)s).")
                          % {"date": _on(payment.date)}, field="date")
        left = advance_left(payment)
        if left <= 0:
            raise Refused(_("Nothing of payment %(number)s is left as an advance: it is counted towards invoices or "
                            "covered by advance invoice-facturas.") % {"number": payment.shown_number},
                          field="payment")
        amount = left if amount is None else amount
        if amount <= 0:
            raise Refused(_("The amount must be greater than zero."), field="amount")
        if amount > left:
            raise Refused(_("Only %(left)s of the payment is left as an advance.") % {"left": shown(left)},
                          field="amount")
        entity = payment.legal_entity
        rate = rates_offered(entity, on).default
        amounts = line_amounts(Line(quantity=Decimal(1), price=amount, vat_rate=rate, vat_included=True))
        basis = (_("Advance payment for invoice %(number)s") % {"number": payment.invoice.shown_number}
                 if payment.invoice_id and payment.invoice is not None else _("Advance payment for future supplies"))
        rows = [InvoiceFacturaLine(position=1, name=basis, quantity=Decimal(1), price=amount, vat_rate=rate,
                                   net=amounts.net, vat=amounts.vat, gross=amounts.gross)]
        header = {name: "" for name in HEADER_FIELDS}
        header["payment_document"] = _("No. %(number)s of %(date)s") % {
            "number": payment.bank_document or payment.shown_number, "date": _on(payment.date)}
        return _save_new(acting_user, client=payment.client, entity=entity, date=on,
                         vat_mode=Invoice.VatMode.INCLUDED, rows=rows, header=header, note=note,
                         invoice=payment.invoice, payment=payment)


def factura_update(*, acting_user: User, factura_id: int, date: datetime.date, header: FacturaHeader,
                   note: str = "", lines: Sequence[LineData] | None = None,
                   edit: Edit | None = None) -> InvoiceFactura:
    """Changes a not cancelled invoice-factura: its date (within the number's year), lines 3–5б and 8, note and —
    for one of a shipment, when `lines` is given — its lines, priced again. An advance one keeps its line (its
    amount is the payment's): to change it, cancel it and issue another. A form gives its `edit`: then only the
    fields the user changed are taken over the invoice-factura as kept now (`documents.update_checked`)."""
    with transaction.atomic():
        factura = locks.factura(factura_id)
        change, changed = documents.update_checked(acting_user, factura, documents.Change(date, note, lines), edit,
                                                   what=_what(factura))
        if edit is not None:
            kept = FacturaHeader(**{name: getattr(factura, name) for name in HEADER_FIELDS})
            header = edits.merged(kept, header, changed, HEADER_FIELDS, lines=None)
        values = header.cleaned()
        if factura.is_advance and change.lines is not None:
            raise Refused(_("An advance invoice-factura's line follows its payment: cancel it and issue another."),
                          field="lines")
        if factura.payment is not None and change.date < factura.payment.date:
            raise Refused(_("An advance invoice-factura cannot be dated before the payment (%(date)s).")
                          % {"date": _on(factura.payment.date)}, field="date")
        old_rows = list(factura.lines.select_related("item").order_by("position"))
        rows = None
        if change.lines is not None:
            rows = documents.priced_rows(InvoiceFacturaLine, entity=factura.legal_entity, date=change.date,
                                         vat_mode=factura.vat_mode, lines=change.lines,
                                         kept_rates={row.vat_rate for row in old_rows})
        before = documents.values_of(factura, FACTURA_FIELDS)
        factura.date, factura.note, factura.changed_by = change.date, (change.note or "").strip(), acting_user
        for name, value in values.items():
            setattr(factura, name, value)
        changes = documents.lines_replace(factura, old_rows, rows)
        factura.save(update_fields=["date", "note", *HEADER_FIELDS, "net", "vat", "gross", "changed_by",
                                    "changed_at"])
        changes = (changes_between(InvoiceFactura, before, documents.values_of(factura, FACTURA_FIELDS), FACTURA_FIELDS)
                   + changes)
        audit_record(actor=acting_user, event="billing.factura.update",
                     summary=_("Invoice-factura %(number)s changed") % {"number": factura.shown_number},
                     target=factura, client=factura.client_id, changes=changes)
    return factura


def factura_cancel(*, acting_user: User, factura_id: int, reason: str) -> InvoiceFactura:
    """Cancels the invoice-factura (the right that cancels invoices): it stays, with who, when and why; an advance
    one gives its amount back to the payment's advance."""
    reason = documents.cancel_checked(acting_user, reason)
    with transaction.atomic():
        factura = locks.factura(factura_id)
        documents.cancel_audited(acting_user, factura, reason, what=_what(factura), event="billing.factura.cancel",
                                 summary=_("Invoice-factura %(number)s cancelled"), fields=FACTURA_FIELDS)
    return factura
