"""The card's "Security" tab (CLI-10): the security service's texts and the signed conclusion (ACL-04).

The pane sits inside the card's main form: its inputs are detached from it and its forms prefixed.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from kontora.clients.forms.card import DetachedForm, label_of
from kontora.clients.models import ClientSecurity

DETACHED = "k-security-detached"


def _text(name: str) -> forms.CharField:
    return forms.CharField(required=False, label=label_of(ClientSecurity, name),
                           widget=forms.Textarea(attrs={"rows": 3}))


class SecurityInfoForm(DetachedForm):
    detached = DETACHED
    layout = {"info": dict.fromkeys(("finances", "property", "reputation", "connections"), "col-6")}

    finances = _text("finances")
    property = _text("property")
    reputation = _text("reputation")
    connections = _text("connections")


class ConclusionForm(DetachedForm):
    detached = DETACHED
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
