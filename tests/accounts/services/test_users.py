"""The services of Administration → Users: who may become what, the login key, and the audit row of each."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from kontora.accounts import policies
from kontora.accounts.models import User, UserRight, UserSession
from kontora.accounts.services import users as services
from kontora.core.errors import Refused
from kontora.core.models import AuditEvent, Department, Position
from tests.accounts.factories import UserFactory
from tests.support.http import PASSWORD, signed_in

LAST_ADMIN = (
    "В системе всегда должен быть как минимум один администратор: "
    "этот пользователь — последний действующий администратор."
)
LOGIN_TAKEN = "Пользователь с таким логином уже существует (регистр букв в логине не различается)."


def profile_of(user: User, **changes: Any) -> services.UserProfile:
    values = {name: getattr(user, name) for name in services.PROFILE_FIELDS}
    return services.UserProfile(**{**values, **changes})


def access_of(user: User, **changes: Any) -> services.UserAccess:
    values = {"role": user.role, "client_scope": user.client_scope, "rights": frozenset()}
    return services.UserAccess(**{**values, **changes})


def audit_of(user: User) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type="accounts.user", target_id=user.pk).order_by("id"))


@pytest.mark.feature("ACC-02")
def test_cyrillic_logins_are_unique_whatever_the_letter_case(admin_user):
    # given
    UserFactory(login="Иванов")
    # when
    with pytest.raises(ValidationError) as refused:
        services.user_create(
            acting_user=admin_user, profile=services.UserProfile(login="иВАНОВ", full_name="Другой Иванов"),
            access=services.UserAccess(role="manager", client_scope="own"), password="Sekret-Parol-42",
        )
    # then
    assert refused.value.message_dict == {"login": [LOGIN_TAKEN]}


@pytest.mark.feature("ACC-02")
def test_setting_a_password_keeps_the_session_asked_for_and_ends_the_others(admin_user, manager_user):
    # given
    kept, ended = signed_in(manager_user), signed_in(manager_user)
    # when
    services.user_set_password(acting_user=admin_user, user_id=manager_user.pk, password="Novyi-Parol-77",
                               keep_session_key=kept.session.session_key)
    # then
    assert list(UserSession.objects.filter(user=manager_user).values_list("session_key", flat=True)) == [
        kept.session.session_key
    ]
    assert ended.get(reverse("core:home")).status_code == 302
    manager_user.refresh_from_db()
    assert manager_user.check_password("Novyi-Parol-77")


@pytest.mark.feature("ACC-04")
def test_what_the_role_gives_is_not_stored_as_a_grant(admin_user, supervisor_user):
    # when
    services.user_rights_set(
        acting_user=admin_user, user_id=supervisor_user.pk,
        access=services.UserAccess(role="supervisor", client_scope="own",
                                   rights=frozenset({"journals_all_users", "mailing"})),
    )
    # then
    assert set(UserRight.objects.filter(user=supervisor_user).values_list("code", flat=True)) == {"mailing"}


@pytest.mark.feature("ACC-04")
def test_a_right_that_comes_only_with_a_role_cannot_be_granted(admin_user, manager_user):
    # when
    with pytest.raises(ValidationError) as refused:
        services.user_rights_set(
            acting_user=admin_user, user_id=manager_user.pk,
            access=services.UserAccess(role="manager", client_scope="own", rights=frozenset({"manage_users"})),
        )
    # then
    assert refused.value.message_dict == {"rights": ["«Управление пользователями» даётся только ролью."]}
    assert not UserRight.objects.filter(user=manager_user).exists()


@pytest.mark.feature("ACC-03")
def test_the_last_administrator_cannot_be_deleted(admin_user, manager_user):
    # given: an outside caller of the service, the check does not depend on who asks
    # when
    with pytest.raises(Refused) as refused:
        services.user_delete(acting_user=manager_user, user_id=admin_user.pk)
    # then
    assert refused.value.message == LAST_ADMIN
    assert User.objects.filter(pk=admin_user.pk).exists()


@pytest.mark.feature("ACC-03")
def test_an_administrator_cannot_delete_their_own_account(admin_user):
    # given
    UserFactory(login="admin2", role="admin")
    # when
    with pytest.raises(Refused) as refused:
        services.user_delete(acting_user=admin_user, user_id=admin_user.pk)
    # then
    assert refused.value.message == (
        "Нельзя удалить собственную учётную запись: это может сделать другой администратор."
    )


@pytest.mark.feature("ACC-04")
def test_a_grant_extends_the_role(admin_user):
    # given
    manager = UserFactory(role="manager")
    # when
    services.user_rights_set(
        acting_user=admin_user, user_id=manager.pk,
        access=services.UserAccess(role="manager", client_scope="list_all",
                                   rights=frozenset({"edit_directories", "keep_private_clients"})),
    )
    manager.refresh_from_db()
    # then
    assert manager.has_right("edit_directories")
    assert manager.has_right("keep_private_clients")
    assert not manager.has_right("configure_system")
    assert manager.client_scope == "list_all"


@pytest.mark.feature("ACC-04")
def test_rights_of_the_card_reach_the_user_at_once(admin_client, admin_user):
    # given
    manager = UserFactory(login="ivan", role="manager")
    before = manager.has_right("mailing")
    # when
    services.user_rights_set(
        acting_user=admin_user, user_id=manager.pk,
        access=services.UserAccess(role="manager", client_scope="own", rights=frozenset({"mailing"})),
    )
    # then: a fresh request loads the user anew, without stale cached rights
    manager.refresh_from_db()
    policies.forget(manager)
    assert before is False
    assert manager.has_right("mailing")


# --- the login key: whoever writes a login writes its key -----------------------------------------------------

@pytest.mark.feature("ACC-01", "ACC-02")
def test_a_created_user_signs_in_by_the_login_in_any_letter_case(admin_user):
    # when
    created = services.user_create(
        acting_user=admin_user, profile=services.UserProfile(login=" Ёлкина ", full_name="Анна Ёлкина"),
        access=services.UserAccess(role="manager", client_scope="own"), password="Sekret-Parol-42",
    )
    # then
    assert (created.login, created.login_key) == ("Ёлкина", "ёлкина")
    assert Client().post("/login/", {"login": "ЁЛКИНА", "password": "Sekret-Parol-42"}).status_code == 302


@pytest.mark.feature("ACC-01", "ACC-02")
def test_a_changed_login_moves_the_key_with_it(admin_user, manager_user):
    # when
    services.user_update(acting_user=admin_user, user_id=manager_user.pk, profile=profile_of(manager_user,
                         login="Менеджер-2"), access=access_of(manager_user))
    # then the new login signs in whatever the case, the old one no longer does
    manager_user.refresh_from_db()
    assert manager_user.login_key == "менеджер-2"
    assert Client().post("/login/", {"login": "менеджер-2", "password": PASSWORD}).status_code == 302
    assert Client().post("/login/", {"login": "manager", "password": PASSWORD}).status_code == 401
    # and the old login is free again, the new one is taken
    with pytest.raises(ValidationError) as refused:
        services.user_create(
            acting_user=admin_user, profile=services.UserProfile(login="МЕНЕДЖЕР-2", full_name="Другой"),
            access=services.UserAccess(role="manager", client_scope="own"), password="Sekret-Parol-42",
        )
    assert refused.value.message_dict == {"login": [LOGIN_TAKEN]}
    services.user_create(
        acting_user=admin_user, profile=services.UserProfile(login="Manager", full_name="Новый менеджер"),
        access=services.UserAccess(role="manager", client_scope="own"), password="Sekret-Parol-42",
    )


@pytest.mark.feature("SYS-01")
def test_an_administrator_made_without_an_acting_user_has_the_key_and_the_audit_row(db):
    # when: `kontora createadmin` makes an administrator with no one signed in
    admin = services.user_create(
        acting_user=None, profile=services.UserProfile(login="Boss", full_name="Иван Начальников"),
        access=services.UserAccess(role="admin", client_scope="full"), password="Sekret-Parol-42",
    )
    # then
    assert admin.login_key == "boss"
    [row] = audit_of(admin)
    assert (row.actor, row.event) == (None, "accounts.user.create")
    assert Client().post("/login/", {"login": "BOSS", "password": "Sekret-Parol-42"}).status_code == 302


# --- the audit ------------------------------------------------------------------------------------------------

@pytest.mark.feature("ACC-02")
def test_creating_a_user_is_audited_with_the_values_given(admin_user):
    # given
    sales = Department.objects.create(name="Отдел продаж")
    seller = Position.objects.create(department=sales, name="Менеджер по продажам")
    # when
    user = services.user_create(
        acting_user=admin_user,
        profile=services.UserProfile(login="anna", full_name="Анна Менеджерова", position_id=seller.pk,
                                     doc_prefix="АМ"),
        access=services.UserAccess(role="manager", client_scope="own", rights=frozenset({"mailing"})),
        password="Sekret-Parol-42",
    )
    # then
    [row] = audit_of(user)
    assert (row.actor, row.event, row.summary) == (admin_user, "accounts.user.create", "Пользователь создан")
    assert row.changes == [
        {"field": "Логин", "old": "", "new": "anna"},
        {"field": "ФИО", "old": "", "new": "Анна Менеджерова"},
        {"field": "Подразделение", "old": "", "new": "Отдел продаж"},
        {"field": "Должность", "old": "", "new": "Менеджер по продажам"},
        {"field": "Префикс номеров документов", "old": "", "new": "АМ"},
        {"field": "Язык интерфейса", "old": "", "new": "Русский"},
        {"field": "Роль", "old": "", "new": "Менеджер"},
        {"field": "Режим работы с клиентами", "old": "", "new": "Видит и работает только со своими клиентами"},
        {"field": "Разрешения", "old": "", "new": "E-mail и SMS-рассылка"},
    ]


@pytest.mark.feature("ACC-02")
def test_changing_a_user_is_audited_with_the_changes_and_the_new_password(admin_user, manager_user):
    # when
    services.user_update(
        acting_user=admin_user, user_id=manager_user.pk,
        profile=profile_of(manager_user, full_name="Алексей Менеджеров-Старший", email="am@example.ru"),
        access=access_of(manager_user), password="Novyi-Parol-77",
    )
    # then (and a row of the reset of the password, test_a_password_typed_on_someone_elses_card_writes_…)
    row, _reset = audit_of(manager_user)
    assert (row.actor, row.event, row.summary) == (admin_user, "accounts.user.update", "Пользователь изменён")
    assert row.changes == [
        {"field": "ФИО", "old": "Алексей Менеджеров", "new": "Алексей Менеджеров-Старший"},
        {"field": "Рабочий e-mail", "old": "", "new": "am@example.ru"},
        {"field": "Пароль", "old": "", "new": "изменён"},
    ]


@pytest.mark.feature("ACC-02")
def test_a_save_that_changes_nothing_is_still_audited_with_no_changes(admin_user, manager_user):
    # when
    services.user_update(acting_user=admin_user, user_id=manager_user.pk, profile=profile_of(manager_user),
                         access=access_of(manager_user))
    # then
    [row] = audit_of(manager_user)
    assert (row.event, row.changes) == ("accounts.user.update", [])


@pytest.mark.feature("ACC-02", "ACC-01")
def test_disabling_and_enabling_an_account_are_audited_as_such(admin_user, manager_user):
    # when
    services.user_update(acting_user=admin_user, user_id=manager_user.pk,
                         profile=profile_of(manager_user, disabled=True), access=access_of(manager_user))
    manager_user.refresh_from_db()
    services.user_update(acting_user=admin_user, user_id=manager_user.pk,
                         profile=profile_of(manager_user, disabled=False), access=access_of(manager_user))
    # then
    disabled, enabled = audit_of(manager_user)
    assert (disabled.actor, disabled.event, disabled.summary) == (
        admin_user, "accounts.user.disable", "Пользователь отключён",
    )
    assert disabled.changes == [{"field": "Учётная запись отключена", "old": "—", "new": "✓"}]
    assert (enabled.event, enabled.summary) == ("accounts.user.enable", "Пользователь включён")
    assert enabled.changes == [{"field": "Учётная запись отключена", "old": "✓", "new": "—"}]


@pytest.mark.feature("ACC-04")
def test_setting_rights_is_audited_with_the_rights_before_and_after(admin_user, manager_user):
    # given
    UserRight.objects.create(user=manager_user, code="mailing")
    # when
    services.user_rights_set(
        acting_user=admin_user, user_id=manager_user.pk,
        access=services.UserAccess(role="manager", client_scope="open_all", rights=frozenset({"import_data"})),
    )
    # then
    [row] = audit_of(manager_user)
    assert (row.actor, row.event, row.summary) == (admin_user, "accounts.user.rights", "Права пользователя изменены")
    assert row.changes == [
        {"field": "Режим работы с клиентами", "old": "Видит и работает только со своими клиентами",
         "new": "Входит в карточки всех клиентов, редактирует всё, кроме основных данных чужих"},
        {"field": "Разрешения", "old": "E-mail и SMS-рассылка", "new": "Импорт данных"},
    ]


@pytest.mark.feature("ACC-02", "ACL-03")
def test_a_password_set_by_someone_else_is_audited_as_a_reset_and_ones_own_as_a_change(admin_user, manager_user):
    # when the administrator sets the manager's password, and then his own
    services.user_set_password(acting_user=admin_user, user_id=manager_user.pk, password="Novyi-Parol-77")
    services.user_set_password(acting_user=admin_user, user_id=admin_user.pk, password="Svoi-Parol-78")
    # then the manager's row names a reset by another user, the administrator's own a change
    [row] = audit_of(manager_user)
    assert (row.actor, row.event, row.summary) == (
        admin_user, "accounts.user.password_reset", "Пароль сброшен другим пользователем")
    assert row.changes == [{"field": "Пароль", "old": "", "new": "изменён"}]
    [own] = audit_of(admin_user)
    assert (own.actor, own.event, own.summary) == (admin_user, "accounts.user.password", "Пароль изменён")


@pytest.mark.feature("ACC-02", "ACL-03")
def test_a_password_typed_on_someone_elses_card_writes_a_reset_row_too(admin_user, manager_user):
    # when the administrator saves the manager's card with a new password, then his own card with one
    services.user_update(acting_user=admin_user, user_id=manager_user.pk, profile=profile_of(manager_user),
                         access=access_of(manager_user), password="Novyi-Parol-77")
    services.user_update(acting_user=admin_user, user_id=admin_user.pk, profile=profile_of(admin_user),
                         access=access_of(admin_user), password="Svoi-Parol-78")
    # then the manager has the card's row and a reset row; the administrator's own card no reset row
    assert [row.event for row in audit_of(manager_user)] == ["accounts.user.update", "accounts.user.password_reset"]
    assert [row.event for row in audit_of(admin_user)] == ["accounts.user.update"]


@pytest.mark.feature("ACC-02")
def test_deleting_a_user_is_audited_with_who_it_was(admin_user, manager_user):
    # given
    deleted_id = manager_user.pk
    # when
    services.user_delete(acting_user=admin_user, user_id=deleted_id)
    # then
    [row] = AuditEvent.objects.filter(event="accounts.user.delete")
    assert (row.actor, row.summary, row.target_type, row.target_id) == (
        admin_user, "Пользователь удалён", "accounts.user", deleted_id,
    )
    assert row.extra == {"login": "manager", "full_name": "Алексей Менеджеров"}


@pytest.mark.feature("ACC-03")
def test_a_refused_write_leaves_no_audit_row(admin_user):
    # when: the last administrator would be demoted
    with pytest.raises(ValidationError):
        services.user_update(acting_user=admin_user, user_id=admin_user.pk, profile=profile_of(admin_user),
                             access=access_of(admin_user, role="manager"))
    # then
    assert not AuditEvent.objects.exists()
    admin_user.refresh_from_db()
    assert admin_user.role == "admin"


@pytest.mark.django_db(transaction=True)
def test_a_write_whose_outer_transaction_rolls_back_leaves_no_audit_row():
    # given
    admin = UserFactory(login="admin", role="admin", client_scope="full")
    # when: the service succeeds inside a transaction that then fails
    with pytest.raises(RuntimeError), transaction.atomic():
        services.user_create(
            acting_user=admin, profile=services.UserProfile(login="anna", full_name="Анна"),
            access=services.UserAccess(role="manager", client_scope="own"), password="Sekret-Parol-42",
        )
        assert AuditEvent.objects.filter(event="accounts.user.create").count() == 1
        raise RuntimeError("the caller fails after the service")
    # then
    assert not AuditEvent.objects.exists()
    assert not User.objects.filter(login="anna").exists()
