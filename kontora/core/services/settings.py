"""Writes of base-wide settings (Settings → Functionality) and of one user's parameters (Settings → Parameters).

The settings rows are made here, when first saved: the selectors only read them and answer with the defaults
while a row is missing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from kontora.core import locks
from kontora.core.audit import Change, audit_record, model_update
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import SystemSettings, UserParameters
from kontora.core.permissions import Actor
from kontora.core.selectors.calendar import zone_offered
from kontora.core.text import ip_networks

Row = TypeVar("Row", bound=models.Model)

SYSTEM_FLAGS = (
    "sales_enabled", "works_enabled", "warehouse_enabled", "cash_enabled",
    "security_tab_enabled", "shipping_tab_enabled", "login_user_list",
)
SYSTEM_FIELDS = (*SYSTEM_FLAGS, "signin_allowed_networks", "time_zone", "work_start", "work_end", "bulk_max_clients")
PARAMETER_FLAGS = ("informer_at_start", "show_tasks_at_login", "report_overdue_at_login")
PARAMETER_FIELDS = (*PARAMETER_FLAGS, "time_zone")


def system_settings_row() -> SystemSettings:
    """The base-wide settings row, made with the defaults if the base has none yet.

    Not a change of the settings (no audit row): what the base reads stays the same. Other apps call it before
    a transaction that locks the row to serialise a base-wide write (the first-run wizard).
    """
    row, _created = SystemSettings.objects.get_or_create(pk=1)
    return row


def _given(values: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in values.items() if value is not None}


def _networks_checked(text: str) -> str:
    """The office networks as kept: one per line, each in its canonical form (10.1.2.0/24), repeats dropped; an
    entry that is no address nor network is refused next to the field, naming it."""
    networks, bad = ip_networks(text)
    if bad:
        raise ValidationError({"signin_allowed_networks": ValidationError(
            _("Not an address or network: %(entries)s. Write them as 192.168.0.10 or 192.168.0.0/24.")
            % {"entries": ", ".join(bad[:5])}, code="network",
        )})
    return "\n".join(dict.fromkeys(str(network) for network in networks))


def _zone_checked(name: str) -> str:
    """A time zone as kept: "" (the office's, or for the office the server's) or a zone the pickers offer; anything
    else is refused next to the field."""
    name = name.strip()
    if name and not zone_offered(name):
        raise ValidationError({"time_zone": ValidationError(
            _("Unknown time zone “%(zone)s”: choose one from the list.") % {"zone": name[:64]}, code="time_zone",
        )})
    return name


def _hours_checked(start: datetime.time, end: datetime.time) -> None:
    if end <= start:
        raise ValidationError({"work_end": ValidationError(
            _("The working day must end after it starts (%(start)s).") % {"start": start.strftime("%H:%M")},
            code="work_end",
        )})


def system_settings_update(
    *,
    acting_user: Actor,
    sales_enabled: bool | None = None,
    works_enabled: bool | None = None,
    warehouse_enabled: bool | None = None,
    cash_enabled: bool | None = None,
    security_tab_enabled: bool | None = None,
    shipping_tab_enabled: bool | None = None,
    login_user_list: bool | None = None,
    signin_allowed_networks: str | None = None,
    time_zone: str | None = None,
    work_start: datetime.time | None = None,
    work_end: datetime.time | None = None,
    bulk_max_clients: int | None = None,
) -> SystemSettings:
    """Switches functionality blocks and login options, keeps the office networks never slowed at sign-in, and sets
    the office's clock (its time zone, the working day's hours: the end after the start), and the most clients of one
    group processing run; None leaves a setting as
    it is.

    An audit row is written when a setting changed; saving the page unchanged writes nothing.
    """
    if not acting_user.has_right("configure_system"):
        raise NotAllowed
    values = _given({
        "sales_enabled": sales_enabled, "works_enabled": works_enabled, "warehouse_enabled": warehouse_enabled,
        "cash_enabled": cash_enabled, "security_tab_enabled": security_tab_enabled,
        "shipping_tab_enabled": shipping_tab_enabled, "login_user_list": login_user_list,
        "signin_allowed_networks": (
            None if signin_allowed_networks is None else _networks_checked(signin_allowed_networks)
        ),
        "time_zone": None if time_zone is None else _zone_checked(time_zone),
        "work_start": work_start, "work_end": work_end, "bulk_max_clients": bulk_max_clients,
    })
    system_settings_row()
    with transaction.atomic():
        system = locks.system_settings()
        # Checked against the row as locked: a start changed alone must still come before the kept end.
        _hours_checked(values.get("work_start", system.work_start), values.get("work_end", system.work_end))
        changes = model_update(system, data=values, fields=SYSTEM_FIELDS)
        if changes:
            audit_record(actor=acting_user, event="core.system_settings.update", target=system, changes=changes,
                         summary=_("Functionality settings changed"))
    return system


def _language_checked(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {"language": ValidationError(_("Choose one of the offered languages."), code="language")}
        )
    return language


def _language_set(acting_user: Actor, language: str) -> list[Change]:
    # The acting user is the signed-in user's own row: changed in place, so the page that follows speaks it.
    return model_update(cast(models.Model, acting_user), data={"language": language}, fields=["language"])


def user_parameters_update(
    *,
    acting_user: Actor,
    language: str | None = None,
    informer_at_start: bool | None = None,
    show_tasks_at_login: bool | None = None,
    report_overdue_at_login: bool | None = None,
    time_zone: str | None = None,
) -> UserParameters:
    """Saves the acting user's own parameters (the interface language too; his time zone, "" for the office's);
    None leaves one as it is.

    One audit row tells what changed, the language among the rest; nothing changed, nothing written.
    """
    if language is not None:
        _language_checked(language)
    values = _given({
        "informer_at_start": informer_at_start,
        "show_tasks_at_login": show_tasks_at_login,
        "report_overdue_at_login": report_overdue_at_login,
        "time_zone": None if time_zone is None else _zone_checked(time_zone),
    })
    UserParameters.objects.get_or_create(user_id=acting_user.pk)
    with transaction.atomic():
        changes = _language_set(acting_user, language) if language is not None else []
        params = locks.user_parameters(acting_user.pk)
        changes += model_update(params, data=values, fields=PARAMETER_FIELDS)
        if changes:
            audit_record(actor=acting_user, event="core.user_parameters.update", target=params, changes=changes,
                         summary=_("Parameters changed"))
    return params


# The main window's side panels (core/home.html, details[data-k-panel]) and the parameter each one's state is.
PANELS = {"assistant": "assistant_open", "informer": "informer_at_start"}


def user_panel_set(*, acting_user: Actor, panel: str, shown: bool) -> UserParameters:
    """Keeps a side panel of the main window shown or hidden as the user left it: every page and every computer
    he signs in on opens it so. The Informer's state is the manual's «Don't show at start» box, inverted."""
    field = PANELS.get(panel)
    if field is None:
        raise Refused(_("There is no such panel."))
    UserParameters.objects.get_or_create(user_id=acting_user.pk)
    with transaction.atomic():
        params = locks.user_parameters(acting_user.pk)
        changes = model_update(params, data={field: shown}, fields=[field])
        if changes:
            audit_record(actor=acting_user, event="core.user_panel.update", target=params, changes=changes,
                         summary=_("Side panel shown") if shown else _("Side panel hidden"))
    return params


def user_language_set(*, acting_user: Actor, language: str) -> None:
    """The acting user's interface language; every following page speaks it."""
    _language_checked(language)
    with transaction.atomic():
        changes = _language_set(acting_user, language)
        if changes:
            audit_record(actor=acting_user, event="core.user_language.update",
                         target=cast(models.Model, acting_user), changes=changes,
                         summary=_("Interface language changed"))


ParametersSave = Callable[[Any, Any], None]  # (acting user, valid form) → None, as ParametersTab.save


def parameters_save(*, acting_user: Actor, parts: Sequence[tuple[Any, ParametersSave]]) -> None:
    """Settings → Parameters' OK: every tab saved in one transaction, all of them or none.

    `parts` are the tabs' valid forms with their saves (core's own tab and those the apps registered in
    PARAMETERS_TABS). A save raises ValidationError to put its errors next to its tab's fields: the error is
    placed on that tab's form and raised on, so nothing of the window is saved.
    """
    with transaction.atomic():
        for form, save in parts:
            try:
                save(acting_user, form)
            except ValidationError as exc:
                form.apply_error(exc)
                raise
