"""Extra tabs of Settings → Parameters contributed by other apps (core imports none of them).

An app registers a tab when it is ready: its label, the template of the pane (given `form`), a factory
building the tab's form for the user (bound to the POST data or not) and a callable saving the valid form.
A save raises ValidationError to put its errors next to the tab's fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise


@dataclass(frozen=True)
class ParametersTab:
    key: str
    label: str | Promise
    template: str
    form_factory: Callable[[Any, Any], forms.BaseForm]  # (user, POST data or None) → the tab's form
    save: Callable[[Any, forms.BaseForm], None]  # (acting user, valid form) → None


_TABS: dict[str, ParametersTab] = {}


def register(tab: ParametersTab) -> ParametersTab:
    _TABS[tab.key] = tab
    return tab


def extra_tabs() -> list[ParametersTab]:
    return list(_TABS.values())
