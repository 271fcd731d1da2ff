"""Who may see and change directories (DIR-01).

Everyone signed in sees the lists and picks values; only holders of a directory's edit right (the
administrator's role carries `edit_directories`; the nomenclature has its own `edit_nomenclature`)
add, change, deactivate and delete items.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse

from kontora.core.errors import NotAllowed
from kontora.core.permissions import is_signed_in, policy_required
from kontora.directories.hooks import Directory
from kontora.directories.selectors import registry

View = TypeVar("View", bound=Callable[..., HttpResponse])

NOMENCLATURE_RIGHT = "edit_nomenclature"


def can_view(user: Any, directory: Directory) -> bool:
    return is_signed_in(user)


def can_edit(user: Any, directory: Directory) -> bool:
    return bool(directory.editable and can_view(user, directory) and user.has_right(directory.edit_right))


def can_edit_nomenclature(user: Any) -> bool:
    """Adds and changes nomenclature items and folders (a right of its own, apart from the other directories)."""
    return bool(user.has_right(NOMENCLATURE_RIGHT))


def directory_view(*, edit: bool = False) -> Callable[[View], View]:
    """Signed-in users only (`policy_required`: anonymous → the sign-in page); then the URL's `key` becomes a
    Directory (unknown → 404) and the view runs only if `can_edit` or `can_view` of that directory allows
    (refused → 403). The view receives `directory` instead of `key`."""
    rule = can_edit if edit else can_view

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, key: str, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                directory = registry.get(key)
            except KeyError:
                raise Http404(key) from None
            if not rule(request.user, directory):
                raise NotAllowed
            return view(request, directory, *args, **kwargs)

        return policy_required(is_signed_in)(wrapper)  # type: ignore[return-value]

    return decorator
