"""Settings → Functionality (ORG-05) and Settings → Parameters (ACC-07)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kontora.accounts.models import User
from kontora.core import hooks
from kontora.core.hooks import MenuItem
from kontora.core.models import SystemSettings, UserParameters
from kontora.core.selectors.settings import block_enabled, system_settings
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in


def _checked(html: str, name: str) -> bool:
    """Whether the page's check box `name` is ticked (the attributes between name and checked vary)."""
    return re.search(rf'<input type="checkbox" name="{name}"[^>]*? checked', html) is not None


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


FORM = {"language": "ru", "informer_at_start": "on", "show_tasks_at_login": "", "report_overdue_at_login": ""}


# --- Settings → Functionality ------------------------------------------------------------------


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


# --- Settings → Parameters ------------------------------------------------------------------------


@pytest.mark.feature("ACC-07")
def test_parameters_page_shows_the_tabs_with_current_values(manager_client):
    # when
    response = manager_client.get("/settings/parameters/")
    html = response.content.decode()
    # then
    assert response.status_code == 200
    for tab in ["Общие", "Информатор", "Вход в систему"]:
        assert f">{tab}</button>" in html
    assert '<label class="form-label small mb-0 k-required" for="id_language">Язык интерфейса</label>' in html
    assert '<option value="ru" selected>Русский</option>' in html
    assert '<option value="en">English</option>' in html
    assert "Показывать журнал задач при запуске системы" in html
    assert "Информировать о просроченных задачах" in html
    assert _checked(html, "informer_at_start")


@pytest.mark.feature("ACC-07")
def test_parameters_are_saved_per_user(manager_user, supervisor_user, admin_user):
    # given
    manager = signed_in(manager_user)
    supervisor = signed_in(supervisor_user)
    # when
    manager.post("/settings/parameters/", {**FORM, "informer_at_start": "", "show_tasks_at_login": "on"})
    supervisor.post("/settings/parameters/", {**FORM, "report_overdue_at_login": "on"})
    # then
    mine = UserParameters.objects.get(user=manager_user)
    theirs = UserParameters.objects.get(user=supervisor_user)
    assert (mine.informer_at_start, mine.show_tasks_at_login, mine.report_overdue_at_login) == (False, True, False)
    assert (theirs.informer_at_start, theirs.show_tasks_at_login, theirs.report_overdue_at_login) == (True, False, True)
    assert _checked(manager.get("/settings/parameters/").content.decode(), "show_tasks_at_login")
    assert not _checked(supervisor.get("/settings/parameters/").content.decode(), "show_tasks_at_login")


@pytest.mark.feature("ACC-07")
def test_ok_returns_to_the_main_window_with_a_confirmation(manager_client):
    # when
    response = manager_client.post("/settings/parameters/", FORM, follow=True)
    # then
    assert response.redirect_chain == [("/", 302)]
    assert "Параметры сохранены." in response.content.decode()


@pytest.mark.feature("ACC-07")
def test_apply_stays_on_the_same_tab(manager_client):
    # when
    response = manager_client.post("/settings/parameters/", {**FORM, "tab": "login", "apply": "1"}, follow=True)
    # then
    assert response.redirect_chain == [("/settings/parameters/?tab=login", 302)]
    html = response.content.decode()
    assert 'class="nav-link active" id="tab-login"' in html
    assert 'class="tab-pane show active" id="pane-login"' in html


@pytest.mark.feature("ACC-07")
def test_switching_the_language_to_english_changes_the_interface_at_once(manager_user, admin_user):
    # given
    client = signed_in(manager_user)
    assert "<title>Главное окно · Kontora</title>" in client.get("/").content.decode()
    # when
    response = client.post("/settings/parameters/", {**FORM, "language": "en"}, follow=True)
    # then
    html = response.content.decode()
    assert "<title>Main window · Kontora</title>" in html
    assert "Parameters saved." in html
    assert '<html lang="en">' in html
    assert "Welcome, Алексей Менеджеров" in html
    assert User.objects.get(pk=manager_user.pk).language == "en"


@pytest.mark.feature("ACC-07")
def test_the_language_of_one_user_does_not_change_another(manager_user, supervisor_user, admin_user):
    # given
    signed_in(manager_user).post("/settings/parameters/", {**FORM, "language": "en"})
    # when
    html = signed_in(supervisor_user).get("/").content.decode()
    # then
    assert "<title>Главное окно · Kontora</title>" in html


@pytest.mark.feature("ACC-07")
def test_unknown_language_is_refused_next_to_the_field(manager_user, admin_user):
    # given
    client = signed_in(manager_user)
    # when
    response = client.post("/settings/parameters/", {**FORM, "language": "de", "informer_at_start": ""})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert ('<div class="invalid-feedback d-block" id="id_language_error" data-testid="error-language">'
            'Выберите корректный вариант. de нет среди допустимых значений.</div>' in html)
    assert 'class="nav-link active text-danger" id="tab-general"' in html
    assert not UserParameters.objects.filter(user=manager_user, informer_at_start=False).exists()


def test_parameters_need_sign_in(admin_user):
    response = Client().get("/settings/parameters/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/settings/parameters/"


# --- the clock: a user's time zone (Parameters), the office's zone and working day (Functionality) -----------


@pytest.mark.feature("ACC-07")
def test_parameters_offer_the_office_zone_then_russias_zones_then_the_rest_and_save_the_choice(manager_user):
    # given
    client = signed_in(manager_user)
    html = client.get("/settings/parameters/").content.decode()
    # then the picker starts with the office's zone, then Kaliningrad … Kamchatka, each with its offset
    options = re.findall(r'<option value="([^"]*)"', html.split('name="time_zone"', 1)[1].split("</select>", 1)[0])
    assert options[:4] == ["", "Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara"]
    assert options[12] == "Asia/Kamchatka" and "America/New_York" in options
    assert "Как в офисе (Europe/Moscow)" in html and "Asia/Kamchatka (+12:00)" in html
    # when he chooses Novosibirsk
    response = client.post("/settings/parameters/", {**FORM, "time_zone": "Asia/Novosibirsk"})
    # then it is kept, and his pages are on its clock
    assert response.status_code == 302
    assert UserParameters.objects.get(user=manager_user).time_zone == "Asia/Novosibirsk"
    assert "Asia/Novosibirsk" in client.get("/help/about/").content.decode()


@pytest.mark.feature("ACC-07")
def test_a_zone_not_offered_is_refused_next_to_the_field(manager_user):
    client = signed_in(manager_user)
    response = client.post("/settings/parameters/", {**FORM, "time_zone": "Mars/Olympus", "informer_at_start": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-time_zone"' in html
    assert not UserParameters.objects.filter(user=manager_user, informer_at_start=False).exists()


@pytest.mark.feature("PLN-02")
def test_the_administrator_sets_the_office_zone_and_working_day(admin_client):
    # when
    response = admin_client.post("/settings/functionality/", {
        **ALL_ON, "time_zone": "Asia/Yekaterinburg", "work_start": "08:30", "work_end": "17:30", "apply": "1"})
    # then
    assert response.status_code == 302
    system = system_settings()
    assert (system.time_zone, f"{system.work_start:%H:%M}", f"{system.work_end:%H:%M}") == (
        "Asia/Yekaterinburg", "08:30", "17:30")
    html = admin_client.get("/settings/functionality/").content.decode()
    assert 'value="08:30"' in html and '<option value="Asia/Yekaterinburg" selected>' in html


@pytest.mark.feature("PLN-02")
def test_a_working_day_ending_before_it_starts_is_refused_next_to_its_end(admin_client):
    # when
    response = admin_client.post("/settings/functionality/", {
        **ALL_ON, "login_user_list": "on", "work_start": "18:00", "work_end": "09:00"})
    # then the form comes back with the reason beside the end, and nothing is saved
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-work_end"' in html and "должен заканчиваться позже" in html
    system = SystemSettings.objects.filter(pk=1).first()
    assert system is None or (system.login_user_list is False and f"{system.work_end:%H:%M}" == "18:00")
