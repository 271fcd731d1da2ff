"""The clients' views. `acting_user(request)`: the signed-in user of a view behind `login_required`, as the
services and selectors type it."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from kontora.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    return cast(User, request.user)
