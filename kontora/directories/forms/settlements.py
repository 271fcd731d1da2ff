"""The administrator's upload of the OKTMO classifier (populated places)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraForm


class SettlementImportForm(KontoraForm):
    file = forms.FileField(
        label=_("OKTMO classifier file (CSV as Rosstat publishes it)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt"}),
    )
