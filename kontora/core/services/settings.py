"""Writes of base-wide settings (Settings → Functionality) and of one user's parameters (Settings → Parameters)."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kontora.core.models import SystemSettings, UserParameters

log = logging.getLogger(__name__)
Row = TypeVar("Row", bound=models.Model)

SYSTEM_FLAGS = (
    "sales_enabled", "works_enabled", "warehouse_enabled", "cash_enabled",
    "security_tab_enabled", "shipping_tab_enabled", "login_user_list",
)
PARAMETER_FLAGS = ("informer_at_start", "show_tasks_at_login", "report_overdue_at_login")


def _update_row(
    model: type[Row], lookup: dict[str, Any], values: dict[str, bool | None], *, touch: tuple[str, ...] = ()
) -> tuple[Row, list[str]]:
    """Locks the one settings row (made on first use) and saves the values that differ; None keeps a value.

    Call it inside a transaction. Returns the row and the names of the fields it changed.
    """
    model._default_manager.get_or_create(**lookup)
    row = model._default_manager.select_for_update().get(**lookup)
    changed = []
    for name, value in values.items():
        if value is not None and getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    if changed:
        row.save(update_fields=[*changed, *touch])
    return row, changed


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
        system, changed = _update_row(SystemSettings, {"pk": 1}, values, touch=("changed_at",))
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
        params, _changed = _update_row(UserParameters, {"user": acting_user}, values)
    return params


def user_language_set(*, acting_user: Any, language: str) -> None:
    """The acting user's interface language; every following page speaks it."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {"language": ValidationError(_("Choose one of the offered languages."), code="language")}
        )
    if acting_user.language == language:
        return
    with transaction.atomic():
        acting_user.language = language
        acting_user.save(update_fields=["language", "changed_at"])
