"""Views of business processes, one module per topic: setup (the designer), runs (the journal, «Запустить
процесс», the monitor), progress (a run's page, its print form, delete)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from kontora.accounts.models import User


def user_of(request: HttpRequest) -> User:
    """The signed-in user: every view here is behind login_required or policy_required."""
    return cast(User, request.user)
