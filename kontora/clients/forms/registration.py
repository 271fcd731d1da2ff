"""The company's Registration data (CLI-06) and the person's Passport and personal data (CLI-01): parts of the
card's one form (OK / Apply save them); and the form of a change in the legal documents (a journal's modal)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.clients.forms.card import CardPartForm, label_of, style
from kontora.clients.models import Client, ClientLegalChange, ClientPersonal, ClientRegistration
from kontora.clients.selectors.registration import personal_of, registration_of, snils_shown
from kontora.clients.services import registration as services
from kontora.core.forms import KontoraForm
from kontora.core.forms.base import DateInput

# The company's requisites kept on the client itself (its main data), shown on this tab by their own names.
CLIENT_REQUISITES = ("inn", "kpp", "ogrn")


class _Amount(forms.DecimalField):
    """A sum as people type it: "10 000,50" (spaces between thousands, a comma or a point)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")
        return super().to_python(value)


def _widen(form: forms.BaseForm, name: str, **attrs: str) -> None:
    """A free text field of the model's label: people type numbers with spaces and dashes; the service keeps
    the digits and names what is wrong."""
    old = form.fields[name]
    form.fields[name] = forms.CharField(label=old.label, required=False, max_length=20, help_text=old.help_text)
    form.fields[name].widget.attrs.update(inputmode="numeric", **attrs)


class RegistrationForm(CardPartForm):
    prefix = "reg"
    client_fields = posted_names = CLIENT_REQUISITES
    layout = {
        "requisites": {"inn": "col-3", "kpp": "col-3", "ogrn": "col-3"},
        "codes": {
            "okpo": "col-3", "okved": "col-3", "oktmo": "col-3", "registration_date": "col-3",
            "registering_body": "col-6", "tax_office": "col-4", "charter_capital": "col-2", "legal_address": "col-12",
        },
        "addresses": {"actual_address": "col-12", "postal_address": "col-12"},
        "people": {"director": "col-6", "chief_accountant": "col-6"},
    }

    def add_prefix(self, field_name: str) -> str:
        # INN, KPP and OGRN keep the names they have everywhere (the duplicate check reads them so).
        return field_name if field_name in CLIENT_REQUISITES else super().add_prefix(field_name)

    def stored(self, client: Client | None) -> dict[str, Any]:
        if client is None:
            return {}
        row = registration_of(client)
        return {**{name: getattr(client, name) for name in CLIENT_REQUISITES},
                **{name: getattr(row, name) for name in services.REGISTRATION_FIELDS}}

    def build(self) -> None:
        self.fields.update(forms.fields_for_model(Client, fields=CLIENT_REQUISITES))
        self.fields.update(forms.fields_for_model(ClientRegistration, fields=services.REGISTRATION_FIELDS, widgets={
            "registration_date": DateInput(),
        }))
        _widen(self, "okpo")
        _widen(self, "oktmo")
        self.fields["okved"].help_text = _("For example, 62.01")
        self.fields["charter_capital"] = _Amount(
            label=self.fields["charter_capital"].label, required=False, max_digits=18, decimal_places=2,
            localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )
        self.order_fields([*CLIENT_REQUISITES, *services.REGISTRATION_FIELDS])


class LegalChangeForm(KontoraForm):
    layout = {"change": {"date": "col-4", "document": "col-8", "description": "col-12"}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(ClientLegalChange, fields=services.LEGAL_CHANGE_FIELDS, widgets={
            "date": DateInput(), "description": forms.Textarea(attrs={"rows": 3}),
        }))
        style(self)


class PersonalForm(CardPartForm):
    """A person's passport and personal data, with the person's INN (12 digits, kept on the client: a person has no
    Registration data tab)."""

    prefix = "personal"
    client_fields = posted_names = ("inn",)
    layout = {"personal": {
        "birth_date": "col-3", "birth_place": "col-9", "passport_series": "col-2", "passport_number": "col-2",
        "passport_issued_on": "col-3", "passport_division": "col-2", "snils": "col-3", "inn": "col-3",
        "passport_issued_by": "col-12", "registration_address": "col-12",
    }}

    def add_prefix(self, field_name: str) -> str:
        # The INN keeps its name everywhere (the duplicate check reads it so; a new card switched from a company
        # to a person carries it over from the Registration data tab).
        return field_name if field_name == "inn" else super().add_prefix(field_name)

    def stored(self, client: Client | None) -> dict[str, Any]:
        if client is None:
            return {}
        row = personal_of(client)
        initial = {name: getattr(row, name) for name in services.PERSONAL_FIELDS}
        initial["snils"] = snils_shown(initial["snils"])
        initial["inn"] = client.inn
        return initial

    def build(self) -> None:
        self.fields.update(forms.fields_for_model(ClientPersonal, fields=services.PERSONAL_FIELDS, widgets={
            "birth_date": DateInput(), "passport_issued_on": DateInput(),
        }))
        # Hints of the form, not sample numbers: grey digits in a field read as someone's data.
        for name, hint in (("passport_series", _("4 digits")), ("passport_number", _("6 digits")),
                           ("passport_division", "000-000"), ("snils", _("11 digits"))):
            _widen(self, name, placeholder=str(hint))
        self.fields["inn"] = forms.CharField(
            label=label_of(Client, "inn"), required=False, max_length=20, help_text=_("12 digits"))
        # Its own id: a new card draws the Registration data tab's INN too (hidden while the card is a person's).
        self.fields["inn"].widget.attrs.update(inputmode="numeric", id="id_personal-inn")
