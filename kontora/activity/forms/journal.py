"""The filters of the task journal and of the «Задачи на контроле» report (TSK-07, TSK-09): a GET form whose valid
fields narrow the list; a bad one is marked next to itself and left out of the choice."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kontora.accounts.models import User
from kontora.activity.models import Task
from kontora.activity.selectors.journal import ACTIVE, CLOSED, TaskChoice
from kontora.clients import access
from kontora.core.forms.base import KontoraForm
from kontora.directories.forms.widgets import picker_field, scope_pickers

FIRST_DAY, LAST_DAY = datetime.date(1900, 1, 1), datetime.date(2999, 12, 31)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskFilterForm(KontoraForm):
    date_from = forms.DateField(label=_("Start from"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("to"), required=False, widget=_date_input())
    author = forms.ModelChoiceField(label=_("Author"), queryset=User.objects.none(), required=False)
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=User.objects.none(), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    importance = forms.ChoiceField(label=_("Importance"), required=False)
    client = picker_field("clients", label=_("Client"))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, data: Any = None, *, user: Any, report: bool = False) -> None:
        super().__init__(data)
        # A client whose card the user may open: the picker offers the clients he sees, the field accepts only those.
        self.fields["client"].queryset = access.openable_clients(user)  # type: ignore[attr-defined]
        scope_pickers(self, user)
        # The two lists of people read once, when first drawn: a ModelChoiceField iterates its queryset for each
        # rendering, on PostgreSQL through a server-side cursor (three round trips a list).
        read: list[tuple[Any, Any]] = []

        def people() -> list[tuple[Any, Any]]:
            if not read:
                everyone = User.objects.only("pk", "full_name", "login").order_by("full_name", "id")
                read.extend([("", pgettext_lazy("tasks", "anyone")), *((user.pk, str(user)) for user in everyone)])
            return read

        for name in ("author", "assignee"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = User.objects.all()
            field.choices = people
        anything = ("", pgettext_lazy("tasks", "any"))
        open_states: list[tuple[str, Any]] = [(value, label) for value, label in Task.State.choices if value != CLOSED]
        if report:  # the report takes closed tasks in by its own box
            states = [anything, *open_states]
            self.fields["include_closed"] = forms.BooleanField(label=_("Include closed tasks"), required=False)
        else:
            states = [anything, (ACTIVE, pgettext_lazy("tasks", "active")), (CLOSED, pgettext_lazy("tasks", "closed")),
                      *open_states]
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ChoiceField)
        state_field.choices = states
        importance_field = self.fields["importance"]
        assert isinstance(importance_field, forms.ChoiceField)
        importance_field.choices = [anything, *Task.Importance.choices]
        self.report = report

    def _date_within_reach(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        # The period is turned into instants on the user's clock: a date at the calendar's edge has none.
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(_("A date from %(first)s to %(last)s.") % {
                "first": FIRST_DAY.strftime("%d.%m.%Y"), "last": LAST_DAY.strftime("%d.%m.%Y")})
        return value

    def clean_date_from(self) -> Any:
        return self._date_within_reach("date_from")

    def clean_date_to(self) -> Any:
        return self._date_within_reach("date_to")

    def choice(self) -> TaskChoice:
        """The valid fields as the selectors' choice (a field with an error narrows nothing)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        state = data.get("state") or ""
        if self.report and not data.get("include_closed") and not state:
            state = ACTIVE
        author, assignee, client = data.get("author"), data.get("assignee"), data.get("client")
        return TaskChoice(
            date_from=data.get("date_from"), date_to=data.get("date_to"),
            author_id=author.pk if author else None, assignee_id=assignee.pk if assignee else None,
            state=state, importance=data.get("importance") or "", client_id=client.pk if client else None,
            overdue=bool(data.get("overdue")),
        )
