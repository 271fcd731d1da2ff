"""Administration → Enterprise: structure (ORG-02), and the user card's department and position."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kontora.accounts.models import User
from kontora.core.models import Department, Position
from tests.accounts.factories import UserFactory
from tests.core.factories import DepartmentFactory, PositionFactory
from tests.support.queries import count_queries


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
def test_items_in_use_cannot_be_deleted_only_deactivated(admin_client):
    # given
    sales = Department.objects.create(name="Отдел продаж")
    seller = Position.objects.create(department=sales, name="Менеджер")
    UserFactory(login="anna", department=sales, position=seller)
    empty = Department.objects.create(name="Пустой отдел")
    # when
    shown = admin_client.post(reverse("core:structure_position_delete", args=[seller.pk]), follow=True)
    deleted = admin_client.post(reverse("core:structure_department_delete", args=[empty.pk]))
    # then
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


@pytest.mark.feature("ORG-02")
def test_structure_page_costs_the_same_queries_whatever_the_number_of_items(admin_client):
    # given: a page already seen once (the session's own bookkeeping is done)
    PositionFactory()
    admin_client.get(reverse("core:structure"))
    with count_queries() as few:
        admin_client.get(reverse("core:structure"))
    for department in DepartmentFactory.create_batch(4):
        PositionFactory.create_batch(3, department=department)
    # when
    with count_queries() as many:
        response = admin_client.get(reverse("core:structure"))
    # then
    assert response.content.decode().count("Должность ") == 13
    assert len(many) == len(few)


@pytest.mark.feature("ORG-02")
@pytest.mark.parametrize("order", [str(2**31), str(2**63), str(10**30), "-" + str(2**31 + 1)])
def test_an_order_past_an_integer_column_is_refused_next_to_it(admin_client, order):
    # when the administrator types an order no integer column holds (2⁶³ overflowed SQLite's driver: a 500)
    response = admin_client.post(reverse("core:structure_department_new"), {"name": "Отдел", "order": order})
    # then the form comes back refused, with Django's message beside the field, and nothing is added
    assert response.status_code == 400
    assert "Убедитесь, что это значение" in response.content.decode()
    assert not Department.objects.exists()
    # (a positive control: the largest order the column holds is taken)
    assert admin_client.post(reverse("core:structure_department_new"),
                             {"name": "Отдел", "order": str(2**31 - 1)}).status_code == 302
