"""The administrator's upload of the Bank of Russia's BIK directory file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraForm


class BankImportForm(KontoraForm):
    file = forms.FileField(
        label=_("BIK directory file (ED807, .xml or .zip)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.zip"}),
    )
