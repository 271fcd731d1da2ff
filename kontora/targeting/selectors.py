"""Reads of targeting: the goals a record meets, the plans, and the weight units employees earned in a span."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from kontora.accounts.models import User
from kontora.core.selectors.calendar import day_bounds, user_today
from kontora.targeting.hooks import GOAL_KINDS
from kontora.targeting.models import Achievement, Goal, Plan

ZERO = Decimal(0)


def goals_met_by_event(event_type_id: int | None, result_id: int | None) -> list[Goal]:
    """The active goals of kind "event" an event of this type and result reaches: those of its type with no result
    named, or with its result."""
    if event_type_id is None:
        return []
    return list(Goal.objects.filter(kind="event", is_active=True, event_type_id=event_type_id)
                .filter(Q(event_result__isnull=True) | Q(event_result_id=result_id)))


def goals_of_kind(kind: str) -> list[Goal]:
    return list(Goal.objects.filter(kind=kind, is_active=True))


def goal_list() -> QuerySet[Goal]:
    return Goal.objects.select_related("event_type", "event_result").order_by("-is_active", "kind", "id")


def goal_label(goal: Goal) -> str:
    """«Событие: Встреча — Договорились», «Выполненная задача»."""
    kind = GOAL_KINDS.get(goal.kind).label if goal.kind in GOAL_KINDS else goal.kind
    if goal.event_type_id is None:
        return str(kind)
    text = f"{kind}: {goal.event_type}"
    return f"{text} — {goal.event_result}" if goal.event_result_id else text


def plans(users: Iterable[int]) -> dict[int, Plan]:
    return {plan.user_id: plan for plan in Plan.objects.filter(user_id__in=list(users))}


def planned_users() -> QuerySet[User]:
    """Employees with a plan other than zero: those the monitor's summary and the report list."""
    with_plan = Plan.objects.filter(Q(per_day__gt=0) | Q(per_week__gt=0) | Q(per_month__gt=0))
    return (User.objects.filter(pk__in=with_plan.values("user_id"), disabled=False, dismissed=False)
            .order_by("full_name", "id"))


def earned(user_ids: Iterable[int], start: datetime.datetime, end: datetime.datetime) -> dict[int, Decimal]:
    """The weight units each employee earned in [start, end)."""
    rows = (Achievement.objects.filter(user_id__in=list(user_ids), achieved_at__gte=start, achieved_at__lt=end)
            .order_by().values_list("user_id").annotate(total=Sum("weight")))
    return {user_id: total or ZERO for user_id, total in rows}


@dataclass(frozen=True)
class GoalFigure:
    goal: str
    reached: int
    units: Decimal


def earned_by_goal(user_ids: Iterable[int] | None, start: datetime.datetime, end: datetime.datetime
                   ) -> dict[int, list[GoalFigure]]:
    """Per employee (of `user_ids`, or everyone), each goal reached in [start, end): how many times and the units
    earned."""
    reached = Achievement.objects.filter(achieved_at__gte=start, achieved_at__lt=end)
    if user_ids is not None:
        reached = reached.filter(user_id__in=list(user_ids))
    rows = (reached.order_by().values_list("user_id", "goal_id").annotate(n=Count("id"), total=Sum("weight")))
    found = list(rows)
    goals = {goal.pk: goal for goal in Goal.objects.filter(pk__in={goal_id for _u, goal_id, _n, _t in found})
             .select_related("event_type", "event_result")}
    figures: dict[int, list[GoalFigure]] = defaultdict(list)
    for user_id, goal_id, count, total in found:
        figures[user_id].append(GoalFigure(goal_label(goals[goal_id]), count, total or ZERO))
    for items in figures.values():
        items.sort(key=lambda item: item.goal)
    return dict(figures)


def has_targeting(user: Any) -> bool:
    return Plan.objects.filter(user_id=user.pk).filter(
        Q(per_day__gt=0) | Q(per_week__gt=0) | Q(per_month__gt=0)).exists()


@dataclass(frozen=True)
class Span:
    key: str  # "day", "week", "month": the plan's field is per_<key>
    start: datetime.datetime
    end: datetime.datetime


def spans(user: Any) -> list[Span]:
    """Today, this week (Monday to Sunday) and this month, on the user's clock."""
    today = user_today(user)
    monday = today - datetime.timedelta(days=today.weekday())
    first = today.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return [Span("day", *day_bounds(user, today)),
            Span("week", day_bounds(user, monday)[0], day_bounds(user, monday + datetime.timedelta(days=7))[0]),
            Span("month", day_bounds(user, first)[0], day_bounds(user, following)[0])]


@dataclass(frozen=True)
class Progress:
    key: str
    plan: Decimal
    done: Decimal

    @property
    def percent(self) -> int | None:
        return int(self.done * 100 / self.plan) if self.plan else None


def progress(user: Any, user_ids: list[int]) -> dict[int, list[Progress]]:
    """Per employee: earned against his plan today, this week and this month (the spans on `user`'s clock)."""
    held = plans(user_ids)
    figures: dict[int, list[Progress]] = {user_id: [] for user_id in user_ids}
    for span in spans(user):
        done = earned(user_ids, span.start, span.end)
        for user_id in user_ids:
            plan = held.get(user_id)
            figures[user_id].append(Progress(span.key, getattr(plan, f"per_{span.key}") if plan else ZERO,
                                             done.get(user_id, ZERO)))
    return figures
