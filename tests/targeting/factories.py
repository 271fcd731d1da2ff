"""Goals set up through the service, and the units a user earned."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kontora.targeting.models import Achievement, Goal
from kontora.targeting.services import goal_save


def make_goal(admin: Any, **values: Any) -> Goal:
    return goal_save(acting_user=admin, goal=None, values={"is_active": True, **values})


def units_of(user: Any) -> Decimal:
    return sum((row.weight for row in Achievement.objects.filter(user=user)), Decimal(0))
