"""Targeting's extension point — the kinds of goal, registered by the apps whose records earn them — and what
targeting plugs into the others: its settings page (Administration), the Assistant's monitor, its exits."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kontora.core.hooks import Point


@dataclass(frozen=True)
class GoalKind:
    """A kind of goal: `code` is stored in `Goal.kind`; `by_event_type` — a goal of it names an event type (and
    may name a result)."""

    code: str
    label: str | Promise
    by_event_type: bool = False
    order: int = 100


GOAL_KINDS: Point[GoalKind] = Point("goal kinds", key=lambda item: item.code)


def register() -> None:
    from kontora.core.hooks import MENU, MONITORS, MenuItem, Monitor, admins

    MENU.register(MenuItem("admin", _("Targeting system"), "targeting:setup", admins, group=30, order=10))
    MONITORS.register(Monitor("targeting", "targeting:monitor", order=30))
