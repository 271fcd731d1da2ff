"""Forms of the process designer (BPM-01): a process, a stage, a result.

Names are not `required` here: the services check them and say why in the user's language, so one
message ("Enter the name.") is shown whether the form or the service notices.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.core.forms.base import KontoraForm
from kontora.processes.models import Process, Stage, StageResult

NAME_MAX = 200


class ProcessForm(KontoraForm):
    conditional_required = frozenset({"name"})
    name = forms.CharField(label=_("Process name"), max_length=NAME_MAX, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def for_process(cls, data: Any, process: Process | None) -> ProcessForm:
        initial = {"name": process.name, "description": process.description} if process else None
        return cls(data, initial=initial)


class StageForm(KontoraForm):
    layout = {"stage": {"name": "col-12", "is_start": "col-sm-6", "is_end": "col-sm-6", "responsible": "col-12"}}
    conditional_required = frozenset({"name", "responsible"})  # responsible: except on the end stage
    name = forms.CharField(label=_("Stage name"), max_length=NAME_MAX, required=False)
    is_start = forms.BooleanField(label=_("Start stage of the process"), required=False)
    is_end = forms.BooleanField(label=_("End stage of the process"), required=False)
    responsible = forms.ModelChoiceField(
        label=_("Responsible"), queryset=User.objects.none(), required=False, empty_label="—",
    )

    def __init__(self, *args: Any, stage: Stage | None = None, **kwargs: Any) -> None:
        if stage is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": stage.name, "is_start": stage.is_start, "is_end": stage.is_end,
                "responsible": stage.responsible_id,
            }
        super().__init__(*args, **kwargs)
        # Working users only; a stage keeps showing its current responsible even if he has left since,
        # and the service then asks for a working one.
        users = User.objects.filter(disabled=False, dismissed=False)
        if stage is not None and stage.responsible_id:
            users = users | User.objects.filter(pk=stage.responsible_id)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = users.only("id", "login", "full_name", "disabled", "dismissed").order_by("full_name", "id")


class ResultForm(KontoraForm):
    conditional_required = frozenset({"name", "next_stage"})
    name = forms.CharField(label=_("Result"), max_length=NAME_MAX, required=False)
    next_stage = forms.ModelChoiceField(
        label=_("Transition to the stage"), queryset=Stage.objects.none(), required=False, empty_label="—",
    )

    def __init__(self, *args: Any, process: Process, result: StageResult | None = None, **kwargs: Any) -> None:
        if result is not None and "initial" not in kwargs:
            kwargs["initial"] = {"name": result.name, "next_stage": result.next_stage_id}
        super().__init__(*args, **kwargs)
        field = self.fields["next_stage"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Stage.objects.filter(process=process).order_by("position", "id")
