"""The «Ход процесса» form (BPM-04): the new state of the current stage, its result, a comment."""

from __future__ import annotations

from datetime import datetime
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
    # When the run entered that stage: a scheme may lead back to a stage, and a page of its earlier visit is stale.
    seen_entered = forms.CharField(widget=forms.HiddenInput, required=False)

    conditional_required = frozenset({"result"})

    def __init__(self, *args: Any, run: ProcessRun, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"state": run.stage_state, "seen_stage_id": run.stage_id,
                                      "seen_entered": run.stage_entered_at.isoformat()})
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

    def clean_seen_entered(self) -> datetime | None:
        """The visit the page was shown for; None when the post carries none (then the stage alone is compared)."""
        try:
            return datetime.fromisoformat(self.cleaned_data["seen_entered"])
        except ValueError:
            return None
