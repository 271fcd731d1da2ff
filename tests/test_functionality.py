from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from kontora.core import hooks
from kontora.core.hooks import MenuItem
from kontora.core.models import SystemSettings
from kontora.core.selectors.settings import block_enabled, system_settings
from kontora.core.services.settings import system_settings_update
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in

ALL_ON = {
    "sales_enabled": "on", "works_enabled": "on", "warehouse_enabled": "on", "cash_enabled": "on",
    "security_tab_enabled": "on", "shipping_tab_enabled": "on",
}


@pytest.fixture
def stock_menu():
    """A Warehouse section whose items belong to the warehouse block, as the stock feature will add them."""
    items = [
        MenuItem("warehouse", "Складские документы", "core:about", block="warehouse"),
        MenuItem("warehouse", "Горячие клавиши", "core:shortcuts"),
        MenuItem("cash", "Кассовые ордера", "core:about", block="cash"),
    ]
    for item in items:
        hooks.MENU.register(item)
    yield
    for item in items:
        hooks.MENU.unregister((item.section, item.url_name, item.args))


@pytest.mark.feature("ORG-05")
def test_functionality_page_shows_every_block_and_the_login_option(admin_client):
    # when
    response = admin_client.get("/settings/functionality/")
    html = response.content.decode()
    # then
    assert response.status_code == 200
    for label in [
        "Учёт продаж", "Учёт работ/услуг", "Складской учёт", "Кассовый учёт",
        "Вкладка «Безопасность» карточки клиента", "Вкладка «Отгрузочные реквизиты» карточки клиента",
        "Выбор пользователя из списка на странице входа",
    ]:
        assert f">{label}</label>" in html
    assert 'name="warehouse_enabled" id="id_warehouse_enabled" checked' in html
    assert 'name="login_user_list" id="id_login_user_list" aria-describedby="id_login_user_list_help">' in html


@pytest.mark.feature("ORG-05")
def test_switched_off_block_disappears_from_the_menu(admin_client, manager_user, stock_menu):
    # given
    manager = signed_in(manager_user)
    assert "Складские документы" in manager.get("/").content.decode()
    # when
    response = admin_client.post("/settings/functionality/", {**ALL_ON, "warehouse_enabled": ""}, follow=True)
    # then
    assert response.redirect_chain == [("/", 302)]
    assert "Настройки функционала сохранены." in response.content.decode()
    html = manager.get("/").content.decode()
    assert "Складские документы" not in html
    assert 'data-menu="warehouse"' in html  # the section keeps its items of other blocks
    assert "Кассовые ордера" in html


@pytest.mark.feature("ORG-05")
def test_a_section_whose_only_block_is_off_disappears(admin_client, stock_menu):
    # when
    admin_client.post("/settings/functionality/", {**ALL_ON, "cash_enabled": ""})
    # then
    html = admin_client.get("/").content.decode()
    assert 'data-menu="cash"' not in html
    assert "Касса" not in re.sub(r"<details.*?</details>", "", html, flags=re.S)


@pytest.mark.feature("ORG-05")
def test_switching_a_block_back_on_restores_its_items(admin_client, stock_menu):
    # given
    admin_client.post("/settings/functionality/", {**ALL_ON, "warehouse_enabled": ""})
    # when
    admin_client.post("/settings/functionality/", ALL_ON)
    # then
    assert "Складские документы" in admin_client.get("/").content.decode()


@pytest.mark.feature("ORG-05")
def test_every_toggle_is_stored(admin_client):
    # when
    response = admin_client.post("/settings/functionality/", {"login_user_list": "on", "apply": "1"})
    # then
    assert response.status_code == 302
    assert response["Location"] == "/settings/functionality/"
    system = SystemSettings.objects.get(pk=1)
    flags = [system.sales_enabled, system.works_enabled, system.warehouse_enabled, system.cash_enabled,
             system.security_tab_enabled, system.shipping_tab_enabled]
    assert flags == [False] * 6
    assert system.login_user_list is True
    assert [block_enabled(system, b) for b in ["sales", "works", "warehouse", "cash", "security_tab",
                                                "shipping_tab"]] == [False] * 6


@pytest.mark.feature("ORG-05", "ACC-01")
def test_login_user_list_option_offers_the_users_on_the_login_page(admin_client, manager_user):
    # given
    assert '<select class="form-select" name="login"' not in Client().get("/login/").content.decode()
    # when
    admin_client.post("/settings/functionality/", {**ALL_ON, "login_user_list": "on"})
    # then
    html = Client().get("/login/").content.decode()
    assert '<select class="form-select" name="login" id="id_login" autofocus>' in html
    assert "Алексей Менеджеров (manager)" in html


@pytest.mark.feature("ORG-05")
@pytest.mark.parametrize("role", ["manager", "supervisor", "specialist"])
def test_non_administrator_gets_403_on_functionality(admin_user, role):
    # given
    client = signed_in(UserFactory(login=f"u-{role}", role=role))
    # when
    get = client.get("/settings/functionality/")
    post = client.post("/settings/functionality/", {})
    # then
    assert get.status_code == post.status_code == 403
    assert "Доступ запрещён" in get.content.decode()
    assert system_settings().sales_enabled is True


def test_functionality_needs_sign_in(admin_user):
    response = Client().get("/settings/functionality/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/settings/functionality/"


def test_service_refuses_a_user_without_the_configure_right(manager_user):
    with pytest.raises(PermissionDenied):
        system_settings_update(acting_user=manager_user, cash_enabled=False)
    assert system_settings().cash_enabled is True


def test_block_enabled_knows_only_the_real_blocks(db):
    with pytest.raises(ValueError, match="unknown functionality block 'stock'"):
        block_enabled(system_settings(), "stock")
