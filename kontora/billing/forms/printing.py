"""«Отправить по e-mail» of an invoice (INV-06): to whom, the subject and the text, and whether the attached
«Счёт на оплату» carries the stamp and signatures. The address is checked by the outbox (its message lands here)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraForm


class InvoiceSendForm(KontoraForm):
    recipient = forms.CharField(label=_("Send to"), max_length=254,
                                widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    subject = forms.CharField(label=_("Subject"), max_length=500)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    stamp = forms.BooleanField(label=_("with stamp and signature"), required=False)
