from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from kontora.accounts.models import User, login_key
from kontora.accounts.selectors import with_rights
from kontora.core.selectors.calendar import with_clock


class LoginBackend(ModelBackend):
    """Password check by login (case-insensitive).

    A disabled or dismissed user keeps resolving from the session so that
    AccountStateMiddleware can end it with its own message instead of a silent logout.
    """

    def get_user(self, user_id: Any) -> User | None:
        # The request's user comes with his clock (his parameters, the office's zone) and his granted rights: no
        # query of their own.
        try:
            return with_clock(with_rights(User.objects.all())).get(pk=user_id)
        except User.DoesNotExist:
            return None

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if not username or password is None:
            return None
        try:
            user = User.objects.get(login_key=login_key(username))
        except User.DoesNotExist:
            User().set_password(password)  # same work as a real check: no timing oracle on logins
            return None
        if user.check_password(password):
            return user
        return None
