"""Settings' services: the functionality switches (ORG-05) and one user's parameters (ACC-07), with their audit."""

from __future__ import annotations

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
