"""Who does what in targeting: administrators set goals and plans (Administration → Targeting system); everyone sees
his own progress; administrators and those who see every employee's journals (supervisors) see everyone's."""

from __future__ import annotations

from typing import Any

from kontora.core.permissions import is_administrator


def may_set_up(user: Any) -> bool:
    return is_administrator(user)


def sees_everyone(user: Any) -> bool:
    return is_administrator(user) or bool(user.has_right("journals_all_users"))
