"""Who may do what with users and system settings; views ask here, templates get booleans."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = TypeVar("View", bound=Callable[..., HttpResponse])


def can_administer(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_admin)


def can_delete_user(acting_user: Any, target: Any) -> bool:
    """The Delete button of the user card: not on one's own card (disable the account instead)."""
    return can_administer(acting_user) and target.pk is not None and target.pk != acting_user.pk


def admin_required(view: View) -> View:
    """Administration pages: anonymous → login page, signed-in non-administrator → 403.

    The wrapper carries `kontora_admin_only` so that a test can find every administration view
    through the URL resolver and check each one refuses non-administrators.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_administer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.kontora_admin_only = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def right_required(code: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_right(code):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.kontora_right = code  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator
