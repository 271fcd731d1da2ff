"""The export dialog (ACL-06): which clients, in which file format."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.clients.selectors.exports import CSV, XLSX
from kontora.core.forms import KontoraForm


class ExportForm(KontoraForm):
    what = forms.ChoiceField(
        label=_("Which clients"), widget=forms.RadioSelect, initial="shown",
        choices=[("shown", _("The clients the registry shows")), ("marked", _("Only the marked clients"))],
        error_messages={"required": _("Choose which clients to export."),
                        "invalid_choice": _("Choose which clients to export.")},
    )
    format = forms.ChoiceField(
        label=_("File format"), widget=forms.RadioSelect, initial=XLSX,
        choices=[(XLSX, _("Excel workbook (XLSX)")), (CSV, _("CSV text, \";\" separated"))],
        error_messages={"required": _("Choose the file format."),
                        "invalid_choice": _("Choose the file format.")},
    )
