from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from kontora.accounts.models import User
from kontora.core.models import UserParameters
from kontora.core.services.settings import user_language_set, user_parameters_update
from tests.support.http import signed_in

FORM = {"language": "ru", "informer_at_start": "on", "show_tasks_at_login": "", "report_overdue_at_login": ""}


@pytest.mark.feature("ACC-07")
def test_parameters_page_shows_the_tabs_with_current_values(manager_client):
    # when
    response = manager_client.get("/settings/parameters/")
    html = response.content.decode()
    # then
    assert response.status_code == 200
    for tab in ["Общие", "Информатор", "Вход в систему"]:
        assert f">{tab}</button>" in html
    assert '<label class="form-label k-required" for="id_language">Язык интерфейса</label>' in html
    assert '<option value="ru" selected>Русский</option>' in html
    assert '<option value="en">English</option>' in html
    assert "Показывать журнал задач при запуске системы" in html
    assert "Информировать о просроченных задачах" in html
    assert 'name="informer_at_start" id="id_informer_at_start" checked' in html


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
    assert 'name="show_tasks_at_login" id="id_show_tasks_at_login" checked' in manager.get(
        "/settings/parameters/").content.decode()
    assert 'name="show_tasks_at_login" id="id_show_tasks_at_login" checked' not in supervisor.get(
        "/settings/parameters/").content.decode()


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
    assert ('<div class="invalid-feedback">Выберите корректный вариант. de нет среди допустимых значений.</div>'
            in html)
    assert 'class="nav-link active text-danger" id="tab-general"' in html
    assert not UserParameters.objects.filter(user=manager_user, informer_at_start=False).exists()


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


def test_parameters_need_sign_in(admin_user):
    response = Client().get("/settings/parameters/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/settings/parameters/"
