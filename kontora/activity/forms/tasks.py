"""The task form (new and edit, TSK-01 … TSK-06) and the transition form of the task card (TSK-03)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kontora.accounts.models import User
from kontora.activity.models import Task
from kontora.activity.services import tasks as services
from kontora.core.forms.base import KontoraForm, ReadValuesFormMixin
from kontora.directories.forms.widgets import picker_field, scope_pickers


def _label(name: str) -> str:
    return capfirst(Task._meta.get_field(name).verbose_name)  # type: ignore[union-attr,return-value]


FIRST_YEAR, LAST_YEAR = 1900, 2999


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class ZonedDateTimeField(forms.DateTimeField):
    """A date and time typed on the user's clock (his time zone, `zone`), to the minute."""

    widget = DateTimeInput

    def __init__(self, *args: Any, zone: datetime.tzinfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone

    def to_python(self, value: Any) -> datetime.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            moment = value
        else:
            try:
                moment = datetime.datetime.fromisoformat(str(value).strip())
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:  # far dates would overflow on the way to UTC and back
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return moment.astimezone(self.zone).replace(second=0, microsecond=0)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.datetime):
            return value.astimezone(self.zone).strftime("%Y-%m-%dT%H:%M")
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


def _lead(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


LEADS = (5, 10, 15, 30, 60, 120, 180, 24 * 60)


class AssigneeField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def _users() -> Any:
    return User.objects.filter(disabled=False, dismissed=False).order_by("full_name", "id")


class TaskForm(ReadValuesFormMixin, forms.Form):
    """A task's conditions. The author picks the assignee among the active users (himself by default); the service
    refuses one who cannot open the task's client, naming why. Required marks are drawn here and enforced by the
    service, so its message is the same everywhere. Times are typed on the user's clock (`zone`)."""

    read_key = "task"
    conditional_required = frozenset({"assignee", "starts_at", "due_at", "description", "duration_minutes"})
    layout = {"task": {
        "client": "col-12", "assignee": "col-md-8", "importance": "col-md-4", "starts_at": "col-md-4",
        "duration_minutes": "col-md-4",
        "due_at": "col-md-4", "description": "col-12", "requires_report": "col-md-4", "remind": "col-md-4",
        "remind_minutes": "col-md-4",
    }}

    assignee = AssigneeField(_users(), label=_label("assignee"), required=False, empty_label="—")
    importance = forms.ChoiceField(label=_label("importance"), choices=Task.Importance.choices)
    starts_at = ZonedDateTimeField(label=_label("starts_at"), required=False, zone=datetime.UTC)
    duration_minutes = forms.IntegerField(label=_label("duration_minutes"), required=False, min_value=0,
                                          max_value=60 * 24 * 366)
    due_at = ZonedDateTimeField(label=_label("due_at"), required=False, zone=datetime.UTC)
    description = forms.CharField(label=_label("description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    requires_report = forms.BooleanField(label=_("Requires an execution report"), required=False)
    remind = forms.BooleanField(label=_("Remind"), required=False)
    remind_minutes = forms.TypedChoiceField(label=_("Remind before the start"), coerce=int, choices=())

    def __init__(self, *args: Any, zone: datetime.tzinfo, project: bool = False, chooser: User | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        if chooser is not None:  # set from a planner, not from a card: the client is picked among those he sees
            self.fields = {"client": picker_field("clients", label=_("Client")), **self.fields}
            scope_pickers(self, chooser)
        current = self.initial.get("assignee")
        if isinstance(current, int):  # a task's assignee stays offered after he left (the form is saved unchanged)
            field = self.fields["assignee"]
            field.queryset = (_users() | User.objects.filter(pk=current)).order_by(  # type: ignore[attr-defined]
                "full_name", "id")
        for name in ("starts_at", "due_at"):
            self.fields[name].zone = zone  # type: ignore[attr-defined]
        if project:  # a project task has no report (its kind is fixed)
            del self.fields["requires_report"]
        leads = list(LEADS)
        stored = self.initial.get("remind_minutes")
        if isinstance(stored, int) and stored not in leads:
            leads = sorted([*leads, stored])
        self.fields["remind_minutes"].choices = [  # type: ignore[attr-defined]
            (minutes, _lead(minutes)) for minutes in leads]
        self.take_read()  # again, now that the times are read on the user's clock

    def stored(self, record: Any) -> dict[str, Any]:
        return services.task_stored(record, self.zone)


class TransitionForm(KontoraForm):
    """A transition of the task card: the button pressed (`action`), the state the page showed, and the comment or
    the report the step asks for."""

    action = forms.ChoiceField(choices=[(code, code) for code in services.STEPS], widget=forms.HiddenInput)
    seen_state = forms.ChoiceField(choices=Task.State.choices, widget=forms.HiddenInput)
    report = forms.CharField(label=_("Execution report"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
