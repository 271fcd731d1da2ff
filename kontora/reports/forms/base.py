"""What most reports ask: a period of days on the user's clock (both ends required, the end not before the start)
and, for those who may report on everyone, the users to report on."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.core.forms.base import DateInput, KontoraForm, PeriodMixin
from kontora.reports.framework.base import Scope


class PeriodForm(PeriodMixin, KontoraForm):
    layout = {"period": {"date_from": "col-6 col-md-3", "date_to": "col-6 col-md-3"}}
    at_most_a_year = False  # a report that cannot take a longer period says so

    date_from = forms.DateField(label=_("Period from"), widget=DateInput(),
                                error_messages={"required": _("Enter the start of the period.")})
    date_to = forms.DateField(label=_("to"), widget=DateInput(),
                              error_messages={"required": _("Enter the end of the period.")})

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.scope = Scope.of(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("date_from"), data.get("date_to")
        if low and high and low <= high and self.at_most_a_year and high >= _a_year_on(low):
            self.add_error("date_to", _("The period is longer than a year: shorten it."))
        return data


def _a_year_on(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, month=3, day=1)


class UsersField(forms.ModelMultipleChoiceField):
    """The employees to report on; empty is everyone. Only a user with the right to report on everyone gets it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=User.objects.order_by("full_name", "id"), required=False, label=_("Users"),
                         widget=forms.SelectMultiple(attrs={"size": 4}),
                         help_text=_("None chosen: every employee."), **kwargs)


def keep_users_for_everyone(form: PeriodForm, name: str = "users") -> None:
    """Without the right to report on everyone, his own work only: there is nobody to choose."""
    if not form.scope.everyone:
        del form.fields[name]
