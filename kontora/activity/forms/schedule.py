"""The day plan's print (PLN-02): whose day, which day, which form (a printable page or a PDF)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraForm

# The calendar's sane range: a day outside it (a far date typed by hand) has no plan worth printing, and the
# day's bounds must stay within Python's dates.
FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)
HTML, PDF = "html", "pdf"


class DayPrintForm(KontoraForm):
    user = forms.IntegerField(label=_("User"), required=False, min_value=1)
    date = forms.DateField(label=_("Date"), required=False, input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    format = forms.ChoiceField(label=_("Format"), required=False, choices=[(HTML, "HTML"), (PDF, "PDF")])

    def clean_date(self) -> Any:
        day = self.cleaned_data.get("date")
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(_("Choose a date between %(first)s and %(last)s.") % {
                "first": FIRST_DAY.strftime("%d.%m.%Y"), "last": LAST_DAY.strftime("%d.%m.%Y")})
        return day
