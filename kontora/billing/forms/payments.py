"""The payment form (INV-04), the storno and «Зачесть аванс» forms of a payment's page, the client picker of a new
payment from the journal, and the journal's filter. Rules and their messages are the services'
(billing.services.payments): the forms only parse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kontora.billing.models import Invoice, Payment
from kontora.billing.selectors import payments as selectors
from kontora.billing.services.payments import Overpayment
from kontora.clients.models import Client
from kontora.core.forms.base import DateInput, KontoraForm, PeriodMixin
from kontora.core.models import LegalEntity
from kontora.core.text import id_param
from kontora.directories.forms.widgets import picker_field, scope_pickers

NO_INVOICE = ""
MINE, EVERYONE = "mine", "all"


def money_text(value: Any) -> str:
    return str(formats.number_format(value, 2, use_l10n=True, force_grouping=True))


def invoice_label(invoice: Invoice) -> str:
    """«АМ-4 от 01.12.2026: 1 000,00, к оплате 600,00»."""
    return gettext("%(number)s of %(date)s: %(gross)s, due %(due)s") % {
        "number": invoice.shown_number, "date": invoice.date.strftime("%d.%m.%Y"),
        "gross": money_text(invoice.gross), "due": money_text(invoice.due)}


class _InvoiceChoice(forms.CharField):
    """One of the client's invoices by its id, or none (the client's advance). The select offers the invoices money
    may still go to; any invoice of the client is taken, so that the service says why one cannot be paid (a draft,
    a cancelled one) next to the field."""

    widget = forms.Select

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.invoices: Any = Invoice.objects.none()

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if text in (NO_INVOICE, None):
            return None
        number = id_param(text)
        found = self.invoices.filter(pk=number).first() if number is not None else None
        if found is None:
            raise ValidationError(gettext("Choose one of the client's invoices."), code="invalid_choice")
        return found


def _invoice_choices(offered: list[Invoice], asked: Invoice | None, empty: str) -> list[tuple[Any, str]]:
    choices: list[tuple[Any, str]] = [(NO_INVOICE, empty)]
    choices += [(str(invoice.pk), invoice_label(invoice)) for invoice in offered]
    if asked is not None and all(invoice.pk != asked.pk for invoice in offered):
        # Named by the link the form was opened from, though it takes no money: shown, so the refusal reads right.
        choices.append((str(asked.pk), f"{invoice_label(asked)} ({asked.get_status_display()})"))
    return choices


class PaymentForm(KontoraForm):
    layout = {"payment": {
        "date": "col-4", "amount": "col-4", "kind": "col-4", "invoice": "col-12", "overpayment": "col-12",
        "payer": "col-8", "bank_document": "col-4", "legal_entity": "col-12", "note": "col-12",
    }}

    date = forms.DateField(label=_("Date"), widget=DateInput(),
                           error_messages={"required": _("Enter the date of the payment.")})
    amount = forms.DecimalField(label=_("Amount"), max_digits=17, decimal_places=2,
                                error_messages={"required": _("Enter the amount received.")})
    kind = forms.ChoiceField(label=_("Kind of payment"), choices=Payment.Kind.choices, widget=forms.RadioSelect,
                             initial=Payment.Kind.NON_CASH)
    invoice = _InvoiceChoice(label=_("Invoice"),
                             help_text=_("The invoice the payer names; without one the money is the client's advance, "
                                         "applied to his invoices later."))
    overpayment = forms.ChoiceField(
        label=_("If the amount is more than the invoice's due"), widget=forms.RadioSelect,
        initial=Overpayment.REFUSE, choices=[(Overpayment.REFUSE.value, _("Refuse the payment")),
                                             (Overpayment.ADVANCE.value, _("Keep the rest as the client's advance"))])
    payer = forms.CharField(label=_("Payer"), max_length=300, required=False)
    bank_document = forms.CharField(label=_("Bank document number"), max_length=64, required=False)
    legal_entity = forms.ModelChoiceField(LegalEntity.objects.none(), label=_("Payee of an advance"), required=False,
                                          empty_label=None,
                                          help_text=_("A payment for an invoice goes to the invoice's payee."))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, client: Client, asked: Invoice | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_payment_%s")
        super().__init__(*args, **kwargs)
        invoice = self.fields["invoice"]
        assert isinstance(invoice, _InvoiceChoice)
        invoice.invoices = selectors.client_invoices(client)
        invoice.widget.attrs.pop("maxlength", None)  # a select: the free-text cap is no attribute of it
        invoice.widget.choices = _invoice_choices(list(selectors.open_invoices(client)), asked,
                                                  gettext("— none: the client's advance —"))
        entities = self.fields["legal_entity"]
        assert isinstance(entities, forms.ModelChoiceField)
        entities.queryset = LegalEntity.objects.order_by("-is_default", "short_name", "id")


class PaymentCancelForm(KontoraForm):
    reason = forms.CharField(label=_("Why is the payment cancelled"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_cancel_%s")
        super().__init__(*args, **kwargs)


class AdvanceApplyForm(KontoraForm):
    """«Зачесть аванс»: the payment's advance to one of the client's open invoices, all of it that fits or a part."""

    invoice = _InvoiceChoice(label=_("Invoice"))
    amount = forms.DecimalField(label=_("Amount"), max_digits=17, decimal_places=2, required=False,
                                help_text=_("Empty: as much as the advance and the invoice's due allow."))

    def __init__(self, *args: Any, client: Client | int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_apply_%s")
        super().__init__(*args, **kwargs)
        invoice = self.fields["invoice"]
        assert isinstance(invoice, _InvoiceChoice)
        invoice.invoices = selectors.client_invoices(client)
        invoice.widget.attrs.pop("maxlength", None)  # a select: the free-text cap is no attribute of it
        invoice.widget.choices = _invoice_choices(list(selectors.open_invoices(client)), None,
                                                  gettext("— choose an invoice —"))

    def clean_invoice(self) -> Any:
        value = self.cleaned_data.get("invoice")
        if value is None:
            raise ValidationError(gettext("Choose the invoice to apply the advance to."), code="required")
        return value


class PaymentClientForm(KontoraForm):
    """A new payment from the journal: first the client who paid (the clients picker: those the user sees)."""

    client = picker_field("clients", label=_("Client"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_payer_%s")
        super().__init__(*args, **kwargs)
        scope_pickers(self, user)

    def clean_client(self) -> Any:
        value = self.cleaned_data.get("client")
        if value is None:
            raise ValidationError(gettext("Choose the client who paid."), code="required")
        return value


class PaymentFilterForm(PeriodMixin, KontoraForm):
    """A GET form whose valid fields narrow the journal; a bad one is marked next to itself and narrows nothing."""

    date_from = forms.DateField(label=_("Date from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("to"), required=False, widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind of payment"), required=False,
                             choices=[("", _("cash and non-cash")), *Payment.Kind.choices])
    legal_entity = forms.ModelChoiceField(LegalEntity.objects.none(), label=_("Payee"), required=False,
                                          empty_label=_("any payee"))
    state = forms.ChoiceField(label=_("Storno"), required=False, choices=[
        ("", _("live and cancelled")), (selectors.LIVE, _("live only")), (selectors.CANCELLED, _("cancelled only"))])

    whose = forms.ChoiceField(label=_("Employees"), required=False,
                              choices=[(EVERYONE, _("All employees")), (MINE, _("My payments"))])

    def __init__(self, data: Any = None, *, all_employees: bool) -> None:
        super().__init__(data, auto_id="id_filter_%s")
        if not all_employees:
            del self.fields["whose"]
        entities = self.fields["legal_entity"]
        assert isinstance(entities, forms.ModelChoiceField)
        entities.queryset = LegalEntity.objects.order_by("short_name", "id")

    def choice(self, client: Client | None) -> selectors.PaymentChoice:
        """The valid fields as the selectors' choice (a field with an error narrows nothing)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        entity = data.get("legal_entity")
        return selectors.PaymentChoice(
            date_from=data.get("date_from"), date_to=data.get("date_to"), kind=data.get("kind") or "",
            legal_entity=entity.pk if entity is not None else None, state=data.get("state") or "", client=client,
            mine=data.get("whose") == MINE)
