"""Parameters of the client reports: birthdays of contact persons."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.reports.forms.base import PeriodForm


class BirthdaysForm(PeriodForm):
    layout = {"period": {"date_from": "col-6 col-md-3", "date_to": "col-6 col-md-3", "curator": "col-md-6"}}
    at_most_a_year = True

    curator = forms.ModelChoiceField(queryset=User.objects.order_by("full_name", "id"), required=False,
                                     label=_("Curator"), empty_label=_("Any curator"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if not self.scope.everyone:
            del self.fields["curator"]  # his own clients only
