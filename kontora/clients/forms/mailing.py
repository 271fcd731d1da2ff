"""The card's "Mailing E-Mail & SMS" tab (CLI-09): the exclusion switches (a part of the card's one form) and the
form of an address of the list (a journal's modal)."""

from __future__ import annotations

from typing import Any

from django import forms

from kontora.clients.forms.card import CardPartForm, label_of
from kontora.clients.models import Client, ClientMailing, ClientMailingAddress
from kontora.clients.selectors.mailing import mailing_settings
from kontora.clients.services.mailing import ADDRESS_FIELDS, SETTINGS_FIELDS
from kontora.core.forms.base import ReadValuesFormMixin


class MailingSettingsForm(CardPartForm):
    prefix = "ms"
    posted_names = ()
    layout = {"switches": {"exclude_email": "col-4", "exclude_sms": "col-4"}}

    exclude_email = forms.BooleanField(required=False, label=label_of(ClientMailing, "exclude_email"))
    exclude_sms = forms.BooleanField(required=False, label=label_of(ClientMailing, "exclude_sms"))

    def stored(self, client: Client | None) -> dict[str, Any]:
        if client is None:
            return {}
        row = mailing_settings(client)
        return {name: getattr(row, name) for name in SETTINGS_FIELDS}


class MailingAddressForm(ReadValuesFormMixin, forms.Form):
    prefix = "ma"
    layout = {"address": {"kind": "col-4", "value": "col-8", "owner_name": "col-8", "subscribed": "col-4"}}

    kind = forms.ChoiceField(choices=ClientMailingAddress.Kind.choices, label=label_of(ClientMailingAddress, "kind"))
    value = forms.CharField(max_length=254, required=False, label=label_of(ClientMailingAddress, "value"))
    owner_name = forms.CharField(max_length=300, required=False, label=label_of(ClientMailingAddress, "owner_name"))
    subscribed = forms.BooleanField(required=False, initial=True, label=label_of(ClientMailingAddress, "subscribed"))

    @staticmethod
    def initial_for(address: ClientMailingAddress) -> dict[str, Any]:
        return {name: getattr(address, name) for name in ADDRESS_FIELDS}

    def stored(self, record: Any) -> dict[str, Any]:
        return self.initial_for(record)
