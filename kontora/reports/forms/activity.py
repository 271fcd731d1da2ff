"""Parameters of the activity reports: events, tasks under control, event statistics, personal statistics."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.activity import policies
from kontora.activity.forms.journal import TaskFilterForm
from kontora.clients import access
from kontora.core.forms.base import DateInput, KontoraForm, PeriodMixin
from kontora.directories.forms.widgets import picker_field, scope_pickers
from kontora.directories.models import ClientStatus, EventResult, EventType
from kontora.reports.forms.base import PeriodForm, UsersField, keep_users_for_everyone

MAX_WORDS_TEXT = 200


class EventsReportForm(PeriodMixin, KontoraForm):
    """«События» (HIS-03): period, event type, result, client, client status, words, users — every field may stay
    empty. The dates are days on the user's clock."""

    layout = {
        "period": {"date_from": "col-6 col-md-3", "date_to": "col-6 col-md-3", "event_type": "col-6 col-md-3",
                   "result": "col-6 col-md-3"},
        "client": {"client": "col-md-4", "status": "col-md-2", "words": "col-md-3", "authors": "col-md-3"},
    }

    date_from = forms.DateField(label=_("Period from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("to"), required=False, widget=DateInput())
    event_type = forms.ModelChoiceField(queryset=EventType.objects.all(), required=False, label=_("Event type"))
    result = forms.ModelChoiceField(queryset=EventResult.objects.all(), required=False, label=_("Result"))
    client = picker_field("clients", label=_("Client"))
    status = forms.ModelChoiceField(queryset=ClientStatus.objects.all(), required=False, label=_("Client status"))
    words = forms.CharField(
        label=_("Words in the description"), required=False, max_length=MAX_WORDS_TEXT,
        help_text=_("Events whose description has every word, as a word or its beginning."),
    )
    authors = forms.ModelMultipleChoiceField(
        queryset=User.objects.order_by("full_name", "id"), required=False, label=_("Users"),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A client whose card the user may open: the picker offers the clients he sees, the field accepts only those.
        self.fields["client"].queryset = access.openable_clients(user)  # type: ignore[attr-defined]
        scope_pickers(self, user)
        if not policies.sees_all_employees(user):
            # His own events only: there is nobody else to choose.
            del self.fields["authors"]


class TaskControlForm(TaskFilterForm):
    """«Задачи на контроле» (TSK-09): the task journal's filter with «Дополнить закрытыми задачами»."""

    layout = {
        "period": {"date_from": "col-6 col-md-2", "date_to": "col-6 col-md-2", "author": "col-md-4",
                   "assignee": "col-md-4"},
        "task": {"state": "col-md-3", "importance": "col-md-2", "client": "col-md-4", "overdue": "col-md-3"},
        "closed": {"include_closed": "col-md-12"},
    }

    def __init__(self, data: Any = None, *, user: User, initial: Any = None) -> None:
        super().__init__(data, user=user, report=True)
        self.initial = initial or {}


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
