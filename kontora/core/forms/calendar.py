"""Administration → Production calendar: the form of one date of the office calendar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from kontora.core.forms.base import ReadValuesFormMixin
from kontora.core.models import OfficeDay


def _worked(value: Any) -> bool:
    return value in (True, "True", "true", "1")


class OfficeDayForm(ReadValuesFormMixin, forms.Form):
    read_key = "office-day"
    layout = {"main": {"date": "col-6", "is_working": "col-12", "note": "col-12"}}

    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"},
                                                                                 format="%Y-%m-%d"))
    is_working = forms.TypedChoiceField(
        label=gettext_lazy("The date is"), coerce=_worked, widget=forms.RadioSelect,
        choices=[(False, gettext_lazy("a day off (a holiday, or a day off moved onto a weekday)")),
                 (True, gettext_lazy("worked (a working day moved onto a weekend)"))],
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False,
                           help_text=gettext_lazy("For example: New Year holidays; day off moved from 3 January."))

    @staticmethod
    def initial_for(day: OfficeDay) -> dict[str, Any]:
        return {"date": day.date, "is_working": day.is_working, "note": day.note}

    def stored(self, record: Any) -> dict[str, Any]:
        return self.initial_for(record)
