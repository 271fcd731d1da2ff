"""The demo's acts and invoice-facturas (INV-05), planned from each batch of invoices and payments as it is written.

- An act for a share of the paid invoices with services: their service lines copied with the amounts the invoice
  printed (goods left out, the rest numbered again from 1), as `services.acts.act_from_invoice` copies them.
- An invoice-factura for a share of the issued, partly paid and paid invoices of a payee with VAT: every line
  copied; line 5 names the live payments received by its date, line 5б the live advance invoice-facturas of those
  payments (`services.facturas.invoice_references`).
- An advance invoice-factura for a share of the payments whose money is not all counted towards invoices: for that
  rest, one line, VAT at the calculated rate of the payee's basic rate on its date (`factura_advance`).

A document is dated a few days after what it is based on, never before the documents already written nor after
today. Numbers come from the numbering service in blocks (kinds "act" and "invoice_factura", the payee, the date's
year; both kinds of invoice-factura in one order), in date order: a document dated after its batch's last invoice
waits for the next batch, so numbers follow dates across batches and the services continue them. Totals are the sums
of the lines. A few documents are cancelled, with who and why.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from kontora.billing.demo.rows import moment_on, numbered, read_back
from kontora.billing.models import Act, ActLine, Invoice, InvoiceFactura, InvoiceFacturaLine
from kontora.billing.selectors.amounts import Line, line_amounts
from kontora.clients.demo import Inserter
from kontora.core.money import kopecks
from kontora.core.numbering import number_shown

ACT_KIND, FACTURA_KIND = "act", "invoice_factura"  # the services' numbering kinds
DELAY_DAYS = 5  # a document follows its invoice or payment by up to this many days
CANCELLED_SHARE = 0.02
LINE_COLUMNS = ("item_id", "name", "quantity", "unit", "price", "discount", "vat_rate", "net", "vat", "gross")
_CANCEL = ["Выписан повторно с исправлениями", "Ошибка в реквизитах покупателя", "Неверная дата документа"]
_LIVE_INVOICE = (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID, Invoice.Status.PAID)


def _on(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def _reference(number: str, day: datetime.date) -> str:
    return _("No. %(number)s of %(date)s") % {"number": number, "date": _on(day)}


def _day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


@dataclass
class DocumentFill:
    """One fill's acts and invoice-facturas: those planned and not yet written, the row writers, the counts."""

    rng: random.Random
    today: datetime.date
    zone: ZoneInfo
    act_share: float
    factura_share: float
    rate_on: Callable[[int, datetime.date], Decimal | None]  # the payee's basic VAT rate on a day, None: no VAT
    floor: datetime.date = datetime.date.min  # the last date written: no later document is dated before it
    acts: list[dict[str, Any]] = field(default_factory=list)
    facturas: list[dict[str, Any]] = field(default_factory=list)
    inserters: dict[str, Inserter] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {"acts": 0, "facturas": 0})

    def __post_init__(self) -> None:
        for name, model in (("act", Act), ("act_line", ActLine), ("factura", InvoiceFactura),
                            ("factura_line", InvoiceFacturaLine)):
            self.inserters[name] = Inserter(model)

    def _date(self, basis: datetime.date) -> datetime.date:
        return min(max(basis + datetime.timedelta(days=self.rng.randint(0, DELAY_DAYS)), self.floor), self.today)

    def _document(self, source: dict[str, Any], day: datetime.date, lines: list[dict[str, Any]],
                  **extra: Any) -> dict[str, Any]:
        """A document of `source`'s client, payee and author dated `day`, its totals the sums of the lines."""
        rng = self.rng
        created = moment_on(day, self.zone, rng)
        author = source["author_id"]
        row = {"client_id": source["client_id"], "legal_entity_id": source["legal_entity_id"],
               "date": day.isoformat(), "number_year": day.year, "prefix": source["prefix"],
               "vat_mode": str(Invoice.VatMode.INCLUDED), "status": str(Act.Status.ISSUED),
               "net": sum(line["net"] for line in lines), "vat": sum(line["vat"] for line in lines),
               "gross": sum(line["gross"] for line in lines), "author_id": author, "created_at": created,
               "changed_at": created, "changed_by_id": author, "_lines": lines, **extra}
        if rng.random() < CANCELLED_SHARE:
            row.update(status=str(Act.Status.CANCELLED), cancelled_by_id=author, cancel_reason=rng.choice(_CANCEL),
                       cancelled_at=moment_on(min(day + datetime.timedelta(days=rng.randint(0, 3)), self.today),
                                              self.zone, rng))
        return row

    def plan(self, invoices: list[dict[str, Any]], payments: list[dict[str, Any]]) -> None:
        """The documents of a batch just written (its invoices' and payments' ids and numbers known)."""
        rng = self.rng
        for row in invoices:
            for payment in row["_payments"]:
                payment["_basis"] = number_shown(row["number"], row["prefix"]) if payment["_named"] else ""
        for payment in payments:
            left = payment["amount"] - payment["_applied"]
            if left > 0 and "cancelled_at" not in payment and rng.random() < self.factura_share:
                self._advance(payment, left)
        for row in invoices:
            if row["status"] not in _LIVE_INVOICE:
                continue
            services = [line for line in row["_lines"] if line["_service"]]
            if services and row["status"] == Invoice.Status.PAID and rng.random() < self.act_share:
                lines = [{"position": position, **{name: line[name] for name in LINE_COLUMNS}}
                         for position, line in enumerate(services, start=1)]
                self.acts.append(self._document(row, self._date(_day(row["date"])), lines, invoice_id=row["id"],
                                                vat_mode=row["vat_mode"]))
            if any(line["vat_rate"] is not None for line in row["_lines"]) and rng.random() < self.factura_share:
                lines = [{"position": line["position"], **{name: line[name] for name in LINE_COLUMNS}}
                         for line in row["_lines"]]
                self.facturas.append(self._document(
                    row, self._date(_day(row["date"])), lines, invoice_id=row["id"], vat_mode=row["vat_mode"],
                    kind=str(InvoiceFactura.Kind.ORDINARY),
                    _paid=[p for p in row["_payments"] if p["_applied"] > 0 and "cancelled_at" not in p]))

    def _advance(self, payment: dict[str, Any], left: int) -> None:
        """An advance invoice-factura for the rest of a payment not counted towards invoices."""
        day = self._date(_day(payment["date"]))
        rate = self.rate_on(payment["legal_entity_id"], day)
        if rate is None:
            return
        amounts = line_amounts(Line(quantity=Decimal(1), price=Decimal(left) / 100, vat_rate=rate,
                                    vat_included=True))
        basis = payment.get("_basis")  # the invoice a payment named; a client's advance names none
        name = (_("Advance payment for invoice %(number)s") % {"number": basis} if basis
                else _("Advance payment for future supplies"))
        line = {"position": 1, "name": name, "quantity": Decimal(1), "unit": "", "price": left, "discount": 0,
                "vat_rate": rate, "net": kopecks(amounts.net), "vat": kopecks(amounts.vat),
                "gross": kopecks(amounts.gross)}
        paid_by = payment["bank_document"] or number_shown(payment["number"], payment["prefix"])
        factura = self._document(payment, day, [line], invoice_id=payment.get("invoice_id"),
                                 payment_id=payment["_id"], kind=str(InvoiceFactura.Kind.ADVANCE),
                                 payment_document=_reference(paid_by, _day(payment["date"])))
        payment["_advance"] = factura
        self.facturas.append(factura)

    def write(self, until: datetime.date | None) -> None:
        """Writes the planned documents dated up to `until` (all when None) in date order, in the caller's
        transaction; the later ones wait for the next call."""
        for kind, model, planned in ((ACT_KIND, Act, self.acts), (FACTURA_KIND, InvoiceFactura, self.facturas)):
            due = [row for row in planned if until is None or _day(row["date"]) <= until]
            planned[:] = [row for row in planned if until is not None and _day(row["date"]) > until]
            if not due:
                continue
            due.sort(key=lambda row: (row["date"], row["created_at"]))
            blocks = numbered(kind, due)
            if model is InvoiceFactura:
                for row in due:
                    if "_paid" in row:
                        self._references(row)
            name = "act" if model is Act else "factura"
            self.inserters[name].insert(due)
            ids = read_back(model, blocks)
            lines = []
            for row in due:
                pk = ids[(row["legal_entity_id"], row["number_year"], row["number"])]
                for line in row["_lines"]:
                    lines.append({**line, name + "_id": pk})
            self.inserters[f"{name}_line"].insert(lines)
            self.counts[f"{name}s"] += len(due)
            self.floor = max(self.floor, _day(due[-1]["date"]))
        if until is not None:
            self.floor = max(self.floor, until)

    @staticmethod
    def _references(row: dict[str, Any]) -> None:
        """Lines 5 and 5б of an invoice-factura for a shipment: the invoice's live payments dated up to it and their
        live advance invoice-facturas dated up to it (numbered by now: dated no later)."""
        on = _day(row["date"])
        paid = sorted((p for p in row["_paid"] if _day(p["date"]) <= on),
                      key=lambda p: (p["date"], p["_id"]))
        row["payment_document"] = "; ".join(
            _reference(p["bank_document"] or number_shown(p["number"], p["prefix"]), _day(p["date"]))
            for p in paid)[:500]
        advances = sorted((p["_advance"] for p in paid if "_advance" in p and _day(p["_advance"]["date"]) <= on
                           and p["_advance"]["status"] != InvoiceFactura.Status.CANCELLED),
                          key=lambda f: (f["date"], f["number"]))
        row["advance_facturas"] = "; ".join(
            _reference(number_shown(f["number"], f["prefix"]), _day(f["date"])) for f in advances)[:500]
