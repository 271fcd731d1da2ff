"""What billing's printed forms show (INV-05, INV-06): «Счёт на оплату», the act, the invoice-factura and the УПД.
The invoice and the act take the same pieces (`Party`, `PrintLine`, `TotalRow`, `Signer`) through the partials of
`templates/billing/print/partials/`; the invoice-factura and the УПД lay out the form of Decree 1137 (numbered lines,
its own table) from the same `Party` and `Signer`.

Everything a template needs is worked out here, so the templates only lay it out: the parties' requisites as one
line each, the lines' shown amounts, the total rows as the VAT mode wants them («В том числе НДС 22 %» or «Без НДС»
under the total for VAT included, a «НДС 22 %» row added for VAT on top), the sum in words, the payment QR code and
the stamp and signature images — the latter only on the forms that may carry them (`STAMPED_FORMS`).
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kontora.billing.models import Act, Invoice, InvoiceFactura, InvoiceLine
from kontora.billing.selectors import qr
from kontora.billing.selectors.words import sum_in_words
from kontora.core.errors import Refused
from kontora.core.models import BankAccount, LegalEntity
from kontora.core.printing import pdf_render
from kontora.core.selectors.organisation import entity_images

ZERO = Decimal("0.00")
# A stamp and facsimile signatures are allowed on «Счёт на оплату» and the act; an invoice-factura and a УПД are
# signed by hand (or electronically), never with a printed picture.
STAMPED_FORMS = frozenset({"invoice", "act"})


@dataclass(frozen=True)
class Party:
    """A side of a document as its line prints it: the name, INN, KPP, address and phone."""

    name: str
    inn: str = ""
    kpp: str = ""
    address: str = ""
    phone: str = ""

    @property
    def line(self) -> str:
        """«ООО «Ромашка», ИНН 7707083893, КПП 770701001, 123456, Москва, ул. Ленина, 1, тел.: …»."""
        pieces = [self.name]
        if self.inn:
            pieces.append(_("INN %(inn)s") % {"inn": self.inn})
        if self.kpp:
            pieces.append(_("KPP %(kpp)s") % {"kpp": self.kpp})
        if self.address:
            pieces.append(self.address)
        if self.phone:
            pieces.append(_("phone: %(phone)s") % {"phone": self.phone})
        return ", ".join(piece for piece in pieces if piece)


@dataclass(frozen=True)
class PrintLine:
    position: int
    name: str
    quantity: Decimal
    unit: str
    price: Decimal
    discount: Decimal
    amount: Decimal  # the line's sum as the table shows it: with VAT when it is included, without when on top

    @property
    def quantity_shown(self) -> str:
        return rate_shown(self.quantity)

    @property
    def discount_shown(self) -> str:
        return rate_shown(self.discount) if self.discount else ""


@dataclass(frozen=True)
class TotalRow:
    label: str
    amount: Decimal | None  # None: «—» (no VAT)
    testid: str


@dataclass(frozen=True)
class Signer:
    role: str  # «Руководитель», «Главный бухгалтер»
    name: str
    signature: str  # a `data:` URL of the facsimile, or ""
    testid: str


@dataclass(frozen=True)
class InvoicePrint:
    invoice: Invoice
    title: str
    payee: Party
    buyer: Party
    account: BankAccount | None
    attention: str
    lines: tuple[PrintLine, ...]
    with_discount: bool
    totals: tuple[TotalRow, ...]
    gross: Decimal
    summary: str  # «Всего наименований 3, на сумму 1 234,56 руб.»
    words: str
    due_date: datetime.date | None
    signers: tuple[Signer, ...]
    stamp: str  # a `data:` URL, or ""
    qr: str  # the payment QR code as a `data:` URL of its SVG, or "" when the payee's requisites do not make one
    qr_payload: str

    @property
    def party_rows(self) -> list[tuple[str, Party, str]]:
        return [(_("Supplier (contractor):"), self.payee, "supplier"), (_("Buyer (customer):"), self.buyer, "buyer")]


def rate_shown(rate: Decimal) -> str:
    """22.00 → «22», 7.50 → «7,5»: a rate, a quantity or a discount without trailing zeros, a decimal comma."""
    text = format(rate.normalize(), "f")
    return text.replace(".", ",")


def amount_shown(amount: Decimal) -> str:
    """1234.5 → «1 234,50»: an amount inside a sentence (the QR's purpose, the summary)."""
    whole, _dot, fraction = f"{amount:.2f}".partition(".")
    sign, whole = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{' '.join(groups) or '0'},{fraction}"


def date_shown(day: datetime.date) -> str:
    """«7 декабря 2026 г.» (the month in the genitive) as document titles print the date."""
    return pgettext("document date", "%(date)s") % {"date": date_format(day, "j E Y")}


def entity_party(entity: LegalEntity) -> Party:
    return Party(name=entity.full_name or entity.short_name, inn=entity.inn, kpp=entity.kpp,
                 address=entity.legal_address or entity.actual_address, phone=entity.phone)


def client_party(client: Any) -> Party:
    """The client as the buyer: its full name, INN, KPP and legal address (registration data), else its address."""
    try:
        address = client.registration.legal_address
    except ObjectDoesNotExist:
        address = ""
    if not address:
        city = client.settlement.name if client.settlement_id else ""
        address = ", ".join(piece for piece in (client.postal_code, city, client.address) if piece)
    return Party(name=client.full_name or client.short_name, inn=client.inn, kpp=client.kpp, address=address,
                 phone=client.phone)


def vat_included(document: Any) -> bool:
    """An invoice's, an act's or an invoice-factura's VAT mode: prices with VAT (else VAT on top)."""
    return bool(document.vat_mode == Invoice.VatMode.INCLUDED)


def print_lines(document: Any, lines: list[Any]) -> tuple[PrintLine, ...]:
    """The lines of an invoice or an act as its table shows them."""
    included = vat_included(document)
    return tuple(PrintLine(position=line.position, name=line.name, quantity=line.quantity, unit=line.unit,
                           price=line.price, discount=line.discount,
                           amount=line.gross if included else line.net) for line in lines)


def total_rows(document: Any, lines: list[Any]) -> tuple[TotalRow, ...]:
    """«Итого», then the VAT: «В том числе НДС r %» per rate (VAT included), «НДС r %» per rate (on top, added to
    the total), or «Без НДС» when no line bears VAT."""
    by_rate: dict[Decimal, Decimal] = {}
    for line in lines:
        if line.vat_rate is not None:
            by_rate[line.vat_rate] = by_rate.get(line.vat_rate, ZERO) + line.vat
    included = vat_included(document)
    rows = [TotalRow(_("Total:"), document.gross if included else document.net, "total")]
    if not by_rate:
        rows.append(TotalRow(_("Without VAT"), None, "vat"))
    for rate in sorted(by_rate, reverse=True):
        label = (_("Including VAT %(rate)s %%:") if included else _("VAT %(rate)s %%:")) % {
            "rate": rate_shown(rate)}
        rows.append(TotalRow(label, by_rate[rate], "vat"))
    return tuple(rows)


def payment_purpose(invoice: Invoice, lines: list[InvoiceLine]) -> str:
    """«Оплата по счёту № АМ-422 от 07.12.2026, в т.ч. НДС 22 % 1 834,71 руб.» (or «, без НДС»)."""
    text = _("Payment for invoice No. %(number)s of %(date)s") % {
        "number": invoice.shown_number, "date": invoice.date.strftime("%d.%m.%Y")}
    rates = sorted({line.vat_rate for line in lines if line.vat_rate is not None}, reverse=True)
    if not rates:
        return text + _(", without VAT")
    shown = " / ".join(f"{rate_shown(rate)} %" for rate in rates)
    return text + _(", including VAT %(rate)s %(amount)s rub.") % {"rate": shown,
                                                                      "amount": amount_shown(invoice.vat)}


def payment_code(invoice: Invoice, account: BankAccount | None, lines: list[InvoiceLine]) -> str:
    """The GOST R 56042-2014 payload of the invoice's payment, or "" when its requisites make none (no account,
    no amount, a requisite out of the standard's format): the form is printed without the code then."""
    if account is None or invoice.gross <= 0:
        return ""
    entity = invoice.legal_entity
    try:
        return qr.payment_payload(qr.Payment(
            name=entity.full_name or entity.short_name, account=account.account, bank_name=account.bank_name,
            bik=account.bik, corr_account=account.corr_account, inn=entity.inn, kpp=entity.kpp,
            purpose=payment_purpose(invoice, lines), amount=invoice.gross))
    except Refused:
        return ""


def document_images(entity: LegalEntity, *, form: str, stamped: bool) -> dict[str, str]:
    """The stamp and signature images of the payee for a printed `form`: only when the user asked for them and
    only on a form that may carry them (`STAMPED_FORMS`)."""
    if not stamped or form not in STAMPED_FORMS:
        return {}
    return entity_images(entity)


def signers(entity: LegalEntity, images: dict[str, str]) -> tuple[Signer, ...]:
    return (Signer(_("Director"), entity.director, images.get("director_signature", ""), "director"),
            Signer(_("Chief accountant"), entity.chief_accountant, images.get("accountant_signature", ""),
                   "accountant"))


def invoice_print(invoice: Invoice, *, stamped: bool = False) -> InvoicePrint:
    """«Счёт на оплату» of an invoice the caller has checked the user may open (`access_invoice`)."""
    entity = invoice.legal_entity
    account = invoice.bank_account
    lines = list(invoice.lines.order_by("position"))
    images = document_images(entity, form="invoice", stamped=stamped)
    payload = payment_code(invoice, account, lines)
    code = ("data:image/svg+xml;base64," + base64.b64encode(qr.payment_qr_svg(payload)).decode("ascii")
            if payload else "")
    attention = invoice.attention.full_name if invoice.attention_id and invoice.attention else ""
    return InvoicePrint(
        invoice=invoice,
        title=_("Payment invoice No. %(number)s of %(date)s") % {"number": invoice.shown_number,
                                                                 "date": date_shown(invoice.date)},
        payee=entity_party(entity), buyer=client_party(invoice.client), account=account, attention=attention,
        lines=print_lines(invoice, lines), with_discount=any(line.discount for line in lines),
        totals=total_rows(invoice, lines), gross=invoice.gross,
        summary=_("Total items %(count)d, for the amount of %(amount)s rub.") % {
            "count": len(lines), "amount": amount_shown(invoice.gross)},
        words=sum_in_words(invoice.gross), due_date=invoice.due_date, signers=signers(entity, images),
        stamp=images.get("stamp", ""), qr=code, qr_payload=payload)


INVOICE_TEMPLATE = "billing/print/invoice.html"


def invoice_context(invoice: Invoice, *, stamped: bool = False) -> dict[str, Any]:
    """The template's context of «Счёт на оплату» (for `core.printing`'s PDF or printable page)."""
    return {"doc": invoice_print(invoice, stamped=stamped), "stamped": stamped}


def invoice_pdf(invoice: Invoice, *, stamped: bool = False) -> bytes:
    """«Счёт на оплату» as a PDF (the letter's attachment; the print page draws its own through `pdf_response`)."""
    context = invoice_context(invoice, stamped=stamped)
    return pdf_render(INVOICE_TEMPLATE, context, title=context["doc"].title)


def invoice_pdf_name(invoice: Invoice) -> str:
    """«Счёт АМ-422 от 07.12.2026.pdf»: the attachment's name as the client's mail program shows it."""
    return _("Invoice %(number)s of %(date)s.pdf") % {"number": invoice.shown_number.replace("/", "-"),
                                                     "date": invoice.date.strftime("%d.%m.%Y")}


def invoice_file_name(invoice: Invoice) -> str:
    """The downloaded PDF's name, in ASCII (an HTTP header's filename): «invoice-2026-422.pdf»."""
    return f"invoice-{invoice.number_year}-{invoice.number}.pdf"


def send_initial(invoice: Invoice, user: Any) -> dict[str, Any]:
    """«Отправить по e-mail» pre-filled: to «Вниманию»'s e-mail, else the client's; «Счёт № … от …»; a short text
    signed by the user."""
    attention = invoice.attention if invoice.attention_id else None
    recipient = (attention.email if attention is not None else "") or invoice.client.email
    number, day = invoice.shown_number, date_shown(invoice.date)
    greeting = (_("Good afternoon, %(name)s!") % {"name": attention.full_name} if attention is not None
                else _("Good afternoon!"))
    body = _("Please find attached invoice No. %(number)s of %(date)s for %(amount)s rub.") % {
        "number": number, "date": day, "amount": amount_shown(invoice.gross)}
    if invoice.due_date:
        body += " " + _("Please pay it by %(day)s.") % {"day": invoice.due_date.strftime("%d.%m.%Y")}
    signature = "\n".join(piece for piece in (getattr(user, "full_name", "") or str(user),
                                              invoice.legal_entity.short_name) if piece)
    return {"recipient": recipient, "subject": pgettext("letter subject", "Invoice No. %(number)s of %(date)s") % {
        "number": number, "date": day}, "text": f"{greeting}\n\n{body}\n\n--\n{signature}\n"}


# --- the act (INV-05) ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActPrint:
    act: Act
    title: str
    contractor: Party
    customer: Party
    basis: str  # «Счёт № АМ-422 от 07.12.2026», or "" for an act of its own
    lines: tuple[PrintLine, ...]
    with_discount: bool
    totals: tuple[TotalRow, ...]
    gross: Decimal
    summary: str  # «Всего оказано услуг 3, на сумму 1 234,56 руб.»
    words: str
    signers: tuple[Signer, ...]
    stamp: str  # a `data:` URL, or ""

    @property
    def party_rows(self) -> list[tuple[str, Party, str]]:
        return [(pgettext("act", "Contractor:"), self.contractor, "contractor"),
                (pgettext("act", "Customer:"), self.customer, "customer")]


def basis_shown(invoice: Invoice | None) -> str:
    """The invoice a document was entered from: «Счёт № АМ-422 от 07.12.2026»."""
    if invoice is None:
        return ""
    return _("Invoice No. %(number)s of %(date)s") % {"number": invoice.shown_number,
                                                     "date": invoice.date.strftime("%d.%m.%Y")}


def act_print(act: Act, *, stamped: bool = False) -> ActPrint:
    """The act of an act the caller has checked the user may open (`access_act`): the contractor's director signs it
    (with his facsimile and the stamp when asked), the customer's line is left for his hand."""
    entity = act.legal_entity
    lines = list(act.lines.order_by("position"))
    images = document_images(entity, form="act", stamped=stamped)
    return ActPrint(
        act=act,
        title=_("Act No. %(number)s of %(date)s") % {"number": act.shown_number, "date": date_shown(act.date)},
        contractor=entity_party(entity), customer=client_party(act.client),
        basis=basis_shown(act.invoice if act.invoice_id else None),
        lines=print_lines(act, lines), with_discount=any(line.discount for line in lines),
        totals=total_rows(act, lines), gross=act.gross,
        summary=_("Total services rendered %(count)d, for the amount of %(amount)s rub.") % {
            "count": len(lines), "amount": amount_shown(act.gross)},
        words=sum_in_words(act.gross),
        signers=(Signer(pgettext("act", "Contractor"), entity.director, images.get("director_signature", ""),
                        "contractor"),
                 Signer(pgettext("act", "Customer"), "", "", "customer")),
        stamp=images.get("stamp", ""))


ACT_TEMPLATE = "billing/print/act.html"


def act_context(act: Act, *, stamped: bool = False) -> dict[str, Any]:
    return {"doc": act_print(act, stamped=stamped), "stamped": stamped}


def act_file_name(act: Act) -> str:
    return f"act-{act.number_year}-{act.number}.pdf"


# --- the invoice-factura and the УПД (INV-05) ------------------------------------------------------------------------

# The 2026 amendment of Decree 1137 (line 5б: the advance invoice-facturas the shipment is set off against, Federal
# Law 425-FZ) applies to invoice-facturas dated from this day; those before keep the previous form.
FORM_2026_FROM = datetime.date(2026, 4, 1)
UPD_STATUSES = ("1", "2")


def factura_rate(rate: Decimal | None, advance: bool) -> str:
    """Column 7 «Налоговая ставка»: «22%», «без НДС», or on an advance the calculated rate «22/122»."""
    if rate is None:
        return "без НДС"
    shown = f"{rate.normalize():f}"
    return f"{shown}/{(rate + 100).normalize():f}" if advance else f"{shown}%"


@dataclass(frozen=True)
class FacturaPrint:
    factura: InvoiceFactura
    title: str  # «Счёт-фактура № АМ-12 от 1 апреля 2026 г.» (the PDF's title; the form prints it as its line 1)
    day: str
    seller: Party
    buyer: Party
    advance: bool
    form_2026: bool  # the form of the 2026 amendment, with line 5б
    upd: bool
    upd_status: str  # "1" (the invoice-factura and the transfer document) or "2" (the transfer document only)
    rows: tuple[tuple[Any, str], ...]  # (the line, its rate as column 7 shows it)
    basis: str  # the УПД's «Основание передачи»: the invoice, or ""
    signers: tuple[Signer, ...]


def factura_print(factura: InvoiceFactura, *, upd: bool = False, upd_status: str = "1",
                  stamped: bool = False) -> FacturaPrint:
    """The invoice-factura (or the УПД of its data) the caller has checked the user may open (`access_factura`), in
    the form in force on its date; signed by hand — never a stamp or a facsimile, even when asked."""
    entity = factura.legal_entity
    advance = factura.is_advance
    day = date_shown(factura.date)
    images = document_images(entity, form="upd" if upd else "invoice_factura", stamped=stamped)
    return FacturaPrint(
        factura=factura, title=f"Счёт-фактура № {factura.shown_number} от {day}", day=day,
        seller=entity_party(entity), buyer=client_party(factura.client), advance=advance,
        form_2026=factura.date >= FORM_2026_FROM, upd=upd, upd_status=upd_status,
        rows=tuple((line, factura_rate(line.vat_rate, advance)) for line in factura.lines.order_by("position")),
        basis=basis_shown(factura.invoice if factura.invoice_id else None),
        signers=(Signer("Руководитель организации или иное уполномоченное лицо", entity.director,
                        images.get("director_signature", ""), "director"),
                 Signer("Главный бухгалтер или иное уполномоченное лицо", entity.chief_accountant,
                        images.get("accountant_signature", ""), "accountant")))


FACTURA_TEMPLATE = "billing/print/factura.html"


def factura_context(factura: InvoiceFactura, *, upd: bool = False, upd_status: str = "1",
                    stamped: bool = False) -> dict[str, Any]:
    return {"doc": factura_print(factura, upd=upd, upd_status=upd_status, stamped=stamped)}


def factura_file_name(factura: InvoiceFactura, *, upd: bool = False) -> str:
    return f"{'upd' if upd else 'factura'}-{factura.number_year}-{factura.number}.pdf"
