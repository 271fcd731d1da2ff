"""The forms of acts and invoice-facturas (INV-05): the journals' filter, a document's page (its header and its
lines), «ввести на основании» from an invoice, the advance invoice-factura of a payment, cancelling. Rules and their
messages are the services' (`billing.services.acts`, `facturas`, `documents`): the forms only parse."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from kontora.billing.forms.lines import TABLE, LinesInput, LinesTable, TableFormMixin
from kontora.billing.models import Act, InvoiceFactura, InvoiceFacturaLine, IssuedDocument
from kontora.billing.selectors.documents import EVERYONE, MINE, JournalChoice
from kontora.billing.services.documents import FacturaLineData
from kontora.billing.services.facturas import HEADER_FIELDS, FacturaHeader
from kontora.billing.services.invoices import LineData
from kontora.core.forms.base import DateInput, KontoraForm, PeriodMixin

NO_VAT = "none"
FACTURA_LINE_FIELDS = ("unit_code", "country_code", "country_name", "customs_declaration")


class JournalFilterForm(PeriodMixin, KontoraForm):
    """A GET form whose valid fields narrow the journal; a bad one is marked next to itself and narrows nothing."""

    date_from = forms.DateField(label=_("Dated from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("to"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("any status")), *IssuedDocument.Status.choices])
    whose = forms.ChoiceField(label=_("Employees"), required=False,
                              choices=[(EVERYONE, _("All employees")), (MINE, _("My documents"))])

    def __init__(self, data: Any = None, *, all_employees: bool) -> None:
        super().__init__(data)
        if not all_employees:
            del self.fields["whose"]

    def choice(self) -> JournalChoice:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return JournalChoice(date_from=data.get("date_from"), date_to=data.get("date_to"),
                             status=data.get("status") or "", whose=data.get("whose") or "")


def _rate_choices(rates: Iterable[Decimal | None]) -> list[tuple[str, str]]:
    return [(NO_VAT, str(_("without VAT"))) if rate is None else (f"{rate.normalize():f}", f"{rate.normalize():f} %")
            for rate in rates]


def rate_value(rate: Decimal | None) -> str:
    return NO_VAT if rate is None else f"{rate.normalize():f}"


class LineForm(KontoraForm):
    """A line of a document: a blank one is left out; «Удалить» removes a line."""

    name = forms.CharField(label=_("Goods, works, services"), required=False, max_length=500)
    quantity = forms.DecimalField(label=_("Quantity"), required=False, max_digits=15, decimal_places=3)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=32)
    price = forms.DecimalField(label=_("Price"), required=False, max_digits=17, decimal_places=2)
    discount = forms.DecimalField(label=_("Discount, %"), required=False, max_digits=5, decimal_places=2)
    vat_rate = forms.ChoiceField(label=_("VAT rate"), required=False)
    remove = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args: Any, rates: Iterable[Decimal | None] = (), factura: bool = False,
                 read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rate = self.fields["vat_rate"]
        assert isinstance(rate, forms.ChoiceField)
        rate.choices = _rate_choices(rates)
        if factura:  # FACTURA_LINE_FIELDS
            self.fields["unit_code"] = forms.CharField(label=_("Unit code"), required=False, max_length=4)
            self.fields["country_code"] = forms.CharField(label=_("Country code"), required=False, max_length=3)
            self.fields["country_name"] = forms.CharField(label=_("Country of origin"), required=False,
                                                          max_length=64)
            self.fields["customs_declaration"] = forms.CharField(label=_("Customs declaration"), required=False,
                                                                 max_length=64)
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) not in (None, "") for name in ("name", "quantity", "price"))

    def line(self, item: Any = None) -> LineData | None:
        """The line as the services take it; None for a blank or removed one."""
        data = self.cleaned_data
        if data.get("remove") or self.is_blank():
            return None
        rate = data.get("vat_rate") or NO_VAT
        common: dict[str, Any] = {
            "name": data.get("name") or "", "quantity": data.get("quantity"), "price": data.get("price"),
            "unit": data.get("unit") or "", "discount": data.get("discount") or Decimal(0),
            "vat_rate": None if rate == NO_VAT else Decimal(rate), "item": item}
        if "unit_code" in self.fields:
            return FacturaLineData(**common, unit_code=data.get("unit_code") or "",
                                   country_code=data.get("country_code") or "",
                                   country_name=data.get("country_name") or "",
                                   customs_declaration=data.get("customs_declaration") or "")
        return LineData(**common)


LineFormSet = forms.formset_factory(LineForm, extra=0, max_num=200, absolute_max=200, validate_max=True)
MAX_LINES = 200


def posted_lines(data: Mapping[str, Any], names: Iterable[str]) -> list[dict[str, Any]]:
    """The lines as the lines' formset posts them (prefix «lines»), those ticked «Удалить» left out."""
    total = str(data.get("lines-TOTAL_FORMS", "") or "")
    count = min(int(total), MAX_LINES) if total.isascii() and total.isdigit() else 0
    remove = forms.CheckboxInput()
    return [{name: data.get(f"lines-{index}-{name}", "") for name in names} for index in range(count)
            if not remove.value_from_datadict(data, MultiValueDict(), f"lines-{index}-remove")]


def stored_lines(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """A document's lines as its form draws them (an invoice-factura's with their goods' columns)."""
    values = []
    for row in rows:
        line = {"name": row.name, "quantity": row.quantity, "unit": row.unit, "price": row.price,
                "discount": row.discount, "vat_rate": rate_value(row.vat_rate)}
        if isinstance(row, InvoiceFacturaLine):
            line.update({name: getattr(row, name) for name in FACTURA_LINE_FIELDS})
        values.append(line)
    return values


def lines_table(factura: bool) -> LinesTable:
    """How an act's or an invoice-factura's lines make one value of its form (`TABLE`)."""
    fields = LineForm(factura=factura).fields
    return LinesTable({name: field for name, field in fields.items() if name != "remove"})


TABLES = {False: lines_table(False), True: lines_table(True)}


def document_stored(document: Any, rows: Iterable[Any] | None = None) -> dict[str, Any]:
    """The document's header as kept now, in its form's terms, with its lines as one value (`TABLE`)."""
    factura = isinstance(document, InvoiceFactura)
    values = {"date": document.date, "note": document.note}
    if factura:
        values.update({name: getattr(document, name) for name in HEADER_FIELDS})
    lines = document.lines.order_by("position") if rows is None else rows
    values[TABLE] = TABLES[factura].text(stored_lines(lines))
    return values


class DocumentForm(TableFormMixin, forms.Form):
    """A document's header: its date and note; an invoice-factura's lines 3–5б and 8 besides — and its lines as one
    value (`TABLE`), so the snapshot of what was read holds them too."""

    read_key = "document"

    date = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    table = forms.Field(label=_("Lines"), required=False)

    def __init__(self, *args: Any, factura: bool = False, read_only: bool = False, lines_read_only: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audit_model = InvoiceFactura if factura else Act
        self.lines_table = TABLES[factura]
        table = self.lines_table
        self.fields[TABLE].widget = LinesInput(lambda data: table.text(posted_lines(data, table.names)))
        self.fields[TABLE].disabled = lines_read_only
        if factura:
            labels = {"shipper": _("Shipper and its address"), "consignee": _("Consignee and its address"),
                      "payment_document": _("To the payment document No. … of …"),
                      "shipment_document": _("Shipment document"),
                      "advance_facturas": _("Advance invoice-facturas set off (No. … of …)"),
                      "government_contract": _("Government contract identifier")}
            for name in HEADER_FIELDS:
                self.fields[name] = forms.CharField(label=labels[name], required=False,
                                                    max_length=25 if name == "government_contract" else 500)
        if read_only:
            for field in self.fields.values():
                field.disabled = True
        self.take_read()  # the header's fields added above are among what was read

    def stored(self, record: Any) -> dict[str, Any]:
        return document_stored(record)

    def header(self) -> FacturaHeader:
        return FacturaHeader(**{name: self.cleaned_data.get(name, "") for name in HEADER_FIELDS})


class FromInvoiceForm(KontoraForm):
    """«Ввести на основании» an invoice: the date and the invoice's lines to keep (all, unless unticked)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    keep = forms.TypedMultipleChoiceField(label=_("Lines of the invoice"), coerce=int, required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, lines: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = self.fields["keep"]
        assert isinstance(keep, forms.TypedMultipleChoiceField)
        self.positions = [line.position for line in lines]
        keep.choices = [(line.position, f"{line.position}. {line.name}") for line in lines]
        self.initial.setdefault("keep", self.positions)

    def dropped(self) -> list[int]:
        keep = set(self.cleaned_data.get("keep") or [])
        return [position for position in self.positions if position not in keep]


class AdvanceForm(KontoraForm):
    """The advance invoice-factura of a payment: its date and amount (empty: all the advance left)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    amount = forms.DecimalField(label=_("Amount of the advance"), required=False, max_digits=17, decimal_places=2)


class CancelForm(KontoraForm):
    reason = forms.CharField(label=_("Reason of cancelling"), max_length=500, required=False)
