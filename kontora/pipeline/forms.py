"""The board's forms: the move (the History's event form, with the stage the card was dropped on and the stage it
was read at) and the conversion's period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.activity.forms.events import EventForm
from kontora.clients.models import Client
from kontora.core.forms.base import DateInput, PeriodMixin


class MoveForm(EventForm):
    """«Переместить на этап»: the event that records the move; its stage is the column the card goes to."""

    seen_stage = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, client=client, **kwargs)
        stage = self.fields["stage"]
        stage.required = True
        stage.label = _("Move to stage")
        stage.error_messages["required"] = _("Choose the stage to move the client to.")


class PeriodForm(PeriodMixin, forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
