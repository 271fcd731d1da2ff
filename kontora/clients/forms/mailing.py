"""The card's "Mailing E-Mail & SMS" tab (CLI-09): the switches' form and the address's form.

The pane lives inside the card's main form, so their inputs are detached from it (`form=` an id no form has)
and the forms carry prefixes: the card's own fields, which htmx also sends, never mix with the tab's.
"""

from __future__ import annotations

from typing import Any

from django import forms

from kontora.clients.forms.card import DetachedForm, label_of
from kontora.clients.models import ClientMailing, ClientMailingAddress
from kontora.clients.services.mailing import ADDRESS_FIELDS

DETACHED = "k-mailing-detached"


class _MailingForm(DetachedForm):
    detached = DETACHED

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))


class MailingSettingsForm(_MailingForm):
    layout = {"switches": {"exclude_email": "col-4", "exclude_sms": "col-4"}}
    exclude_email = forms.BooleanField(required=False, label=label_of(ClientMailing, "exclude_email"))
    exclude_sms = forms.BooleanField(required=False, label=label_of(ClientMailing, "exclude_sms"))


class MailingAddressForm(_MailingForm):
    kind = forms.ChoiceField(choices=ClientMailingAddress.Kind.choices, label=label_of(ClientMailingAddress, "kind"))
    value = forms.CharField(max_length=254, required=False, label=label_of(ClientMailingAddress, "value"))
    owner_name = forms.CharField(max_length=300, required=False, label=label_of(ClientMailingAddress, "owner_name"))
    subscribed = forms.BooleanField(required=False, initial=True, label=label_of(ClientMailingAddress, "subscribed"))

    @staticmethod
    def initial_for(address: ClientMailingAddress) -> dict[str, Any]:
        return {name: getattr(address, name) for name in ADDRESS_FIELDS}
