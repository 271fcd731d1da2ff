"""The invoice's form (INV-01 … INV-03) — its head and its lines — the journal's filter and the cancel form.

The forms parse and catch what the user can fix at the field (a line without a price, a quantity of zero, a date
before today without the right): the message is drawn next to that field. The service (`services.invoices`) holds
the same rules and is the authority; what it refuses besides comes above the form.

The head carries the values the user read (`ReadValuesFormMixin`), the lines among them as one value (`table`,
compared whole): a change saves the fields he changed over the invoice as kept now, and a field another user
changed meanwhile, that he changed too, is a conflict shown next to it (core.conflicts).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kontora.billing import policies
from kontora.billing.forms.lines import TABLE, LinesInput, LinesTable, TableFormMixin
from kontora.billing.models import Invoice
from kontora.billing.selectors.invoices import client_contacts
from kontora.billing.selectors.vat import Offer
from kontora.core.forms.base import DateInput, KontoraFormMixin
from kontora.core.models import BankAccount, LegalEntity
from kontora.directories.forms.widgets import picker_field, scope_pickers
from kontora.directories.models import NomenclatureItem

NO_VAT = "none"  # the choice «без НДС» (an empty choice would read as "not chosen")
MAX_LINES = 200
LINE_FIELDS = ("item", "name", "quantity", "unit", "price", "discount", "vat_rate")


def rate_value(rate: Decimal | None) -> str:
    return NO_VAT if rate is None else f"{rate.normalize():f}"


def rate_label(rate: Decimal | None) -> str:
    return str(_("without VAT")) if rate is None else f"{rate.normalize():f} %"


def rate_choices(offer: Offer | None) -> list[tuple[str, str]]:
    return [(rate_value(rate), rate_label(rate)) for rate in (offer.rates if offer else ())]


class EntityField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.short_name or obj.full_name)


class AccountField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.account}, {obj.bank_name}"


class ContactField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}, {obj.position}" if obj.position else str(obj.full_name)


class InvoiceForm(TableFormMixin, forms.Form):
    """The invoice's head: the client (fixed from a card, picked from the journal), the payee and its account,
    «Вниманию», the dates, how VAT is counted, the note — and the lines as one value (`table`), so the snapshot of
    what was read holds them too."""

    read_key = "invoice"
    audit_model = Invoice

    layout = {"head": {
        "client": "col-md-6", "attention": "col-md-6", "legal_entity": "col-md-6", "bank_account": "col-md-6",
        "date": "col-md-3", "due_date": "col-md-3", "vat_mode": "col-md-6",
    }}

    client = picker_field("clients", required=True, label=_("Client"))
    legal_entity = EntityField(LegalEntity.objects.none(), label=_("Payee"), required=True)
    bank_account = AccountField(BankAccount.objects.none(), label=_("Bank account"), required=False)
    attention = ContactField(client_contacts(None), label=_("Attention"), required=False)
    date = forms.DateField(label=_("Date"), widget=DateInput(), required=True)
    due_date = forms.DateField(label=_("Pay by"), widget=DateInput(), required=False)
    vat_mode = forms.ChoiceField(label=_("VAT"), choices=Invoice.VatMode.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    table = forms.Field(label=_("Lines"), widget=LinesInput(lambda data: lines_text(typed_lines(data))),
                        required=False)

    def __init__(self, *args: Any, user: Any, client: Any = None, entity: Any = None, fixed_client: bool = False,
                 read_token: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.read_token = read_token
        scope_pickers(self, user)
        if fixed_client:
            self.fields["client"].widget = forms.HiddenInput()
        self.fields["legal_entity"].queryset = LegalEntity.objects.order_by(  # type: ignore[attr-defined]
            "-is_default", "short_name", "id")
        self.fields["bank_account"].queryset = BankAccount.objects.filter(  # type: ignore[attr-defined]
            legal_entity=entity).order_by("-is_default", "id")
        self.fields["attention"].queryset = client_contacts(client)  # type: ignore[attr-defined]

    def clean_date(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("date")
        if value is not None and not policies.can_date(self.user, value):
            raise forms.ValidationError(_("You have no right to change data dated before today: choose today's "
                                          "date or later."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date, due = data.get("date"), data.get("due_date")
        if date and due and due < date:
            self.add_error("due_date", _("The due date cannot be earlier than the invoice's date."))
        return data

    def stored(self, record: Invoice) -> dict[str, Any]:
        return invoice_stored(record)

    @property
    def read_input(self) -> str:
        """Drawn again while the user edits (a line added, the payee changed: unbound, over what he typed), the
        form carries the snapshot it was opened with, not what is typed so far."""
        if not self.is_bound and self.read_token:
            return format_html('<input type="hidden" name="{}" value="{}">', self.read_name, self.read_token)
        return super().read_input


class LineForm(KontoraFormMixin, forms.Form):
    """One line: picked from the nomenclature (its name, unit, price and VAT rate filled in) or typed."""

    item = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Goods, works, services"), max_length=500, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=15, decimal_places=3, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=32, required=False)
    price = forms.DecimalField(label=_("Price"), max_digits=15, decimal_places=2, required=False)
    discount = forms.DecimalField(label=_("Discount, %"), max_digits=5, decimal_places=2, required=False)
    vat_rate = forms.ChoiceField(label=_("VAT rate"), choices=(), required=False)

    def __init__(self, *args: Any, offer: Offer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vat_rate"].choices = rate_choices(offer)  # type: ignore[attr-defined]

    @property
    def blank(self) -> bool:
        """Nothing typed: a line added and left empty is not saved (nor refused)."""
        data = self.cleaned_data
        return not (data.get("name") or data.get("item") or data.get("price") is not None
                    or data.get("quantity") is not None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.blank:
            return data
        if not (data.get("name") or "").strip() and not data.get("item"):
            self.add_error("name", _("Name the goods or service, or pick it from the nomenclature."))
        if data.get("price") is None and "price" not in self.errors:
            self.add_error("price", _("Enter the price."))
        elif data.get("price") is not None and data["price"] < 0:
            self.add_error("price", _("The price cannot be negative."))
        quantity = data.get("quantity")
        if "quantity" not in self.errors and (quantity is None or quantity <= 0):
            self.add_error("quantity", _("The quantity must be greater than zero."))
        discount = data.get("discount")
        if discount is not None and not Decimal(0) <= discount <= Decimal(100):
            self.add_error("discount", _("The discount must be between 0 and 100 %."))
        if not data.get("vat_rate") and "vat_rate" not in self.errors:
            self.add_error("vat_rate", _("Choose the VAT rate."))
        return data

    def rate(self) -> Decimal | None:
        value = self.cleaned_data.get("vat_rate") or NO_VAT
        return None if value == NO_VAT else Decimal(value)


LINES = LinesTable({name: LineForm.base_fields[name] for name in LINE_FIELDS})
InvoiceForm.lines_table = LINES


def line_count(data: Mapping[str, Any]) -> int:
    """How many lines the posted form has (its hidden "lines" field), within bounds."""
    text = str(data.get("lines", "") or "")
    return min(int(text), MAX_LINES) if text.isascii() and text.isdigit() else 0


def line_prefix(index: int) -> str:
    return f"line-{index}"


def typed_lines(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The lines as typed, as initial values for drawing the form again (a line added, removed or picked)."""
    return [{name: data.get(f"{line_prefix(index)}-{name}", "") for name in LINE_FIELDS}
            for index in range(line_count(data))]


def stored_lines(invoice: Invoice) -> list[dict[str, Any]]:
    """The invoice's lines as the form draws them."""
    return [{"item": line.item_id or "", "name": line.name, "quantity": f"{line.quantity.normalize():f}",
             "unit": line.unit, "price": line.price, "discount": f"{line.discount.normalize():f}",
             "vat_rate": rate_value(line.vat_rate)} for line in invoice.lines.order_by("position")]


def invoice_stored(invoice: Invoice, lines: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The invoice's head as kept now, in the form's terms, with its lines (`stored_lines`) as one value (`table`)."""
    return {"client": invoice.client_id, "legal_entity": invoice.legal_entity_id,
            "bank_account": invoice.bank_account_id, "attention": invoice.attention_id, "date": invoice.date,
            "due_date": invoice.due_date, "vat_mode": invoice.vat_mode, "note": invoice.note,
            TABLE: lines_text(stored_lines(invoice) if lines is None else lines)}


def lines_text(lines: Iterable[Mapping[str, Any]]) -> str:
    return LINES.text(lines)


def text_lines(text: Any) -> list[dict[str, str]]:
    return LINES.lines(text)


def item_line(item: NomenclatureItem, offer: Offer | None, kept: Mapping[str, Any]) -> dict[str, Any]:
    """A line filled from a nomenclature item: its name, unit, sale price and VAT rate (the one in force for the
    payee when the item's own is not offered); the quantity typed stays."""
    rate = item.vat_rate.rate if item.vat_rate is not None else None
    if offer is not None and rate not in offer.rates:
        rate = offer.default
    unit = item.unit.short_name or item.unit.name if item.unit is not None else ""
    return {"item": item.pk, "name": item.name, "quantity": kept.get("quantity") or "1", "unit": unit,
            "price": item.sale_price if item.sale_price is not None else "", "discount": kept.get("discount", ""),
            "vat_rate": rate_value(rate)}


class JournalFilterForm(KontoraFormMixin, forms.Form):
    """«Журнал счетов»'s filter: the period (days of the user's calendar), status, payee."""

    date_from = forms.DateField(label=_("Period from"), widget=DateInput(), required=False)
    date_to = forms.DateField(label=_("To"), widget=DateInput(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("any status")), *Invoice.Status.choices],
                               required=False)
    legal_entity = EntityField(LegalEntity.objects.none(), label=_("Payee"), required=False,
                               empty_label=_("any payee"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["legal_entity"].queryset = LegalEntity.objects.order_by(  # type: ignore[attr-defined]
            "short_name", "id")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period cannot be earlier than its start."))
        return data

    def choice(self) -> dict[str, Any]:
        """The filter as the selector takes it; an invalid filter filters nothing it could not read."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"date_from": data.get("date_from"), "date_to": data.get("date_to"), "status": data.get("status", ""),
                "legal_entity": data.get("legal_entity")}


class CancelForm(KontoraFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=True,
                             widget=forms.Textarea(attrs={"rows": 2}))
