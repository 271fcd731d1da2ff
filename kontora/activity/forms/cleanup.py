"""Администрирование → Обслуживание базы (TSK-10): the age of the closed tasks to delete."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.activity.services.cleanup import MONTHS_MAX, MONTHS_MIN
from kontora.core.forms.base import KontoraForm


class CleanupForm(KontoraForm):
    months = forms.IntegerField(label=_("Delete closed tasks older than, months"), min_value=MONTHS_MIN,
                                max_value=MONTHS_MAX, initial=6)
