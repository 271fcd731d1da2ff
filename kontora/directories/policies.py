"""Who may see and change directories (DIR-01).

Everyone signed in sees the lists and picks values; only holders of a directory's edit right (the
administrator's role carries `edit_directories`; the nomenclature has its own `edit_nomenclature`)
add, change, deactivate and delete items.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from kontora.directories import registry
from kontora.directories.registry import Directory

View = TypeVar("View", bound=Callable[..., HttpResponse])


def can_view(user: Any, directory: Directory) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_edit(user: Any, directory: Directory) -> bool:
    return bool(directory.editable and can_view(user, directory) and user.has_right(directory.edit_right))


def directory_view(*, edit: bool = False) -> Callable[[View], View]:
    """Resolve the URL's `key` into a Directory (unknown → 404) and check the user may view or edit it.

    Anonymous → login page; signed in without the right → 403. The view receives `directory` instead of `key`.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, key: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                directory = registry.get(key)
            except KeyError:
                raise Http404(key) from None
            allowed = can_edit(request.user, directory) if edit else can_view(request.user, directory)
            if not allowed:
                raise PermissionDenied
            return view(request, directory, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator
