"""Who may change directories (DIR-01): holders of the edit right; everyone signed in views and picks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from kontora.accounts.models import UserRight
from kontora.directories import registry, services
from kontora.directories.models import Unit
from tests.support.http import signed_in

pytestmark = pytest.mark.feature("DIR-01")


@pytest.fixture
def unit(admin_user: Any) -> Unit:
    return services.directory_item_save(  # type: ignore[return-value]
        acting_user=admin_user, directory=registry.get("units"), pk=None,
        data={"name": "Бобина тестовая", "short_name": "боб", "okei": ""},
    )


def test_manager_sees_lists_without_edit_buttons(unit: Unit, manager_client: Client) -> None:
    # when
    response = manager_client.get(reverse("directories:list", args=["units"]))

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Бобина тестовая" in page
    assert 'data-testid="directory-new"' not in page
    assert "data-href" not in page
    assert "Изменять справочники могут только пользователи с правом их редактирования" in page


def test_manager_picks_values(unit: Unit, manager_client: Client) -> None:
    # when
    response = manager_client.get(reverse("directories:pick", args=["units"]), {"q": "боб"})

    # then
    assert response.status_code == 200
    assert f'data-pick="{unit.pk}"' in response.content.decode()


def test_manager_is_refused_new_edit_and_delete(unit: Unit, manager_client: Client) -> None:
    # when
    answers = [
        manager_client.get(reverse("directories:new", args=["units"])),
        manager_client.post(reverse("directories:new", args=["units"]), {"name": "Чужая", "short_name": "ч"}),
        manager_client.get(reverse("directories:edit", args=["units", unit.pk])),
        manager_client.post(reverse("directories:edit", args=["units", unit.pk]), {"name": "Взлом", "short_name": "в"}),
        manager_client.post(reverse("directories:delete", args=["units", unit.pk])),
        manager_client.post(reverse("directories:deactivate", args=["units", unit.pk])),
    ]

    # then
    assert [a.status_code for a in answers] == [403] * 6
    unit.refresh_from_db()
    assert (unit.name, unit.is_active) == ("Бобина тестовая", True)
    assert not Unit.objects.filter(name="Чужая").exists()


def test_nomenclature_right_does_not_open_ordinary_directories(unit: Unit, manager_user: Any) -> None:
    # given: a manager allowed to edit the nomenclature only
    UserRight.objects.create(user=manager_user, code="edit_nomenclature")
    client = signed_in(manager_user)

    # when
    response = client.get(reverse("directories:edit", args=["units", unit.pk]))
    listing = client.get(reverse("directories:list", args=["units"])).content.decode()

    # then
    assert response.status_code == 403
    assert 'data-testid="directory-new"' not in listing


def test_granted_edit_directories_right_lets_a_manager_edit(unit: Unit, manager_user: Any) -> None:
    # given
    UserRight.objects.create(user=manager_user, code="edit_directories")
    client = signed_in(manager_user)

    # when
    response = client.post(reverse("directories:edit", args=["units", unit.pk]),
                           {"name": "Бобина большая", "short_name": "боб", "okei": "", "is_active": "on"})

    # then
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Бобина большая"


def test_administrator_sees_edit_buttons(unit: Unit, admin_client: Client) -> None:
    # when
    page = admin_client.get(reverse("directories:list", args=["units"])).content.decode()

    # then
    assert 'data-testid="directory-new"' in page
    assert f'data-href="{reverse("directories:edit", args=["units", unit.pk])}"' in page


def test_services_refuse_without_the_right(unit: Unit, manager_user: Any) -> None:
    # given
    units = registry.get("units")

    # when / then
    with pytest.raises(PermissionDenied):
        services.directory_item_save(acting_user=manager_user, directory=units, pk=unit.pk, data={"name": "Х"})
    with pytest.raises(PermissionDenied):
        services.directory_item_delete(acting_user=manager_user, directory=units, pk=unit.pk)
    with pytest.raises(PermissionDenied):
        services.directory_item_set_active(acting_user=manager_user, directory=units, pk=unit.pk, active=False)


def test_anonymous_goes_to_the_login_page(unit: Unit, client: Client) -> None:
    # when
    answers = [
        client.get(reverse("directories:list", args=["units"])),
        client.get(reverse("directories:pick", args=["units"])),
        client.get(reverse("directories:edit", args=["units", unit.pk])),
    ]

    # then
    assert all(a.status_code == 302 and a["Location"].startswith("/login/") for a in answers)
