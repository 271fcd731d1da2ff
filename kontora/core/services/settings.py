"""Writes of base-wide settings (Settings → Functionality) and of one user's parameters (Settings → Parameters)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.core.models import SystemSettings, UserParameters

log = logging.getLogger(__name__)

SYSTEM_FLAGS = (
    "sales_enabled", "works_enabled", "warehouse_enabled", "cash_enabled",
    "security_tab_enabled", "shipping_tab_enabled", "login_user_list",
)
PARAMETER_FLAGS = ("informer_at_start", "show_tasks_at_login", "report_overdue_at_login")


def _changed_fields(obj: Any, values: dict[str, bool | None]) -> list[str]:
    changed = []
    for name, value in values.items():
        if value is not None and getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def system_settings_update(
    *,
    acting_user: Any,
    sales_enabled: bool | None = None,
    works_enabled: bool | None = None,
    warehouse_enabled: bool | None = None,
    cash_enabled: bool | None = None,
    security_tab_enabled: bool | None = None,
    shipping_tab_enabled: bool | None = None,
    login_user_list: bool | None = None,
) -> SystemSettings:
    """Switches functionality blocks and login options; None leaves a setting as it is."""
    if not acting_user.has_right("configure_system"):
        raise PermissionDenied
    values = {
        "sales_enabled": sales_enabled, "works_enabled": works_enabled, "warehouse_enabled": warehouse_enabled,
        "cash_enabled": cash_enabled, "security_tab_enabled": security_tab_enabled,
        "shipping_tab_enabled": shipping_tab_enabled, "login_user_list": login_user_list,
    }
    with transaction.atomic():
        SystemSettings.objects.get_or_create(pk=1)
        system = SystemSettings.objects.select_for_update().get(pk=1)
        changed = _changed_fields(system, values)
        if changed:
            system.save(update_fields=[*changed, "changed_at"])
    if changed:
        log.info("system settings %s changed by %s", ", ".join(changed), acting_user.login)
    return system


def user_parameters_update(
    *,
    acting_user: Any,
    language: str | None = None,
    informer_at_start: bool | None = None,
    show_tasks_at_login: bool | None = None,
    report_overdue_at_login: bool | None = None,
) -> UserParameters:
    """Saves the acting user's own parameters (the interface language too); None leaves one as it is."""
    values = {
        "informer_at_start": informer_at_start,
        "show_tasks_at_login": show_tasks_at_login,
        "report_overdue_at_login": report_overdue_at_login,
    }
    with transaction.atomic():
        if language is not None:
            user_language_set(acting_user=acting_user, language=language)
        UserParameters.objects.get_or_create(user=acting_user)
        params = UserParameters.objects.select_for_update().get(user=acting_user)
        changed = _changed_fields(params, values)
        if changed:
            params.save(update_fields=changed)
    return params


def user_language_set(*, acting_user: Any, language: str) -> None:
    """The acting user's interface language; every following page speaks it."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the offered languages."), code="language")
    if acting_user.language == language:
        return
    with transaction.atomic():
        acting_user.language = language
        acting_user.save(update_fields=["language", "changed_at"])
