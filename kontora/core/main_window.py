"""The main window's centre, filled by an app that core does not import (the client registry).

An app registers, when it is ready, the template of the centre and a callable giving its context for
the request; with none registered the centre shows the welcome summary alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Centre:
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]


_CENTRE: list[Centre] = []


def register_centre(template_name: str, context_callable: Callable[[HttpRequest], dict[str, Any]]) -> None:
    _CENTRE[:] = [Centre(template_name, context_callable)]


def centre() -> Centre | None:
    return _CENTRE[0] if _CENTRE else None
