"""Writes of targeting: the goals and the plans (administrators, audited), and the achievements — written by the
owning apps' services in their own transactions, through `achievements_sync` only."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core.audit import audit_record, created_changes, model_update
from kontora.core.errors import NotAllowed
from kontora.core.permissions import is_administrator
from kontora.targeting import locks
from kontora.targeting.hooks import GOAL_KINDS
from kontora.targeting.models import Achievement, Goal, Plan

GOAL_FIELDS = ("kind", "event_type", "event_result", "weight", "is_active")
PLAN_FIELDS = ("per_day", "per_week", "per_month")


def _in_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} runs inside its caller's transaction")


def achievements_sync(
    *, source: str, source_id: int, user_id: int | None, achieved_at: datetime.datetime, goals: list[Goal],
) -> None:
    """The record (`source`, `source_id`) now reaches `goals`, for `user_id`: a goal newly reached is written with
    its weight of now, one no longer reached is taken back, one still reached keeps the row (and the weight) it was
    earned with. An empty `goals` (or no user) takes back all. In the caller's transaction."""
    _in_transaction("achievements_sync")
    held = Achievement.objects.filter(source=source, source_id=source_id)
    wanted = {goal.pk: goal for goal in goals} if user_id is not None else {}
    held.exclude(goal_id__in=list(wanted)).delete()
    if user_id is None:
        return
    held.exclude(user_id=user_id).update(user_id=user_id)  # the record changed hands: its figures follow
    have = set(held.values_list("goal_id", flat=True))
    Achievement.objects.bulk_create([
        Achievement(user_id=user_id, goal=goal, weight=goal.weight, achieved_at=achieved_at, source=source,
                    source_id=source_id)
        for goal_id, goal in wanted.items() if goal_id not in have])


def achievements_sync_many(
    *, source: str, users: Mapping[int, int | None], achieved_at: datetime.datetime, goals: list[Goal],
) -> None:
    """`achievements_sync` for many records of one source at once (a bank statement's invoices paid together):
    `users` maps each record's id to its user (None: it reaches nothing); the same `goals` for every record with a
    user. A handful of queries whatever the count. In the caller's transaction."""
    _in_transaction("achievements_sync_many")
    if not users:
        return
    wanted = {goal.pk: goal for goal in goals}
    held = list(Achievement.objects.filter(source=source, source_id__in=list(users))
                .values_list("pk", "source_id", "goal_id", "user_id"))
    gone = {pk for pk, source_id, goal_id, _user in held if users[source_id] is None or goal_id not in wanted}
    if gone:
        Achievement.objects.filter(pk__in=list(gone)).delete()
    kept = [row for row in held if row[0] not in gone]
    moved: dict[int, list[int]] = {}
    for pk, source_id, _goal, user_id in kept:
        new_user = users[source_id]
        if new_user is not None and user_id != new_user:  # the record changed hands: its figures follow
            moved.setdefault(new_user, []).append(pk)
    for user_id, pks in moved.items():
        Achievement.objects.filter(pk__in=pks).update(user_id=user_id)
    have = {(source_id, goal_id) for _pk, source_id, goal_id, _user in kept}
    Achievement.objects.bulk_create([
        Achievement(user_id=user_id, goal=goal, weight=goal.weight, achieved_at=achieved_at, source=source,
                    source_id=source_id)
        for source_id, user_id in users.items() if user_id is not None
        for goal_id, goal in wanted.items() if (source_id, goal_id) not in have])


def _check_goal(goal: Goal) -> None:
    errors: dict[str, str] = {}
    kind = GOAL_KINDS.get(goal.kind) if goal.kind in GOAL_KINDS else None
    if kind is None:
        errors["kind"] = _("Choose the kind of goal.")
    elif kind.by_event_type and goal.event_type_id is None:
        errors["event_type"] = _("Choose the event type the goal is reached by.")
    if kind is not None and not kind.by_event_type:
        goal.event_type, goal.event_result = None, None
    if goal.weight is None or goal.weight <= 0:
        errors["weight"] = _("The weight is a positive number of units, e.g. 0.5 or 1.")
    if errors:
        raise ValidationError(errors)


def goal_save(*, acting_user: User, goal: Goal | None, values: Mapping[str, Any]) -> Goal:
    """Creates or changes a goal (administrators). A changed weight applies to what is reached from now on."""
    if not is_administrator(acting_user):
        raise NotAllowed
    with transaction.atomic():
        if goal is None:
            goal = Goal(**{name: values.get(name) for name in GOAL_FIELDS if name != "is_active"},
                        is_active=values.get("is_active", True))
            _check_goal(goal)
            goal.save(force_insert=True)
            audit_record(actor=acting_user, event="targeting.goal.create", target=goal,
                         summary=_("Targeting goal added"), changes=created_changes(goal, GOAL_FIELDS))
            return goal
        # Its kind stays what it was: the achievements already earned name it.
        current = locks.goal_to_change(goal.pk)
        data = {name: values[name] for name in GOAL_FIELDS if name in values and name != "kind"}
        probe = Goal(pk=current.pk, **{name: data.get(name, getattr(current, name)) for name in GOAL_FIELDS})
        _check_goal(probe)
        changes = model_update(current, data={name: getattr(probe, name) for name in GOAL_FIELDS if name != "kind"},
                               fields=GOAL_FIELDS)
        if changes:
            audit_record(actor=acting_user, event="targeting.goal.update", target=current,
                         summary=_("Targeting goal changed"), changes=changes)
        return current


def plans_save(*, acting_user: User, plans: Mapping[int, Mapping[str, Decimal]]) -> int:
    """Sets employees' plans per day, week and month (administrators), in one transaction; how many changed."""
    if not is_administrator(acting_user):
        raise NotAllowed
    changed = 0
    with transaction.atomic():
        for user_id, values in plans.items():
            Plan.objects.get_or_create(user_id=user_id)  # a first plan (the user is its key: two first saves settle)
            plan = locks.plan_to_change(user_id)
            changes = model_update(plan, data=dict(values), fields=PLAN_FIELDS)
            if changes:
                changed += 1
                audit_record(actor=acting_user, event="targeting.plan.update", target=plan,
                             summary=_("Targeting plan changed"), changes=changes)
    return changed
