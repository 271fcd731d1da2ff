"""Administration → Users through its pages: the list, the user card, last-administrator protection, dismissal."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from kontora.accounts.models import User, UserRight, UserSession
from kontora.core.models import AuditEvent, Department, Position
from tests.accounts.factories import UserFactory
from tests.support.http import PASSWORD, signed_in
from tests.support.queries import count_queries

LAST_ADMIN = (
    "В системе всегда должен быть как минимум один администратор: "
    "этот пользователь — последний действующий администратор."
)
LOGIN_TAKEN = "Пользователь с таким логином уже существует (регистр букв в логине не различается)."


class _Elements(HTMLParser):
    """Collects the attributes of the tags of one kind (inputs, buttons) from a page."""

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag = tag
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag:
            self.found.append(dict(attrs))


def elements(html: str, tag: str = "input") -> list[dict[str, str | None]]:
    parser = _Elements(tag)
    parser.feed(html)
    return parser.found


def right_box(response: Any, code: str) -> dict[str, str | None]:
    [box] = [e for e in elements(response.content.decode()) if e.get("data-code") == code]
    return box


def errors_for(response: Any, field: str) -> list[str]:
    """The messages shown next to one field of the card."""
    return [str(error) for error in response.context["form"].errors.get(field, [])]


def card_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": "Анна Менеджерова", "login": "anna", "doc_prefix": "АМ", "email": "anna@example.ru",
        "mobile": "+7 900 000-00-00",
        "language": "ru", "password": "Sekret-Parol-42", "password_confirm": "Sekret-Parol-42",
        "role": "manager", "client_scope": "own", "tab": "general",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def edit_data(user: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": user.full_name, "login": user.login, "position": user.position_id,
        "department": user.department_id, "doc_prefix": user.doc_prefix, "email": user.email, "mobile": user.mobile,
        "language": user.language, "role": user.role, "client_scope": user.client_scope, "tab": "general",
        "password": "", "password_confirm": "",
        "rights": sorted(UserRight.objects.filter(user=user).values_list("code", flat=True)),
    }
    if user.disabled:
        data["disabled"] = "on"
    if user.dismissed:
        data["dismissed"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.feature("ACC-02")
def test_admin_creates_a_manager_with_a_document_prefix(admin_client):
    # given
    url = reverse("accounts:user_new")
    sales = Department.objects.create(name="Отдел продаж")
    seller = Position.objects.create(department=sales, name="Менеджер по продажам")
    # when
    response = admin_client.post(url, card_data(department=sales.pk, position=seller.pk))
    # then
    assert response.status_code == 302
    assert response.url == reverse("accounts:users")
    user = User.objects.get(login="anna")
    assert (user.full_name, user.position.name, user.department.name, user.doc_prefix) == (
        "Анна Менеджерова", "Менеджер по продажам", "Отдел продаж", "АМ",
    )
    assert (user.email, user.mobile, user.role, user.client_scope) == (
        "anna@example.ru", "+7 900 000-00-00", "manager", "own",
    )
    assert user.is_active and not user.is_admin
    assert Client().post("/login/", {"login": "anna", "password": "Sekret-Parol-42"}).status_code == 302


@pytest.mark.feature("ACC-02", "ACC-03", "ACC-04")
def test_admin_creates_a_supervisor_with_extra_rights(admin_client):
    # given
    data = card_data(
        full_name="Сергей Супервизоров", login="sergey", doc_prefix="СС", role="supervisor",
        client_scope="list_all", rights=["mailing", "group_processing"],
    )
    # when
    response = admin_client.post(reverse("accounts:user_new"), data)
    # then
    assert response.status_code == 302
    user = User.objects.get(login="sergey")
    assert user.role == "supervisor" and user.client_scope == "list_all"
    assert set(UserRight.objects.filter(user=user).values_list("code", flat=True)) == {"mailing", "group_processing"}
    assert user.has_right("mailing") and user.has_right("journals_all_users")
    assert not user.has_right("edit_directories")


@pytest.mark.feature("ACC-02")
def test_the_users_list_shows_every_user_with_state(admin_client, manager_user):
    # given
    UserFactory(login="gone", full_name="Уволенный Сотрудник", dismissed=True, disabled=True)
    store = Department.objects.create(name="Склад")
    UserFactory(login="off", full_name="Отключённый Сотрудник", disabled=True, department=store,
                position=Position.objects.create(department=store, name="Кладовщик"))
    # when
    response = admin_client.get(reverse("accounts:users"))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    rows = {row["user"].login: row for row in response.context["rows"]}
    assert {login: row["state"]["label"] for login, row in rows.items()} == {
        "admin": "действует", "manager": "действует", "gone": "уволен", "off": "отключён",
    }
    assert "Алексей Менеджеров" in html and "Кладовщик" in html and "АМ" in html
    [new_button] = [a for a in elements(html, "a") if a.get("data-key") == "Insert"]
    assert new_button["href"] == reverse("accounts:user_new")
    hrefs = {tr.get("data-href") for tr in elements(html, "tr") if "data-row" in tr}
    assert reverse("accounts:user_edit", args=[manager_user.pk]) in hrefs


@pytest.mark.feature("ACC-02")
def test_the_users_list_sorts_by_a_column(admin_client, manager_user, supervisor_user):
    # when
    ascending = admin_client.get(reverse("accounts:users"), {"sort": "login"})
    descending = admin_client.get(reverse("accounts:users"), {"sort": "-login"})
    # then
    assert [row["user"].login for row in ascending.context["rows"]] == ["admin", "manager", "super"]
    assert [row["user"].login for row in descending.context["rows"]] == ["super", "manager", "admin"]


@pytest.mark.feature("ACC-02")
@pytest.mark.parametrize("login", ["MANAGER", "Manager", " manager "])
def test_login_is_unique_whatever_the_letter_case(admin_client, manager_user, login):
    # when
    response = admin_client.post(reverse("accounts:user_new"), card_data(login=login))
    # then
    assert response.status_code == 400
    assert errors_for(response, "login") == [LOGIN_TAKEN]
    assert User.objects.count() == 2


@pytest.mark.feature("ACC-02")
def test_card_errors_are_shown_next_to_the_fields_and_nothing_is_saved(admin_client):
    # given
    data = card_data(full_name="", login="with space", email="not-an-email", password_confirm="Другой-Пароль-1")
    # when
    response = admin_client.post(reverse("accounts:user_new"), data)
    # then
    assert response.status_code == 400
    assert errors_for(response, "full_name") == ["Обязательное поле."]
    assert errors_for(response, "login") == [
        "Логин может содержать только буквы, цифры и символы . _ - @, без пробелов."
    ]
    assert errors_for(response, "email") == ["Введите правильный адрес электронной почты."]
    assert errors_for(response, "password_confirm") == ["Пароли не совпадают."]
    assert 'data-testid="error-login"' in response.content.decode()
    assert not User.objects.filter(login="with space").exists()


@pytest.mark.feature("ACC-02")
def test_a_new_user_needs_a_password_that_passes_the_rules(admin_client):
    # when
    missing = admin_client.post(reverse("accounts:user_new"), card_data(password="", password_confirm=""))
    weak = admin_client.post(reverse("accounts:user_new"), card_data(password="12345678", password_confirm="12345678"))
    # then
    assert errors_for(missing, "password") == ["Обязательное поле."]
    assert "Введённый пароль слишком широко распространён." in errors_for(weak, "password")
    assert not User.objects.filter(login="anna").exists()


@pytest.mark.feature("ACC-02")
def test_apply_saves_and_stays_on_the_card_ok_returns_to_the_list(admin_client, manager_user):
    # given
    url = reverse("accounts:user_edit", args=[manager_user.pk])
    sales, wholesale = Department.objects.create(name="Отдел продаж"), Department.objects.create(name="Опт")
    senior = Position.objects.create(department=sales, name="Старший менеджер")
    wholesaler = Position.objects.create(department=wholesale, name="Менеджер опта")
    # when
    applied = admin_client.post(url, {**edit_data(manager_user, position=senior.pk), "apply": ""})
    manager_user.refresh_from_db()
    applied_rights = admin_client.post(url, {**edit_data(manager_user, tab="rights"), "apply": ""})
    ok = admin_client.post(url, edit_data(manager_user, department=wholesale.pk, position=wholesaler.pk))
    # then
    assert applied.url == url
    assert applied_rights.url == reverse("accounts:user_rights", args=[manager_user.pk])
    assert ok.url == reverse("accounts:users")
    manager_user.refresh_from_db()
    assert (manager_user.position.name, manager_user.department.name) == ("Менеджер опта", "Опт")
    follow = admin_client.get(url)
    assert follow.context["form"]["position"].value() == wholesaler.pk


@pytest.mark.feature("ACC-02")
def test_a_new_user_applied_opens_its_own_card(admin_client):
    # when
    response = admin_client.post(reverse("accounts:user_new"), {**card_data(), "apply": ""})
    # then
    user = User.objects.get(login="anna")
    assert response.url == reverse("accounts:user_edit", args=[user.pk])
    page = admin_client.get(response.url)
    assert "Пользователь Анна Менеджерова сохранён." in page.content.decode()


@pytest.mark.feature("ACC-02")
def test_the_card_shows_the_general_tab_fields_with_labels(admin_client, manager_user):
    # when
    response = admin_client.get(reverse("accounts:user_edit", args=[manager_user.pk]))
    # then
    html = response.content.decode()
    for label in ("ФИО", "Логин", "Должность", "Подразделение", "Префикс номеров документов", "Рабочий e-mail",
                  "Мобильный телефон", "Отключить учётную запись", "Сотрудник уволен", "Язык интерфейса",
                  "Новый пароль", "Новый пароль ещё раз", "Общие сведения", "Права"):
        assert f">{label}<" in html, label
    assert 'class="form-label small mb-0 k-required" for="id_full_name"' in html
    assert 'class="form-label small mb-0" for="id_password"' in html


@pytest.mark.feature("ACC-02")
def test_a_new_password_replaces_the_old_one_and_ends_the_users_sessions(admin_client, manager_user):
    # given
    manager = signed_in(manager_user)
    url = reverse("accounts:user_edit", args=[manager_user.pk])
    data = edit_data(manager_user, password="Novyi-Parol-77", password_confirm="Novyi-Parol-77")
    # when
    response = admin_client.post(url, data)
    # then
    assert response.status_code == 302
    assert manager.get("/").status_code == 302
    assert not UserSession.objects.filter(user=manager_user).exists()
    assert Client().post("/login/", {"login": "manager", "password": PASSWORD}).status_code == 401
    assert Client().post("/login/", {"login": "manager", "password": "Novyi-Parol-77"}).status_code == 302


@pytest.mark.feature("ACC-02")
def test_an_administrator_changing_their_own_password_stays_signed_in(admin_client, admin_user):
    # when
    response = admin_client.post(
        reverse("accounts:user_edit", args=[admin_user.pk]),
        edit_data(admin_user, password="Novyi-Parol-77", password_confirm="Novyi-Parol-77"),
    )
    # then
    assert response.status_code == 302
    assert admin_client.get(reverse("accounts:users")).status_code == 200


@pytest.mark.feature("ACC-03")
def test_the_rights_tab_shows_the_roles_base_rights_checked_and_locked(admin_client, supervisor_user):
    # when
    response = admin_client.get(reverse("accounts:user_rights", args=[supervisor_user.pk]))
    # then
    assert response.context["tab"] == "rights"
    journals = right_box(response, "journals_all_users")
    assert "checked" in journals and "disabled" in journals
    mailing = right_box(response, "mailing")
    assert "checked" not in mailing and "disabled" not in mailing and mailing["name"] == "rights"
    users = right_box(response, "manage_users")
    assert "disabled" in users and "checked" not in users and "name" not in users
    html = response.content.decode()
    assert (
        "Базовый набор прав и разрешений менеджера, но может видеть информацию в журналах "
        "и собирать отчёты по всем сотрудникам."
    ) in html
    assert ">из роли<" in html
    assert ">Разрешения доступа<" in html and ">Дополнительные разрешения<" in html
    for scope in ("Видит и работает только со своими клиентами", "Видит всех клиентов и работает со всеми"):
        assert scope in html


@pytest.mark.feature("ACC-03")
def test_an_administrators_card_shows_all_the_administrators_base_rights(admin_client, admin_user):
    # when
    response = admin_client.get(reverse("accounts:user_rights", args=[admin_user.pk]))
    # then
    for code in ("manage_users", "configure_system", "edit_directories", "import_data", "mailing"):
        box = right_box(response, code)
        assert "checked" in box and "disabled" in box, code
    assert "checked" not in right_box(response, "keep_private_clients")


@pytest.mark.feature("ACC-04")
def test_rights_are_granted_and_withdrawn_on_the_card(admin_client, manager_user):
    # given
    url = reverse("accounts:user_edit", args=[manager_user.pk])
    # when
    admin_client.post(url, edit_data(manager_user, rights=["keep_private_clients", "edit_nomenclature"],
                                     client_scope="open_all"))
    granted = set(UserRight.objects.filter(user=manager_user).values_list("code", flat=True))
    page = admin_client.get(reverse("accounts:user_rights", args=[manager_user.pk]))
    manager_user.refresh_from_db()
    admin_client.post(url, edit_data(manager_user, rights=["edit_nomenclature"]))
    # then
    assert granted == {"keep_private_clients", "edit_nomenclature"}
    assert "checked" in right_box(page, "keep_private_clients")
    assert "disabled" not in right_box(page, "keep_private_clients")
    assert set(UserRight.objects.filter(user=manager_user).values_list("code", flat=True)) == {"edit_nomenclature"}
    manager_user.refresh_from_db()
    assert manager_user.client_scope == "open_all"


@pytest.mark.feature("ACC-03")
@pytest.mark.parametrize(
    ("change", "field"),
    [({"role": "manager"}, "role"), ({"disabled": "on"}, "disabled"), ({"dismissed": "on"}, "dismissed")],
)
def test_the_last_administrator_cannot_be_demoted_disabled_or_dismissed(admin_client, admin_user, change, field):
    # given
    UserFactory(login="old-admin", role="admin", disabled=True)
    # when
    response = admin_client.post(reverse("accounts:user_edit", args=[admin_user.pk]), edit_data(admin_user, **change))
    # then
    assert response.status_code == 400
    assert errors_for(response, field) == [LAST_ADMIN]
    assert f'data-testid="error-{field}"' in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == "admin" and admin_user.is_active


@pytest.mark.feature("ACC-03")
def test_a_demotion_error_opens_the_rights_tab(admin_client, admin_user):
    # when
    response = admin_client.post(reverse("accounts:user_edit", args=[admin_user.pk]),
                                 edit_data(admin_user, role="specialist"))
    # then
    assert response.context["tab"] == "rights"


@pytest.mark.feature("ACC-03")
def test_the_last_administrator_deleting_themselves_is_refused_with_the_message(admin_client, admin_user):
    # when
    response = admin_client.post(reverse("accounts:user_delete", args=[admin_user.pk]), follow=True)
    # then
    assert LAST_ADMIN in response.content.decode()
    assert User.objects.filter(pk=admin_user.pk).exists()


@pytest.mark.feature("ACC-03")
def test_with_two_administrators_one_can_be_demoted_but_not_the_second(admin_client, admin_user):
    # given
    second = UserFactory(login="admin2", full_name="Второй Администратор", role="admin", client_scope="full")
    # when
    demoted = admin_client.post(reverse("accounts:user_edit", args=[second.pk]), edit_data(second, role="supervisor"))
    refused = admin_client.post(reverse("accounts:user_edit", args=[admin_user.pk]),
                                edit_data(admin_user, role="supervisor"))
    # then
    assert demoted.status_code == 302
    second.refresh_from_db()
    assert second.role == "supervisor"
    assert errors_for(refused, "role") == [LAST_ADMIN]


@pytest.mark.feature("ACC-03")
def test_an_administrator_who_gives_up_the_role_lands_in_the_main_window(admin_client, admin_user):
    # given
    UserFactory(login="admin2", role="admin")
    # when
    response = admin_client.post(reverse("accounts:user_edit", args=[admin_user.pk]),
                                 edit_data(admin_user, role="manager"))
    # then
    assert response.url == reverse("core:home")
    assert admin_client.get(reverse("accounts:users")).status_code == 403


@pytest.mark.feature("ACC-03")
def test_with_two_administrators_one_can_be_deleted(admin_client, admin_user):
    # given
    second = UserFactory(login="admin2", full_name="Второй Администратор", role="admin")
    # when
    response = admin_client.post(reverse("accounts:user_delete", args=[second.pk]), follow=True)
    # then
    assert "Пользователь Второй Администратор удалён." in response.content.decode()
    assert not User.objects.filter(pk=second.pk).exists()


@pytest.mark.feature("ACC-02")
def test_deleting_a_user_ends_their_sessions(admin_client, manager_user):
    # given
    manager = signed_in(manager_user)
    key = manager.session.session_key
    # when
    response = admin_client.post(reverse("accounts:user_delete", args=[manager_user.pk]))
    # then
    assert response.url == reverse("accounts:users")
    assert not User.objects.filter(login="manager").exists()
    assert not Session.objects.filter(session_key=key).exists()
    assert manager.get("/").status_code == 302


@pytest.mark.feature("ACC-02", "ACC-01")
@pytest.mark.parametrize(
    ("change", "notice"),
    [
        ({"disabled": "on"}, "Администратор отключил вашу учётную запись. Сеанс завершён."),
        (
            {"dismissed": "on", "disabled": "on"},
            "Ваша учётная запись принадлежит уволенному сотруднику. Сеанс завершён.",
        ),
    ],
)
def test_a_disabled_or_dismissed_user_is_signed_out_at_the_next_request(admin_client, manager_user, change, notice):
    # given
    manager = signed_in(manager_user)
    # when
    response = admin_client.post(reverse("accounts:user_edit", args=[manager_user.pk]),
                                 edit_data(manager_user, **change))
    after = manager.get(reverse("core:home"), follow=True)
    # then
    assert response.status_code == 302
    assert not UserSession.objects.filter(user=manager_user).exists()
    assert after.redirect_chain[0][0].startswith(reverse("accounts:login") + "?reason=")
    assert notice in after.content.decode()
    assert manager.get(reverse("core:home")).status_code == 302


@pytest.mark.feature("ACC-02")
def test_the_audit_says_who_changed_what(admin_client, admin_user, manager_user):
    # when
    admin_client.post(reverse("accounts:user_edit", args=[manager_user.pk]),
                      edit_data(manager_user, role="supervisor", rights=["mailing"]))
    # then
    [row] = AuditEvent.objects.filter(target_type="accounts.user", target_id=manager_user.pk)
    assert (row.actor, row.event, row.summary) == (admin_user, "accounts.user.update", "Пользователь изменён")
    assert row.changes == [
        {"field": "Роль", "old": "Менеджер", "new": "Супервизор"},
        {"field": "Разрешения", "old": "", "new": "E-mail и SMS-рассылка"},
    ]


@pytest.mark.feature("ACC-02")
def test_an_unknown_user_card_is_not_found(admin_client):
    # when
    response = admin_client.get(reverse("accounts:user_edit", args=[999_999]))
    # then
    assert response.status_code == 404


@pytest.mark.feature("ACC-02")
def test_the_users_list_reads_in_a_fixed_number_of_queries(admin_client):
    # given users in departments and positions
    def add_users(first: int, count: int) -> None:
        for number in range(first, first + count):
            department = Department.objects.create(name=f"Отдел {number}")
            UserFactory(login=f"u{number}", department=department, doc_prefix=f"П{number}",
                        position=Position.objects.create(department=department, name=f"Должность {number}"))

    add_users(0, 3)
    admin_client.get(reverse("accounts:users"))
    with count_queries() as few:
        admin_client.get(reverse("accounts:users"), {"sort": "department"})
    # when more users come
    add_users(3, 5)
    with count_queries() as more:
        response = admin_client.get(reverse("accounts:users"), {"sort": "department"})
    # then the page reads them in as many queries
    assert len(response.context["rows"]) == 9
    assert "Должность 7" in response.content.decode()
    assert len(more) == len(few)


@pytest.mark.feature("ACC-02", "ACC-04")
def test_the_user_card_reads_in_a_fixed_number_of_queries(admin_client, manager_user):
    # given a structure of a few departments and positions, and a grant
    def add_structure(first: int, count: int) -> None:
        for number in range(first, first + count):
            department = Department.objects.create(name=f"Отдел {number}")
            Position.objects.create(department=department, name=f"Должность {number}")

    add_structure(0, 2)
    UserRight.objects.create(user=manager_user, code="mailing")
    url = reverse("accounts:user_edit", args=[manager_user.pk])
    admin_client.get(url)
    with count_queries() as few:
        admin_client.get(url)
    # when the structure grows and more rights are granted
    add_structure(2, 6)
    UserRight.objects.create(user=manager_user, code="import_data")
    with count_queries() as more:
        response = admin_client.get(url)
    # then the card reads it in as many queries
    assert "Должность 7" in response.content.decode()
    assert len(more) == len(few)
