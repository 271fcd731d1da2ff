"""Settings → Parameters → «Sorting»: the registry's default order (REG-03)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.clients.selectors.sorting import sort_choices
from kontora.core.forms import KontoraForm


class SortingForm(KontoraForm):
    default_col = "col-12 k-field-narrow"

    default_sort = forms.ChoiceField(
        label=_("Sort the client registry by"), choices=sort_choices, required=False,
        help_text=_("Applied at every sign-in; a sort chosen by clicking a column lasts until you sign out."),
    )
