"""The card's "Security" tab (CLI-10): the security service's texts (a part of the card's one form) and the signed
conclusion (ACL-04; its own modal, signed with the inspector's password)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from kontora.clients.forms.card import CardPartForm, label_of
from kontora.clients.models import Client, ClientSecurity
from kontora.clients.selectors.security import security_of
from kontora.clients.services.security import INFO_FIELDS
from kontora.core.forms import KontoraForm


def _text(name: str) -> forms.CharField:
    return forms.CharField(required=False, label=label_of(ClientSecurity, name),
                           widget=forms.Textarea(attrs={"rows": 3}))


class SecurityInfoForm(CardPartForm):
    prefix = "si"
    posted_names = ()
    layout = {"info": dict.fromkeys(INFO_FIELDS, "col-6")}

    finances = _text("finances")
    property = _text("property")
    reputation = _text("reputation")
    connections = _text("connections")

    def stored(self, client: Client | None) -> dict[str, Any]:
        if client is None:
            return {}
        row = security_of(client)
        return {name: getattr(row, name) for name in INFO_FIELDS}


class ConclusionForm(KontoraForm):
    prefix = "sc"
    layout = {"conclusion": {
        "conclusion": "col-12", "credit_limit": "col-3", "work_mode": "col-5", "password": "col-4"}}

    conclusion = _text("conclusion")
    # Text, so "150 000,50" reaches the service, which owns the check and its message.
    credit_limit = forms.CharField(required=False, max_length=40, label=label_of(ClientSecurity, "credit_limit"))
    work_mode = forms.ChoiceField(
        required=False, label=label_of(ClientSecurity, "work_mode"),
        choices=[("", "—"), *ClientSecurity.WorkMode.choices],
    )
    password = forms.CharField(
        required=False, strip=False, label=gettext_lazy("Your password (signature)"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("The date and you as the inspector are fixed when the conclusion is signed."),
    )
