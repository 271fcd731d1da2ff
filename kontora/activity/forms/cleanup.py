"""Администрирование → Обслуживание базы (TSK-10): the age of the closed tasks to delete now, and the nightly
clean-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.activity.services.cleanup import MONTHS_MAX, MONTHS_MIN
from kontora.core.forms.base import KontoraForm


class CleanupForm(KontoraForm):
    months = forms.IntegerField(label=_("Delete closed tasks older than, months"), min_value=MONTHS_MIN,
                                max_value=MONTHS_MAX, initial=6)


class CleanupScheduleForm(KontoraForm):
    nightly = forms.BooleanField(label=_("Delete closed tasks every night"), required=False)
    nightly_months = forms.IntegerField(label=_("older than, months"), min_value=MONTHS_MIN, max_value=MONTHS_MAX,
                                        required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("nightly") and not data.get("nightly_months") and "nightly_months" not in self.errors:
            self.add_error("nightly_months", _("Say how old the closed tasks to delete every night are."))
        return data

    def months(self) -> int | None:
        return self.cleaned_data["nightly_months"] if self.cleaned_data.get("nightly") else None
