"""Opening a saved report: the file, and how to show it — on screen or as one of the export formats."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraForm
from kontora.reports.framework.render import formats
from kontora.reports.framework.saved import MAX_FILE

SCREEN = "screen"


class OpenForm(KontoraForm):
    report = forms.FileField(label=_("Saved report file"),
                             error_messages={"required": _("Choose the file of a saved report.")})
    show = forms.ChoiceField(label=_("Show"), initial=SCREEN)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        show: Any = self.fields["show"]
        show.choices = [(SCREEN, _("On screen")), *((item.code, item.label) for item in formats().values())]

    def clean_report(self) -> Any:
        upload = self.cleaned_data["report"]
        if upload.size > MAX_FILE:
            raise forms.ValidationError(_("The file is larger than a saved report can be."), code="size")
        return upload
