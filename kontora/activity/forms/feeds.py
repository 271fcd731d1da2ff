"""The calendar address (PLN-04): its tab of Settings → Parameters, and the buttons of its own page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraForm

CREATE, REVOKE = "create", "revoke"


class CalendarTabForm(KontoraForm):
    """The Parameters' Calendar tab: nothing to type there (the address is made on its own page, where its token
    is shown once); it shows the state of the user's address."""

    def __init__(self, *args: Any, feed: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.feed = feed


class CalendarFeedForm(KontoraForm):
    action = forms.ChoiceField(label=_("Action"), choices=[(CREATE, _("Create")), (REVOKE, _("Revoke"))])
