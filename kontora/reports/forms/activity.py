"""Parameters of the activity reports: event statistics, personal statistics."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.reports.forms.base import PeriodForm, UsersField, keep_users_for_everyone


class EventStatisticsForm(PeriodForm):
    layout = {"period": {"date_from": "col-6 col-md-3", "date_to": "col-6 col-md-3", "users": "col-md-6"}}

    users = UsersField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        keep_users_for_everyone(self)


class PersonalStatisticsForm(PeriodForm):
    layout = {"period": {"date_from": "col-6 col-md-3", "date_to": "col-6 col-md-3", "employee": "col-md-6"}}

    employee = forms.ModelChoiceField(queryset=User.objects.order_by("full_name", "id"), required=False,
                                      label=_("Employee"), empty_label=_("Myself"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if not self.scope.everyone:
            del self.fields["employee"]  # his own statistics only
