"""The main window's centre, filled by an app that core does not import (the client registry).

An app registers, when it is ready, the template of the centre and a callable giving its context for
the request; with none registered the centre shows the welcome summary alone.

The Assistant panel's monitors (processes, later tasks and targeting) register the same way: a URL of an
htmx partial that core/home.html loads under the calendar and polls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class Centre:
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]


_CENTRE: list[Centre] = []


def register_centre(template_name: str, context_callable: Callable[[HttpRequest], dict[str, Any]]) -> None:
    _CENTRE[:] = [Centre(template_name, context_callable)]


def centre() -> Centre | None:
    return _CENTRE[0] if _CENTRE else None


@dataclass(frozen=True)
class Monitor:
    """A monitor of the Assistant panel (under the calendar): an htmx partial loaded and polled from `url_name`."""

    key: str
    url_name: str
    order: int = 100
    every_seconds: int = 60


_MONITORS: dict[str, Monitor] = {}


def register_monitor(monitor: Monitor) -> Monitor:
    _MONITORS[monitor.key] = monitor
    return monitor


def monitors() -> list[dict[str, Any]]:
    """The Assistant's monitors in order, with their URLs, for core/home.html."""
    return [
        {"key": m.key, "url": reverse(m.url_name), "every": m.every_seconds}
        for m in sorted(_MONITORS.values(), key=lambda m: (m.order, m.key))
    ]
