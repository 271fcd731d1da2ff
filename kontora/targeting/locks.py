"""Row locks of targeting (core.locks): a goal or a plan changed by one administrator at a time."""

from __future__ import annotations

from kontora.core.locks import locked
from kontora.targeting.models import Goal, Plan


def goal_to_change(goal_id: int) -> Goal:
    return locked(Goal.objects.filter(pk=goal_id)).get()


def plan_to_change(user_id: int) -> Plan:
    return locked(Plan.objects.filter(user_id=user_id)).get()
