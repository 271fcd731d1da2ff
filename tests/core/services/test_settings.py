"""Settings' services: the functionality switches (ORG-05) and one user's parameters (ACC-07), with their audit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from kontora.accounts.models import User
from kontora.core.errors import NotAllowed, Refused
from kontora.core.forms.base import KontoraForm
from kontora.core.models import AuditEvent, SystemSettings, UserParameters
from kontora.core.selectors.settings import system_settings
from kontora.core.services.settings import (
    parameters_save,
    system_settings_update,
    user_language_set,
    user_panel_set,
    user_parameters_update,
)
from tests.accounts.factories import UserFactory
from tests.core.support import audit_row


def test_language_service_refuses_an_unknown_language(manager_user):
    with pytest.raises(ValidationError) as error:
        user_language_set(acting_user=manager_user, language="de")
    assert error.value.messages == ["Выберите один из предложенных языков."]
    assert User.objects.get(pk=manager_user.pk).language == "ru"


def test_parameters_service_changes_only_what_it_is_given(manager_user):
    # given
    user_parameters_update(acting_user=manager_user, show_tasks_at_login=True)
    # when
    params = user_parameters_update(acting_user=manager_user, report_overdue_at_login=True)
    # then
    assert (params.informer_at_start, params.show_tasks_at_login, params.report_overdue_at_login) == (True, True, True)
    assert UserParameters.objects.filter(user=manager_user).count() == 1


def test_service_refuses_a_user_without_the_configure_right(manager_user):
    with pytest.raises(NotAllowed):
        system_settings_update(acting_user=manager_user, cash_enabled=False)
    assert system_settings().cash_enabled is True


def test_a_save_that_changes_nothing_writes_no_row(admin_user, manager_user):
    # given
    system_settings_update(acting_user=admin_user, cash_enabled=True)
    user_parameters_update(acting_user=manager_user, language="ru", informer_at_start=True)
    # then: the rows exist, nothing changed, nothing recorded
    assert SystemSettings.objects.filter(pk=1).exists()
    assert UserParameters.objects.filter(user=manager_user).exists()
    assert not AuditEvent.objects.exists()


# --- the audit ------------------------------------------------------------------------------------


@pytest.mark.feature("ORG-05")
def test_switching_a_block_is_audited(admin_user):
    # when
    system = system_settings_update(acting_user=admin_user, cash_enabled=False, sales_enabled=True)
    # then
    row = audit_row("core.system_settings.update")
    assert (row.actor, row.target_type, row.target_id, row.summary, row.changes) == (
        admin_user, "core.systemsettings", system.pk, "Настройки функционала изменены",
        [{"field": "Кассовый учёт", "old": "✓", "new": "—"}],
    )


@pytest.mark.feature("ACC-07")
def test_own_parameters_and_language_are_audited_in_one_row(manager_user):
    # when
    params = user_parameters_update(acting_user=manager_user, language="en", informer_at_start=False)
    # then
    row = audit_row("core.user_parameters.update")
    assert (row.actor, row.target_type, row.target_id) == (manager_user, "core.userparameters", params.pk)
    assert row.changes == [
        {"field": "Язык интерфейса", "old": "ru", "new": "en"},
        {"field": "Показывать информатор при запуске", "old": "✓", "new": "—"},
    ]
    assert User.objects.get(pk=manager_user.pk).language == "en"


@pytest.mark.feature("ACC-07")
def test_the_language_alone_is_audited(manager_user):
    # when
    user_language_set(acting_user=manager_user, language="en")
    # then
    row = audit_row("core.user_language.update")
    assert (row.actor, row.target_type, row.target_id, row.summary, row.changes) == (
        manager_user, "accounts.user", manager_user.pk, "Язык интерфейса изменён",
        [{"field": "Язык интерфейса", "old": "ru", "new": "en"}],
    )


# --- Settings → Parameters: every tab or none ----------------------------------------------------


class _Tab(KontoraForm):
    pass


def _refusing_save(user: Any, form: Any) -> None:
    raise ValidationError("Сортировка недоступна.")


def _own(user: Any, form: Any) -> None:
    user_parameters_update(acting_user=user, informer_at_start=False)


@pytest.mark.feature("ACC-07")
def test_parameters_are_saved_all_or_none_and_a_tabs_error_lands_on_its_form(manager_user):
    # given
    own, tab = _Tab({}), _Tab({})
    assert own.is_valid() and tab.is_valid()
    # when
    with pytest.raises(ValidationError):
        parameters_save(acting_user=manager_user, parts=[(own, _own), (tab, _refusing_save)])
    # then
    assert tab.non_field_errors() == ["Сортировка недоступна."]
    assert not own.errors
    assert not UserParameters.objects.filter(user=manager_user, informer_at_start=False).exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_write_rolled_back_by_its_caller_leaves_no_audit_row():
    # given
    admin = UserFactory(login="admin", role="admin", client_scope="full")
    # when: the service commits its part, but the caller's outer transaction fails afterwards
    with pytest.raises(RuntimeError), transaction.atomic():
        system_settings_update(acting_user=admin, cash_enabled=False)
        raise RuntimeError("the caller fails after the service")
    # then
    assert not AuditEvent.objects.exists()
    assert system_settings().cash_enabled is True


@pytest.mark.feature("ORG-05", "ORG-06")
def test_a_side_panel_hidden_is_kept_for_the_user_and_audited_once(manager_user):
    # when the Assistant is hidden, hidden again, and the Informer hidden
    user_panel_set(acting_user=manager_user, panel="assistant", shown=False)
    user_panel_set(acting_user=manager_user, panel="assistant", shown=False)
    user_panel_set(acting_user=manager_user, panel="informer", shown=False)
    # then: kept in the user's parameters (the Informer's is its «don't show at start»), one row per change
    params = UserParameters.objects.get(user=manager_user)
    assert (params.assistant_open, params.informer_at_start) == (False, False)
    rows = AuditEvent.objects.filter(event="core.user_panel.update").order_by("pk")
    assert [(row.summary, row.changes) for row in rows] == [
        ("Боковая панель скрыта", [{"field": "Показывать панель «Ассистент»", "old": "✓", "new": "—"}]),
        ("Боковая панель скрыта", [{"field": "Показывать информатор при запуске", "old": "✓", "new": "—"}]),
    ]
    # when shown again
    user_panel_set(acting_user=manager_user, panel="assistant", shown=True)
    # then
    assert UserParameters.objects.get(user=manager_user).assistant_open is True


def test_an_unknown_panel_is_refused(manager_user):
    # when / then
    with pytest.raises(Refused, match=r"Такой панели нет\."):
        user_panel_set(acting_user=manager_user, panel="calendar", shown=False)
    assert not AuditEvent.objects.filter(event="core.user_panel.update").exists()


# --- the clock: a user's time zone, the office's zone and working day ----------------------------------------


@pytest.mark.feature("ACC-07")
def test_a_user_keeps_a_zone_of_his_own_and_an_empty_one_is_the_offices(manager_user):
    # when
    params = user_parameters_update(acting_user=manager_user, time_zone="Asia/Novosibirsk")
    # then
    assert UserParameters.objects.get(pk=params.pk).time_zone == "Asia/Novosibirsk"
    assert audit_row("core.user_parameters.update").changes[0]["new"] == "Asia/Novosibirsk"
    # and back to the office's
    assert user_parameters_update(acting_user=manager_user, time_zone="").time_zone == ""


@pytest.mark.feature("ACC-07")
@pytest.mark.parametrize("zone", ["Mars/Olympus", "W-SU", "localtime", "../../etc/passwd"])
def test_an_unknown_zone_is_refused_next_to_the_field_and_nothing_is_saved(manager_user, zone):
    # given a zone of his own
    user_parameters_update(acting_user=manager_user, time_zone="Europe/Samara")
    # when he sends one the picker does not offer (a legacy alias, the machine's "localtime", a path)
    with pytest.raises(ValidationError) as error:
        user_parameters_update(acting_user=manager_user, time_zone=zone, informer_at_start=False)
    # then it is refused next to the field, and the other parameter sent with it is not saved either
    assert list(error.value.error_dict) == ["time_zone"]
    assert "выберите пояс из списка" in error.value.error_dict["time_zone"][0].messages[0]
    params = UserParameters.objects.get(user=manager_user)
    assert (params.time_zone, params.informer_at_start) == ("Europe/Samara", True)


@pytest.mark.feature("PLN-02")
def test_the_office_sets_its_zone_and_working_day(admin_user):
    # when
    system_settings_update(acting_user=admin_user, time_zone="Asia/Yekaterinburg",
                           work_start=datetime.time(8, 30), work_end=datetime.time(17, 30))
    # then
    system = SystemSettings.objects.get(pk=1)
    assert (system.time_zone, system.work_start, system.work_end) == (
        "Asia/Yekaterinburg", datetime.time(8, 30), datetime.time(17, 30))
    assert {change["new"] for change in audit_row("core.system_settings.update").changes} >= {"Asia/Yekaterinburg"}


@pytest.mark.feature("PLN-02")
@pytest.mark.parametrize(("values", "field"), [
    ({"work_start": datetime.time(18, 0), "work_end": datetime.time(9, 0)}, "work_end"),
    ({"work_start": datetime.time(9, 0), "work_end": datetime.time(9, 0)}, "work_end"),
    ({"work_start": datetime.time(19, 0)}, "work_end"),  # a start alone past the kept end (18:00)
    ({"time_zone": "Europe/Atlantis"}, "time_zone"),
])
def test_a_working_day_that_does_not_end_after_it_starts_is_refused(admin_user, values, field):
    # when
    with pytest.raises(ValidationError) as error:
        system_settings_update(acting_user=admin_user, cash_enabled=False, **values)
    # then: refused next to its field, nothing saved
    assert list(error.value.error_dict) == [field]
    system = system_settings()
    assert (system.work_start, system.work_end, system.time_zone, system.cash_enabled) == (
        datetime.time(9, 0), datetime.time(18, 0), "", True)
    assert not AuditEvent.objects.exists()
