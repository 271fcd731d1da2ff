"""Parameters of «Таргетинг — плановые показатели»: the period and, for those who report on everyone, the
employees."""

from __future__ import annotations

from typing import Any

from kontora.accounts.models import User
from kontora.reports.forms.base import PeriodForm, UsersField, keep_users_for_everyone


class TargetingForm(PeriodForm):
    layout = {"period": {"date_from": "col-6 col-md-3", "date_to": "col-6 col-md-3", "users": "col-md-6"}}
    at_most_a_year = True

    users = UsersField()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        keep_users_for_everyone(self)
