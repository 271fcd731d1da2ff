"""The card's Bank tab (CLI-07): the bank account's form, edited in a modal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kontora.clients.models import ClientBankAccount
from kontora.clients.services.bank import BANK_ACCOUNT_FIELDS
from kontora.core.errors import DomainError
from kontora.core.forms import BankFieldsMixin
from kontora.core.forms.base import ReadValuesFormMixin


class BankAccountForm(ReadValuesFormMixin, forms.Form):
    read_key = "bank"
    layout = {**BankFieldsMixin.layout, "extra": {"notes": "col-9", "is_main": "col-3"}}
    prefix = "bank"  # the modal opens over the card's form: its ids must not clash (id_notes)
    # Numbers are free text: people paste them with spaces; the service keeps the digits and checks the keys.
    # Named as core's bank form, whose fields partial (with the BIK autofill) the modal includes.
    bank_name = forms.CharField(label=_("Bank"), max_length=300, required=False)
    bik = forms.CharField(label=_("BIK"), max_length=20,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    corr_account = forms.CharField(label=_("Correspondent account"), max_length=30, required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    account = forms.CharField(label=_("Settlement account"), max_length=30,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    is_main = forms.BooleanField(label=_("Main account"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    @staticmethod
    def initial_for(account: ClientBankAccount) -> dict[str, Any]:
        initial = {name: getattr(account, name) for name in BANK_ACCOUNT_FIELDS}
        initial["corr_account"] = initial.pop("correspondent_account")
        return initial

    def stored(self, record: Any) -> dict[str, Any]:
        return self.initial_for(record)

    def values(self, names: Any = None) -> dict[str, Any]:
        """The cleaned values (only `names`, when given) as the service names them."""
        values = {name: value for name, value in self.cleaned_data.items() if names is None or name in names}
        if "corr_account" in values:
            values["correspondent_account"] = values.pop("corr_account")
        return values

    def apply_error(self, exc: ValidationError | DomainError) -> None:
        if isinstance(exc, ValidationError) and "correspondent_account" in getattr(exc, "error_dict", {}):
            errors = dict(exc.error_dict)
            errors["corr_account"] = errors.pop("correspondent_account")
            exc = ValidationError(errors)
        super().apply_error(exc)
