"""The bank statement's forms (INV-04): the upload of a 1C exchange file, and one line's decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraForm

MAX_BYTES = 20 * 1024 * 1024  # a year of a busy account's statement is a few megabytes


class StatementUploadForm(KontoraForm):
    file = forms.FileField(label=_("Bank statement (1C exchange file, kl_to_1c.txt)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".txt"}))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB: a bank statement is much smaller."))
        return upload


class StatementLineForm(KontoraForm):
    """An undecided line's choice: one of its candidates, the invoice number or the client's INN typed, or none."""

    choice = forms.CharField(label=_("Decision"), max_length=40, required=False)
    typed = forms.CharField(label=_("Invoice number or client's INN"), max_length=40, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("typed") or "").strip():
            cleaned["choice"] = "typed"  # what the user typed wins over the list
        return cleaned
