"""Administration → Enterprise: structure (ORG-02), the user card's department and position, migration 0003."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kontora.accounts.models import User
from kontora.core.errors import Refused
from kontora.core.models import Department, Position
from kontora.core.services import structure as services
from tests.accounts.factories import UserFactory

migration = importlib.import_module("kontora.accounts.migrations.0003_user_structure")


@pytest.mark.feature("ORG-02")
def test_admin_adds_renames_and_deactivates_departments_and_positions(admin_client):
    # when
    created = admin_client.post(reverse("core:structure_department_new"), {"name": "Отдел  продаж", "order": "1",
                                                                            "is_active": "on"})
    sales = Department.objects.get()
    added = admin_client.post(reverse("core:structure_position_new", args=[sales.pk]),
                              {"department": sales.pk, "name": "Менеджер", "order": "0", "is_active": "on"})
    seller = Position.objects.get()
    renamed = admin_client.post(reverse("core:structure_position", args=[seller.pk]),
                                {"department": sales.pk, "name": "Менеджер по продажам", "order": "2"})
    page = admin_client.get(reverse("core:structure"))
    # then
    assert created.status_code == added.status_code == renamed.status_code == 302
    assert created.url == reverse("core:structure")
    assert sales.name == "Отдел продаж"
    seller.refresh_from_db()
    assert (seller.name, seller.order, seller.is_active) == ("Менеджер по продажам", 2, False)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Отдел продаж" in html and "Менеджер по продажам" in html and "не действует" in html


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
def test_items_in_use_cannot_be_deleted_only_deactivated(admin_client, admin_user):
    # given
    sales = Department.objects.create(name="Отдел продаж")
    seller = Position.objects.create(department=sales, name="Менеджер")
    UserFactory(login="anna", department=sales, position=seller)
    empty = Department.objects.create(name="Пустой отдел")
    # when
    with pytest.raises(Refused) as department_refused:
        services.department_delete(acting_user=admin_user, department_id=sales.pk)
    with pytest.raises(Refused) as position_refused:
        services.position_delete(acting_user=admin_user, position_id=seller.pk)
    shown = admin_client.post(reverse("core:structure_position_delete", args=[seller.pk]), follow=True)
    deleted = admin_client.post(reverse("core:structure_department_delete", args=[empty.pk]))
    # then
    assert department_refused.value.message == (
        "Подразделение используется (должностей: 1, пользователей: 1), удалить его нельзя; сделайте его неактивным."
    )
    assert position_refused.value.message == (
        "Должность занимают пользователи (1), удалить её нельзя; сделайте её неактивной."
    )
    assert "Должность занимают пользователи (1)" in shown.content.decode()
    assert Position.objects.filter(pk=seller.pk).exists()
    assert deleted.status_code == 302 and not Department.objects.filter(pk=empty.pk).exists()


@pytest.mark.feature("ORG-02")
def test_user_card_offers_positions_of_the_chosen_department(admin_client, manager_user):
    # given
    sales, store = Department.objects.create(name="Отдел продаж"), Department.objects.create(name="Склад")
    seller = Position.objects.create(department=sales, name="Менеджер")
    keeper = Position.objects.create(department=store, name="Кладовщик")
    Position.objects.create(department=store, name="Грузчик", is_active=False)
    url = reverse("accounts:user_edit", args=[manager_user.pk])
    base = {"full_name": manager_user.full_name, "login": manager_user.login, "language": "ru", "role": "manager",
            "client_scope": "own", "tab": "general"}
    # when
    page = admin_client.get(url)
    mismatch = admin_client.post(url, {**base, "department": sales.pk, "position": keeper.pk})
    by_position = admin_client.post(url, {**base, "position": seller.pk})
    # then
    html = page.content.decode()
    assert f'data-department="{sales.pk}"' in html and f'data-department="{store.pk}"' in html
    assert "Грузчик" not in html  # inactive positions are not offered
    assert mismatch.status_code == 400
    assert mismatch.context["form"].errors["position"] == ["Выберите должность выбранного подразделения."]
    assert by_position.status_code == 302
    manager_user.refresh_from_db()
    assert (manager_user.department, manager_user.position) == (sales, seller)


@pytest.mark.feature("ORG-02")
def test_an_inactive_position_stays_on_the_card_that_has_it(admin_client, manager_user):
    # given
    sales = Department.objects.create(name="Отдел продаж")
    old = Position.objects.create(department=sales, name="Стажёр")
    User.objects.filter(pk=manager_user.pk).update(department=sales, position=old)
    old.is_active = False
    old.save()
    # when
    page = admin_client.get(reverse("accounts:user_edit", args=[manager_user.pk]))
    # then
    assert page.context["form"]["position"].value() == old.pk
    assert "Стажёр" in page.content.decode()


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


@pytest.mark.feature("ORG-02")
def test_structure_pages_are_for_administrators_only(manager_client):
    # given
    sales = Department.objects.create(name="Отдел продаж")
    # when
    pages = [
        manager_client.get(reverse("core:structure")),
        manager_client.get(reverse("core:structure_department", args=[sales.pk])),
        manager_client.post(reverse("core:structure_department_new"), {"name": "Взлом", "order": "0"}),
    ]
    # then
    assert [page.status_code for page in pages] == [403, 403, 403]
    assert not Department.objects.filter(name="Взлом").exists()
