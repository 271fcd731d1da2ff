from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kontora import __version__
from kontora.core.selectors.guide import help_url
from kontora.core.selectors.main_window import visible_menu
from kontora.core.selectors.settings import system_settings


def main_window(request: HttpRequest) -> dict[str, Any]:
    """The menu bar and the base-wide switches every signed-in page renders."""
    context: dict[str, Any] = {"kontora_version": __version__}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        system = system_settings()
        context["system"] = system
        context["main_menu"] = visible_menu(user, system)
        # F1 opens the guide's section about this page (keys.js reads it from <body data-k-help>).
        match = getattr(request, "resolver_match", None)
        context["help_url"] = help_url(match.view_name if match else "")
    return context
