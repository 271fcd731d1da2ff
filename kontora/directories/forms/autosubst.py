"""The Auto-substitution tab of Settings → Parameters (ORG-04): the default region and city."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from kontora.core.forms import KontoraForm
from kontora.core.forms.base import widget_class
from kontora.directories.forms.widgets import picker_field


class AutoSubstitutionForm(KontoraForm):
    prefix = "autosubst"
    default_col = "col-12 k-field-narrow"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = picker_field("regions", label=gettext_lazy("Region"))
        self.fields["settlement"] = picker_field(
            "settlements", label=gettext_lazy("Default city"),
            help_text=gettext_lazy("Choosing a city also sets its region."),
        )
        # The pickers are added after the base form styled its fields (their directories register at app ready).
        for name in ("region", "settlement"):
            widget = self.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {widget_class(widget)}".strip()
