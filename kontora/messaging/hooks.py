"""What messaging plugs into the others — the «Почта» and «SMS» tabs of Settings → Parameters, the outbox's worker
tasks — and
its own point: SEND_NOW, the worker's task that sends one queued letter at once (registered here from tasks.py, so
the services hand a letter over on commit without importing the tasks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kontora.core.hooks import Point

SEND_NOW: Point[Callable[[int], Any]] = Point("send a letter now", key=lambda item: "now")


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kontora.core.hooks import PARAMETERS_TABS, POLICIES, ParametersTab
    from kontora.messaging import policies, tasks, views

    PARAMETERS_TABS.register(ParametersTab(
        key="mail", label=_("Mail"), template="messaging/parameters_mail.html",
        form_factory=views.parameters_tab_form, save=views.parameters_tab_save,
    ))
    PARAMETERS_TABS.register(ParametersTab(
        key="sms", label=_("SMS"), template="messaging/parameters_sms.html",
        form_factory=views.sms_tab_form, save=views.sms_tab_save,
    ))
    SEND_NOW.register(tasks.letter_send_now)
    POLICIES.register(policies.letters)
