"""Targeting's forms: a goal, and the employees' plans (one row each)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.core.forms.base import KontoraForm
from kontora.directories.models import EventResult, EventType
from kontora.directories.selectors.items import offered_items
from kontora.targeting.hooks import GOAL_KINDS
from kontora.targeting.models import DIGITS, PLACES, Goal, Plan
from kontora.targeting.services import PLAN_FIELDS


class GoalForm(KontoraForm):
    layout = {"goal": {"kind": "col-md-6", "weight": "col-md-3", "is_active": "col-md-3",
                       "event_type": "col-md-6", "event_result": "col-md-6"}}

    kind = forms.ChoiceField(label=_("Goal kind"))
    weight = forms.DecimalField(label=_("Weight, units"), min_value=Decimal("0.01"), max_digits=DIGITS,
                                decimal_places=PLACES)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    event_type = forms.ModelChoiceField(EventType.objects.none(), label=_("Event type"), required=False,
                                        help_text=_("For a goal of the kind «Event»."))
    event_result = forms.ModelChoiceField(EventResult.objects.none(), label=_("Event result"), required=False,
                                          help_text=_("Empty: any result of that event type."))

    def __init__(self, *args: Any, goal: Goal | None = None, **kwargs: Any) -> None:
        if goal is not None:
            kwargs.setdefault("initial", {"kind": goal.kind, "weight": goal.weight, "is_active": goal.is_active,
                                          "event_type": goal.event_type_id, "event_result": goal.event_result_id})
        super().__init__(*args, **kwargs)
        kinds = sorted(GOAL_KINDS.items(), key=lambda kind: kind.order)
        self.fields["kind"].choices = [("", "—"), *((kind.code, kind.label) for kind in kinds)]  # type: ignore[attr-defined]
        self.fields["event_type"].queryset = offered_items(EventType, goal.event_type_id if goal else None)  # type: ignore[attr-defined]
        self.fields["event_result"].queryset = offered_items(  # type: ignore[attr-defined]
            EventResult, goal.event_result_id if goal else None)
        if goal is not None:
            self.fields["kind"].disabled = True  # the achievements already earned name it


PLAN_LABELS = {"per_day": _("plan per day"), "per_week": _("plan per week"), "per_month": _("plan per month")}


class PlansForm(forms.Form):
    """A row per active employee: his plan per day, week and month (`<field>_<user id>`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.users = list(User.objects.filter(disabled=False, dismissed=False).order_by("full_name", "id"))
        held = {plan.user_id: plan for plan in Plan.objects.filter(user_id__in=[user.pk for user in self.users])}
        self.rows: list[tuple[User, list[forms.BoundField]]] = []
        for user in self.users:
            plan = held.get(user.pk)
            for name in PLAN_FIELDS:
                self.fields[f"{name}_{user.pk}"] = forms.DecimalField(
                    label=f"{user.full_name}: {PLAN_LABELS[name]}", min_value=Decimal(0),
                    initial=getattr(plan, name) if plan else Decimal(0), max_digits=DIGITS, decimal_places=PLACES,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01",
                                                    "min": "0"}))
            self.rows.append((user, [self[f"{name}_{user.pk}"] for name in PLAN_FIELDS]))

    def plans(self) -> dict[int, dict[str, Decimal]]:
        return {user.pk: {name: self.cleaned_data[f"{name}_{user.pk}"] for name in PLAN_FIELDS}
                for user in self.users}
