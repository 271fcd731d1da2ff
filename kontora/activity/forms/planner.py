"""The day planner's move of a task (PLN-02): where the block was dropped, how long it now is, and where and how long
the page showed it (a move from a stale page is refused by the service)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraForm


class TaskMoveForm(KontoraForm):
    # The planner's wall-clock time on the viewer's clock ("2026-12-07T14:30"), without an offset.
    starts_at = forms.CharField(max_length=40)
    duration_minutes = forms.IntegerField(min_value=1, max_value=24 * 60)
    # The start as the page had it: the stored instant, with its offset.
    seen_starts_at = forms.CharField(max_length=40)
    seen_duration = forms.IntegerField(min_value=0)

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        self.zone = zone
        super().__init__(*args, **kwargs)

    def clean_starts_at(self) -> datetime.datetime:
        try:
            value = datetime.datetime.fromisoformat(self.cleaned_data["starts_at"])
        except ValueError:
            raise forms.ValidationError(_("Enter a valid date and time.")) from None
        if not 1900 <= value.year <= 2999:
            raise forms.ValidationError(_("Enter a valid date and time."))
        return value if timezone.is_aware(value) else value.replace(tzinfo=self.zone)

    def clean_seen_starts_at(self) -> datetime.datetime:
        try:
            value = datetime.datetime.fromisoformat(self.cleaned_data["seen_starts_at"])
        except ValueError:
            raise forms.ValidationError(_("Enter a valid date and time.")) from None
        return value if timezone.is_aware(value) else value.replace(tzinfo=self.zone)
