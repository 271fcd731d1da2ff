"""Sign-in as a service: one audit row per attempt, whatever its outcome (ACC-01)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from kontora.accounts.models import LoginFailure, UserSession
from kontora.accounts.services import signin as services
from kontora.core.errors import Refused
from kontora.core.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.support.http import PASSWORD


def login_request(ip: str = "10.0.0.5") -> HttpRequest:
    """A POST to the login page from `ip`, with a session, as the view hands it to the service."""
    request = RequestFactory().post("/login/", REMOTE_ADDR=ip, HTTP_USER_AGENT="Тестовый браузер")
    SessionMiddleware(lambda _request: HttpResponse()).process_request(request)
    return request


def rows() -> list[tuple[str, str]]:
    return list(AuditEvent.objects.order_by("id").values_list("event", "summary"))


@pytest.mark.feature("ACC-01")
def test_a_sign_in_is_audited_and_opens_the_session(manager_user):
    # when
    user = services.sign_in(login_request(), login="MANAGER", password=PASSWORD)
    # then
    assert user == manager_user
    assert UserSession.objects.get().user_agent == "Тестовый браузер"
    [row] = AuditEvent.objects.all()
    assert (row.actor, row.event, row.summary, row.target_id) == (
        manager_user, "accounts.signin.succeeded", "Вход в систему", manager_user.pk,
    )
    assert row.extra == {"ip": "10.0.0.5"}


@pytest.mark.feature("ACC-01")
def test_a_wrong_password_is_audited_about_the_account_it_named(manager_user):
    # when
    with pytest.raises(Refused) as refused:
        services.sign_in(login_request(), login="Manager", password="wrong-password")
    # then: the row and the failure stay although the sign-in was refused
    assert refused.value.message == "Неверный логин или пароль."
    [row] = AuditEvent.objects.all()
    assert (row.actor, row.event, row.summary, row.target_id) == (
        None, "accounts.signin.failed", "Неудачная попытка входа", manager_user.pk,
    )
    assert row.extra == {"login": "Manager", "ip": "10.0.0.5", "reason": "password"}
    assert LoginFailure.objects.filter(login="manager", ip="10.0.0.5").count() == 1


@pytest.mark.feature("ACC-01")
def test_an_unknown_login_is_audited_without_a_target(db):
    # when
    with pytest.raises(Refused):
        services.sign_in(login_request(), login="nobody", password="wrong-password")
    # then
    [row] = AuditEvent.objects.all()
    assert (row.event, row.target_type, row.target_id) == ("accounts.signin.failed", "", None)
    assert row.extra["login"] == "nobody"


@pytest.mark.feature("ACC-01")
def test_the_failure_that_locks_the_login_is_audited_as_the_lockout_and_later_attempts_as_failures(manager_user):
    # given four failures
    for _attempt in range(4):
        with pytest.raises(Refused):
            services.sign_in(login_request(), login="manager", password="wrong-password")
    # when the fifth fails, then the right password comes
    with pytest.raises(Refused):
        services.sign_in(login_request(), login="manager", password="wrong-password")
    with pytest.raises(Refused) as locked:
        services.sign_in(login_request(), login="manager", password=PASSWORD)
    # then
    assert locked.value.message == (
        "Слишком много неудачных попыток. Вход под этим логином заблокирован; повторите через 15 минут."
    )
    assert [event for event, _summary in rows()] == [
        *["accounts.signin.failed"] * 4, "accounts.signin.locked", "accounts.signin.failed",
    ]
    lockout, refused = AuditEvent.objects.order_by("id")[4:]
    assert (lockout.summary, lockout.target_id) == ("Вход заблокирован после повторных неудачных попыток",
                                                   manager_user.pk)
    assert set(lockout.extra) == {"login", "ip", "until"}
    assert refused.extra == {"login": "manager", "ip": "10.0.0.5", "reason": "locked_out"}
    assert not UserSession.objects.exists()


@pytest.mark.feature("ACC-01")
@pytest.mark.parametrize(("state", "message"), [
    ({"disabled": True}, "Учётная запись отключена. Обратитесь к администратору."),
    ({"dismissed": True}, "Сотрудник уволен: вход под этой учётной записью невозможен."),
])
def test_a_disabled_or_dismissed_account_is_audited_with_the_reason(db, state, message):
    # given
    user = UserFactory(login="off", **state)
    # when
    with pytest.raises(Refused) as refused:
        services.sign_in(login_request(), login="off", password=PASSWORD)
    # then
    assert refused.value.message == message
    [row] = AuditEvent.objects.all()
    assert (row.event, row.target_id, row.extra["reason"]) == ("accounts.signin.failed", user.pk, next(iter(state)))
    assert not LoginFailure.objects.exists()
