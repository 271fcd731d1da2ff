"""The login page (ACC-01): signing in, refusals with their reasons, the lockout after repeated failures, the
list of users it may offer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from kontora import settings as product_settings
from kontora.accounts import selectors
from kontora.accounts.models import LoginFailure, User, UserSession
from kontora.accounts.services import users
from kontora.accounts.services.sessions import sessions_prune
from kontora.core.models import AuditEvent, SystemSettings
from tests.accounts.factories import UserFactory
from tests.support.http import PASSWORD, html
from tests.support.queries import assert_flat_queries, count_queries

LOCKED_15 = (
    "Слишком много неудачных попыток. Вход под этим логином заблокирован; повторите через 15 минут."
)


def attempt(client: Client, login: str, password: str, ip: str = "10.0.0.5") -> tuple[int, str]:
    response = client.post("/login/", {"login": login, "password": password}, REMOTE_ADDR=ip)
    return response.status_code, response.content.decode()


def fail_times(client: Client, login: str, times: int, ip: str = "10.0.0.5") -> None:
    for _ in range(times):
        status, _html = attempt(client, login, "wrong-password", ip)
        assert status == 401


def age_failures(by: timedelta, ip: str | None = None) -> None:
    """Time travel: the failures (from `ip`, or all) happened `by` earlier than they did."""
    failures = LoginFailure.objects.all() if ip is None else LoginFailure.objects.filter(ip=ip)
    for failure in failures:
        LoginFailure.objects.filter(pk=failure.pk).update(at=failure.at - by)


def signed_in_as(client: Client) -> User | None:
    """The user whose session the client holds (None when it holds none)."""
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


@pytest.mark.feature("ACC-01")
def test_five_failures_lock_the_login_even_for_the_right_password(manager_user):
    # given
    client = Client()
    fail_times(client, "manager", 5)
    # when
    status, html = attempt(client, "manager", PASSWORD)
    # then
    assert status == 401
    assert LOCKED_15 in html
    assert not UserSession.objects.filter(user=manager_user).exists()


# Every spelling that authentication folds to the login "stiff": case, long s, and the st, ff, ffi ligatures.
STIFF_SPELLINGS = ["STIFF", "ſtiff", "ﬆiff", "stiﬀ", "Stiﬀ", "ſTIFF"]


@pytest.mark.feature("ACC-01")
def test_every_spelling_of_a_login_counts_against_its_one_lockout(db):
    # given an account whose login has letters that fold (s, st, ff), and the control: a spelling signs in
    UserFactory(login="stiff")
    assert all(User.objects.get_by_natural_key(spelling).login == "stiff" for spelling in STIFF_SPELLINGS)
    control = Client()
    assert attempt(control, "ſtiff", PASSWORD, ip="10.0.0.9")[0] == 302
    # when five failures come, each under another spelling
    client = Client()
    for spelling in STIFF_SPELLINGS[:5]:
        assert attempt(client, spelling, "wrong-password")[0] == 401
    # then the account is locked under every spelling, the plain one included (F11: one counter, not several)
    for spelling in ["stiff", *STIFF_SPELLINGS]:
        status, page = attempt(client, spelling, PASSWORD)
        assert (status, LOCKED_15 in page) == (401, True), spelling
    assert set(LoginFailure.objects.values_list("login", flat=True)) == {"stiff"}


@pytest.mark.feature("ACC-01")
def test_four_failures_do_not_lock(manager_user):
    # given four failures from one address, and (the control) five from another
    client, control = Client(), Client()
    fail_times(client, "manager", 4)
    fail_times(control, "manager", 5, ip="10.0.0.9")
    # when the right password follows
    status, _html = attempt(client, "manager", PASSWORD)
    control_status, control_html = attempt(control, "manager", PASSWORD, ip="10.0.0.9")
    # then it signs the manager in after four
    assert status == 302
    assert signed_in_as(client) == manager_user
    assert UserSession.objects.filter(user=manager_user, ip="10.0.0.5").count() == 1
    # and one failure more locks the login even for the right password
    assert control_status == 401 and LOCKED_15 in control_html
    assert signed_in_as(control) is None


@pytest.mark.feature("ACC-01")
def test_the_lockout_ends_after_the_window_passes(manager_user):
    # given
    client = Client()
    fail_times(client, "manager", 5)
    age_failures(timedelta(minutes=15, seconds=1))
    # when
    status, _html = attempt(client, "manager", PASSWORD)
    # then
    assert status == 302
    assert not LoginFailure.objects.filter(login="manager").exists()


@pytest.mark.feature("ACC-01")
def test_the_message_counts_down_the_minutes_left(manager_user):
    # given
    client = Client()
    fail_times(client, "manager", 5)
    age_failures(timedelta(minutes=13, seconds=30))
    # when
    _status, html = attempt(client, "manager", PASSWORD)
    # then
    assert (
        "Слишком много неудачных попыток. Вход под этим логином заблокирован; повторите через 2 минуты."
    ) in html


@pytest.mark.feature("ACC-01")
def test_attempts_during_the_lockout_do_not_prolong_it(manager_user):
    # given
    client = Client()
    fail_times(client, "manager", 5)
    age_failures(timedelta(minutes=10))
    # when
    for _ in range(3):
        attempt(client, "manager", "wrong-again")
    age_failures(timedelta(minutes=5, seconds=1))
    status, _html = attempt(client, "manager", PASSWORD)
    # then
    assert status == 302


@pytest.mark.feature("ACC-01")
def test_failures_spread_over_more_than_the_window_do_not_lock(manager_user):
    # given three failures 16 minutes ago and two now; the control: the same three only 14 minutes ago
    client, control = Client(), Client()
    fail_times(client, "manager", 3)
    age_failures(timedelta(minutes=16), ip="10.0.0.5")
    fail_times(client, "manager", 2)
    fail_times(control, "manager", 3, ip="10.0.0.9")
    age_failures(timedelta(minutes=14), ip="10.0.0.9")
    fail_times(control, "manager", 2, ip="10.0.0.9")
    # when the right password follows
    status, _html = attempt(client, "manager", PASSWORD)
    control_status, control_html = attempt(control, "manager", PASSWORD, ip="10.0.0.9")
    # then five failures over more than the window let the manager in
    assert status == 302
    assert signed_in_as(client) == manager_user
    # and five within the window lock the login
    assert control_status == 401 and LOCKED_15 in control_html
    assert signed_in_as(control) is None


@pytest.mark.feature("ACC-01")
def test_the_lockout_is_per_login_and_address(manager_user, supervisor_user):
    # given
    client = Client()
    fail_times(client, "MANAGER", 5)
    # when
    same_login_other_case = attempt(client, "manager", PASSWORD)
    other_address = attempt(Client(), "manager", PASSWORD, ip="10.0.0.6")
    other_login = attempt(Client(), "super", PASSWORD)
    # then
    assert same_login_other_case[0] == 401 and LOCKED_15 in same_login_other_case[1]
    assert other_address[0] == 302
    assert other_login[0] == 302


@pytest.mark.feature("ACC-01")
def test_a_successful_sign_in_forgets_earlier_failures(manager_user):
    # given
    client = Client()
    fail_times(client, "manager", 4)
    assert attempt(client, "manager", PASSWORD)[0] == 302
    # when
    fail_times(Client(), "manager", 4)
    status, _html = attempt(Client(), "manager", PASSWORD)
    # then
    assert status == 302


@pytest.mark.feature("ACC-01")
def test_a_disabled_account_is_refused_with_its_reason(db):
    # given
    UserFactory(login="off", disabled=True)
    # when
    status, html = attempt(Client(), "off", PASSWORD)
    # then
    assert status == 401
    assert "Учётная запись отключена. Обратитесь к администратору." in html


@pytest.mark.feature("ACC-01")
def test_a_dismissed_employee_is_refused_with_its_reason(db):
    # given
    UserFactory(login="gone", dismissed=True, disabled=True)
    # when
    status, html = attempt(Client(), "gone", PASSWORD)
    # then
    assert status == 401
    assert "Сотрудник уволен: вход под этой учётной записью невозможен." in html


@pytest.mark.feature("ACC-01")
def test_the_login_page_offers_a_list_of_active_users_when_switched_on(manager_user, admin_user):
    # given
    UserFactory(login="gone", full_name="Уволенный Сотрудник", dismissed=True)
    UserFactory(login="off", full_name="Отключённый Сотрудник", disabled=True)
    SystemSettings.objects.update_or_create(pk=1, defaults={"login_user_list": True})
    # when
    html = Client().get("/login/").content.decode()
    # then
    assert "<select" in html and 'name="login" id="id_login"' in html
    assert '<option value="manager">' in html and "Алексей Менеджеров" in html
    assert '<option value="admin">' in html and "Администратор Системы" in html
    assert 'value="gone"' not in html and 'value="off"' not in html
    assert "Уволенный Сотрудник" not in html and "Отключённый Сотрудник" not in html


@pytest.mark.feature("ACC-01")
def test_the_login_pages_list_reads_in_a_fixed_number_of_queries(manager_user):
    # given
    SystemSettings.objects.update_or_create(pk=1, defaults={"login_user_list": True})
    Client().get("/login/")
    with count_queries() as few:
        Client().get("/login/")
    # when more users come
    for number in range(5):
        UserFactory(login=f"u{number}", full_name=f"Сотрудник {number}")
    with count_queries() as more:
        page = html(Client().get("/login/"))
    # then
    assert '<option value="u4">' in page
    assert len(more) == len(few)


@pytest.mark.feature("ACC-01")
def test_the_login_page_has_a_typed_login_when_the_list_is_off(manager_user):
    # given
    SystemSettings.objects.update_or_create(pk=1, defaults={"login_user_list": False})
    # when
    html = Client().get("/login/").content.decode()
    # then
    assert 'name="login" id="id_login"' in html
    assert "<select" not in html
    assert "Алексей Менеджеров" not in html


@pytest.mark.feature("ACC-01")
def test_the_periodic_clean_up_keeps_the_failures_of_a_running_lockout(manager_user):
    # given: four failures 16 minutes ago and the fifth 2 minutes ago, all within 15 minutes of each other
    client = Client()
    fail_times(client, "manager", 5)
    age_failures(timedelta(minutes=16))
    newest = LoginFailure.objects.order_by("-at", "-pk").first()
    LoginFailure.objects.filter(pk=newest.pk).update(at=timezone.now() - timedelta(minutes=2))
    # when
    sessions_prune()
    status, html = attempt(client, "manager", PASSWORD)
    # then
    assert status == 401
    assert (
        "Слишком много неудачных попыток. Вход под этим логином заблокирован; повторите через 13 минут."
    ) in html


@pytest.mark.feature("ACC-01")
def test_sign_in_with_right_password_opens_main_window(manager_user, admin_user):
    # given
    client = Client()
    # when
    response = client.post("/login/", {"login": "MANAGER", "password": PASSWORD})
    # then
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert UserSession.objects.filter(user=manager_user).count() == 1


@pytest.mark.feature("ACC-01")
def test_wrong_password_and_unknown_login_give_the_same_message(manager_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    wrong = client.post("/login/", {"login": "manager", "password": "nope-nope"})
    unknown = client.post("/login/", {"login": "nobody", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "Неверный логин или пароль." in wrong.content.decode()
    assert "Неверный логин или пароль." in unknown.content.decode()


@pytest.mark.feature("ACC-01")
def test_cyrillic_login_is_case_insensitive(db):
    # given: SQLite's LOWER() would not fold these letters; the login key does
    ivanov = UserFactory(login="Иванов", full_name="Иван Иванов")
    UserFactory(login="Петров", full_name="Пётр Петров")
    client, control = Client(), Client()
    # when
    response = client.post("/login/", {"login": "ИВАНОВ", "password": PASSWORD})
    refused = control.post("/login/", {"login": "ИВАНОВА", "password": PASSWORD})
    # then the session is Иванов's and the main window greets him
    assert response.status_code == 302
    assert signed_in_as(client) == ivanov
    assert list(UserSession.objects.values_list("user__login", flat=True)) == ["Иванов"]
    home = client.get("/")
    assert home.status_code == 200
    assert 'data-testid="current-user">Иван Иванов · Менеджер</span>' in html(home)
    # and a login that only looks alike signs no one in
    assert refused.status_code == 401
    assert "Неверный логин или пароль." in html(refused)
    assert signed_in_as(control) is None


def test_product_hashes_passwords_with_argon2():
    assert product_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert django_settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")  # only inside tests


def _shown_at(moment: Any) -> str:
    """A moment as the notice shows it (Russian short format, the office's time zone)."""
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


RESET = "сброс вашего пароля (знающий новый пароль может войти под вашим именем)"


@pytest.mark.feature("ACC-01", "ACL-03")
def test_a_password_reset_by_the_administrator_is_told_at_each_sign_in_until_the_user_sets_his_own(
    admin_user, manager_user,
):
    # given the manager signed in once from his office computer
    first = Client(REMOTE_ADDR="10.0.0.7")
    assert first.post("/login/", {"login": "manager", "password": PASSWORD}).status_code == 302
    previous = AuditEvent.objects.filter(event="accounts.signin.succeeded").latest("at")
    # and then the administrator reset his password
    users.user_set_password(acting_user=admin_user, user_id=manager_user.pk, password="Novyi-Parol-77")
    reset = AuditEvent.objects.get(event="accounts.user.password_reset")

    # when the manager signs in next
    page = html(Client(REMOTE_ADDR="10.0.0.7").post(
        "/login/", {"login": "manager", "password": "Novyi-Parol-77"}, follow=True))

    # then the first page after signing in says who did what and when, since which sign-in
    assert (f"С вашего предыдущего входа ({_shown_at(previous.at)}, с адреса 10.0.0.7) другие пользователи "
            "сделали с вашей учётной записью или клиентами следующее:") in page
    assert f"{_shown_at(reset.at)} — Администратор Системы: {RESET}" in page
    # and again at the next sign-in: whoever knows the new password may have signed in as him and used it up
    again = html(Client().post("/login/", {"login": "manager", "password": "Novyi-Parol-77"}, follow=True))
    assert f"{_shown_at(reset.at)} — Администратор Системы: {RESET}" in again
    # until he sets a password of his own: then nothing is left to tell
    users.user_set_password(acting_user=manager_user, user_id=manager_user.pk, password="Svoi-Parol-79")
    after = html(Client().post("/login/", {"login": "manager", "password": "Svoi-Parol-79"}, follow=True))
    assert RESET not in after
    assert "С вашего предыдущего входа" not in after


@pytest.mark.feature("ACC-01", "ACL-03")
def test_an_administrator_signing_in_as_the_user_cannot_use_up_the_telling_of_his_reset(admin_user, manager_user):
    # given an administrator who reset the manager's password and signed in as him at once
    users.user_set_password(acting_user=admin_user, user_id=manager_user.pk, password="Chuzhoi-Parol-71")
    assert Client().post("/login/", {"login": "manager", "password": "Chuzhoi-Parol-71"}).status_code == 302
    first = AuditEvent.objects.get(event="accounts.user.password_reset")
    # when the manager, locked out of his account, has it reset once more and signs in
    users.user_set_password(acting_user=admin_user, user_id=manager_user.pk, password="Novyi-Parol-72")
    page = html(Client().post("/login/", {"login": "manager", "password": "Novyi-Parol-72"}, follow=True))
    # then he is told of both resets, the one used to sign in as him included
    assert page.count(RESET) == 2
    assert f"{_shown_at(first.at)} — Администратор Системы: {RESET}" in page


@pytest.mark.feature("ACC-01", "ACL-03")
def test_the_sign_in_notice_tells_only_what_others_did_since_the_previous_sign_in(admin_user, manager_user):
    # given a reset before the manager's previous sign-in, his own password change, and a reset after it
    users.user_set_password(acting_user=admin_user, user_id=manager_user.pk, password="Staryi-Parol-76")
    assert Client().post("/login/", {"login": "manager", "password": "Staryi-Parol-76"}).status_code == 302
    users.user_set_password(acting_user=manager_user, user_id=manager_user.pk, password="Svoi-Parol-78")
    users.user_set_password(acting_user=admin_user, user_id=manager_user.pk, password="Novyi-Parol-77")
    old, new = AuditEvent.objects.filter(event="accounts.user.password_reset").order_by("at", "id")

    # when the manager signs in
    page = html(Client().post("/login/", {"login": "manager", "password": "Novyi-Parol-77"}, follow=True))

    # then only the later reset is told; his own change is not
    assert page.count(RESET) == 1
    assert f"{_shown_at(new.at)} — Администратор Системы: {RESET}" in page
    assert old.at < new.at  # (the one not told)


@pytest.mark.feature("ACC-01", "ACL-03")
def test_the_sign_in_notice_reads_in_a_fixed_number_of_queries(admin_user, manager_user):
    # given resets of the manager's password by the administrator, one and then twenty
    password = [PASSWORD]

    def reset(number: int) -> None:
        password[0] = f"Novyi-Parol-{number}7q"
        users.user_set_password(acting_user=admin_user, user_id=manager_user.pk, password=password[0])

    def sign_in() -> str:
        response = Client().post("/login/", {"login": "manager", "password": password[0]})
        return str(selectors.signin_notices(manager_user)) if response.status_code == 302 else ""

    # then his sign-in, which tells them all, reads as many queries for twenty as for one
    notice = assert_flat_queries(sign_in, reset)
    assert notice.count("Администратор Системы") == 20


@pytest.mark.feature("ACC-01")
@pytest.mark.django_db(transaction=True)
def test_signing_in_is_not_held_to_the_request_budget(manager_user, settings):
    # given: a server so busy that no request's queries would fit the budget
    settings.REQUEST_BUDGET_MS = 0
    client = Client()
    # when: the manager signs in (his time goes to the password hash, not to a condition he could narrow)
    status, _page = attempt(client, manager_user.login, PASSWORD)
    # then
    assert status == 302
    assert signed_in_as(client) == manager_user
    # while a page that reads under the budget is refused with the budget's message (positive control)
    refused = client.get("/")
    assert refused.status_code == 422
    assert "Условие слишком тяжёлое" in refused.content.decode()
