from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kontora import __version__
from kontora.core.selectors import system_settings, visible_menu


def main_window(request: HttpRequest) -> dict[str, Any]:
    """The menu bar and the base-wide switches every signed-in page renders."""
    context: dict[str, Any] = {"kontora_version": __version__}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        system = system_settings()
        context["system"] = system
        context["main_menu"] = visible_menu(user, system)
    return context
