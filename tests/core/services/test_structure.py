"""Enterprise structure's services (ORG-02): departments and positions, their audit rows, migration 0003."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ValidationError

from kontora.core.errors import Refused
from kontora.core.models import AuditEvent, Department, Position
from kontora.core.services import structure as services
from tests.accounts.factories import UserFactory
from tests.core.support import audit_row

migration = importlib.import_module("kontora.accounts.migrations.0003_user_structure")


@pytest.mark.feature("ORG-02")
def test_a_department_name_is_unique_regardless_of_case(admin_user):
    # given
    Department.objects.create(name="Склад")
    # when
    with pytest.raises(ValidationError) as refused:
        services.department_save(acting_user=admin_user, department_id=None, name="склад")
    # then
    assert refused.value.message_dict == {"name": ["Подразделение с таким названием уже есть."]}


@pytest.mark.feature("ORG-02")
def test_items_in_use_cannot_be_deleted_only_deactivated(admin_user):
    # given
    sales = Department.objects.create(name="Отдел продаж")
    seller = Position.objects.create(department=sales, name="Менеджер")
    UserFactory(login="anna", department=sales, position=seller)
    # when
    with pytest.raises(Refused) as department_refused:
        services.department_delete(acting_user=admin_user, department_id=sales.pk)
    with pytest.raises(Refused) as position_refused:
        services.position_delete(acting_user=admin_user, position_id=seller.pk)
    # then
    assert department_refused.value.message == (
        "Подразделение используется (должностей: 1, пользователей: 1), удалить его нельзя; сделайте его неактивным."
    )
    assert position_refused.value.message == (
        "Должность занимают пользователи (1), удалить её нельзя; сделайте её неактивной."
    )
    assert Position.objects.filter(pk=seller.pk).exists() and Department.objects.filter(pk=sales.pk).exists()
    assert not AuditEvent.objects.filter(event__endswith=".delete").exists()


@pytest.mark.feature("ORG-02")
def test_migration_0003_turns_texts_into_departments_and_positions(db):
    # given: (user id, department text, position text) as the old free-text columns held them
    rows = [
        (1, "Отдел продаж", "Менеджер"),
        (2, " отдел  продаж ", "менеджер"),
        (3, "Склад", "Кладовщик"),
        (4, "", "Директор"),
        (5, "Бухгалтерия", ""),
    ]
    # when
    mapping = migration.convert_text(rows, Department, Position)
    # then
    departments = {d.name: d for d in Department.objects.all()}
    assert set(departments) == {"Отдел продаж", "Склад", "Без подразделения", "Бухгалтерия"}
    positions = {(p.department.name, p.name): p for p in Position.objects.select_related("department")}
    assert set(positions) == {
        ("Отдел продаж", "Менеджер"), ("Склад", "Кладовщик"), ("Без подразделения", "Директор"),
    }
    seller = positions[("Отдел продаж", "Менеджер")]
    assert mapping[1] == mapping[2] == (departments["Отдел продаж"].pk, seller.pk)
    assert mapping[4] == (departments["Без подразделения"].pk, positions[("Без подразделения", "Директор")].pk)
    assert mapping[5] == (departments["Бухгалтерия"].pk, None)


# --- the audit ------------------------------------------------------------------------------------


def test_adding_and_changing_a_department_are_audited(admin_user):
    # when
    sales = services.department_save(acting_user=admin_user, department_id=None, name="Отдел продаж", order=1)
    services.department_save(acting_user=admin_user, department_id=sales.pk, name="Отдел продаж", is_active=False,
                             order=1)
    # then
    added = audit_row("core.department.create")
    assert (added.actor, added.target_type, added.target_id, added.summary) == (
        admin_user, "core.department", sales.pk, "Подразделение добавлено"
    )
    assert {"field": "Наименование", "old": "", "new": "Отдел продаж"} in added.changes
    changed = audit_row("core.department.update")
    assert (changed.actor, changed.target_id, changed.summary, changed.changes) == (
        admin_user, sales.pk, "Подразделение изменено", [{"field": "Действует", "old": "✓", "new": "—"}]
    )


def test_adding_changing_and_deleting_a_position_and_deleting_a_department_are_audited(admin_user):
    # given
    sales = Department.objects.create(name="Отдел продаж")
    # when
    seller = services.position_save(acting_user=admin_user, position_id=None, department_id=sales.pk,
                                    name="Менеджер")
    services.position_save(acting_user=admin_user, position_id=seller.pk, department_id=sales.pk,
                           name="Менеджер по продажам")
    services.position_delete(acting_user=admin_user, position_id=seller.pk)
    services.department_delete(acting_user=admin_user, department_id=sales.pk)
    # then
    added = audit_row("core.position.create")
    assert (added.actor, added.target_type, added.target_id) == (admin_user, "core.position", seller.pk)
    assert {"field": "Наименование", "old": "", "new": "Менеджер"} in added.changes
    changed = audit_row("core.position.update")
    assert (changed.target_id, changed.changes) == (
        seller.pk, [{"field": "Наименование", "old": "Менеджер", "new": "Менеджер по продажам"}]
    )
    deleted = audit_row("core.position.delete")
    assert (deleted.actor, deleted.target_id, deleted.summary, deleted.changes) == (
        admin_user, seller.pk, "Должность удалена",
        [{"field": "Наименование", "old": "Менеджер по продажам", "new": ""}],
    )
    gone = audit_row("core.department.delete")
    assert (gone.actor, gone.target_type, gone.target_id, gone.summary) == (
        admin_user, "core.department", sales.pk, "Подразделение удалено"
    )
    assert not Department.objects.exists()


def test_a_refused_save_writes_nothing(admin_user):
    # given
    Department.objects.create(name="Склад")
    # when
    with pytest.raises(ValidationError):
        services.department_save(acting_user=admin_user, department_id=None, name="СКЛАД")
    # then
    assert not AuditEvent.objects.exists()
