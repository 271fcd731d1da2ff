"""The «Ход процесса» form (BPM-04): the new state of the current stage, its result, a comment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.core.forms.base import KontoraForm
from kontora.processes.models import ProcessRun, StageResult, StageState


class ProgressForm(KontoraForm):
    default_col = "col-sm-6"
    layout = {"progress": {"comment": "col-12"}}
    state = forms.ChoiceField(label=_("New state of the stage"), choices=StageState.choices)
    # Any result is accepted here: the service tells a result of another stage apart with its own message.
    result = forms.ModelChoiceField(
        label=_("Result"), queryset=StageResult.objects.all(), required=False, empty_label="—",
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    seen_stage_id = forms.IntegerField(widget=forms.HiddenInput)

    conditional_required = frozenset({"result"})

    def __init__(self, *args: Any, run: ProcessRun, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"state": run.stage_state, "seen_stage_id": run.stage_id})
        super().__init__(*args, **kwargs)
        results = StageResult.objects.filter(stage_id=run.stage_id).select_related("next_stage")
        # The list offers the current stage's results only, each with where it leads.
        self.fields["result"].widget.choices = [("", "—")] + [
            (r.pk, f"{r.name} → {r.next_stage.name}") for r in results
        ]
        self.fields["state"].widget.attrs["data-done"] = StageState.DONE
        self.fields["result"].widget.attrs["data-testid"] = "progress-result"
        self.fields["state"].widget.attrs["data-testid"] = "progress-state"
        self.fields["comment"].widget.attrs["data-testid"] = "progress-comment"
