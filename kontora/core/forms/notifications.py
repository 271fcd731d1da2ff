"""Administration → Message to a user."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraForm
from kontora.core.selectors import notifications as selectors
from kontora.core.services.notifications import TEXT_MAX_LENGTH


class RecipientField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.login})"


class MessageForm(KontoraForm):
    recipient = RecipientField(label=_("Recipient"), queryset=selectors.message_recipients())
    text = forms.CharField(
        label=_("Message text"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
