"""Administration → Active users (ACC-06): who is signed in, from where; ending a session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from kontora.accounts.models import UserSession
from tests.accounts.factories import UserFactory
from tests.accounts.support import sign_in_from
from tests.support.queries import count_queries


@pytest.mark.feature("ACC-06")
def test_active_users_lists_every_signed_in_user_with_time_computer_and_address(
    admin_user, manager_user, supervisor_user
):
    # given
    admin = sign_in_from(admin_user, "10.0.0.1")
    sign_in_from(manager_user, "10.0.0.2")
    sign_in_from(supervisor_user, "10.0.0.3")
    UserSession.objects.filter(user=supervisor_user).update(hostname="buh-pc.office.local")
    # when
    response = admin.get(reverse("accounts:sessions"))
    # then
    assert response.status_code == 200
    rows = {row.record.user.login: row for row in response.context["rows"]}
    assert set(rows) == {"admin", "manager", "super"}
    assert [rows[login].is_current for login in ("admin", "manager", "super")] == [True, False, False]
    html = response.content.decode()
    for text in ("Алексей Менеджеров", "Сергей Супервизоров", "10.0.0.2", "10.0.0.3", "buh-pc.office.local",
                 "ваш сеанс", "Пользователь", "Вход в систему", "Сетевое имя ПК", "IP-адрес"):
        assert text in html, text
    started = timezone.localtime(rows["manager"].record.started_at).strftime("%d.%m.%Y %H:%M")
    assert started in html
    assert html.count(">Завершить сеанс<") == 2


@pytest.mark.feature("ACC-06")
def test_the_computer_name_falls_back_to_the_address(admin_client, manager_user):
    # given
    sign_in_from(manager_user, "10.0.0.2")
    UserSession.objects.filter(user=manager_user).update(hostname="")
    # when
    html = admin_client.get(reverse("accounts:sessions")).content.decode()
    # then
    assert html.count("<td>10.0.0.2</td>") == 2


@pytest.mark.feature("ACC-06")
def test_expired_sessions_are_not_listed(admin_client, manager_user):
    # given
    manager = sign_in_from(manager_user, "10.0.0.2")
    Session.objects.filter(session_key=manager.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    # when
    response = admin_client.get(reverse("accounts:sessions"))
    # then
    assert [row.record.user.login for row in response.context["rows"]] == ["admin"]


@pytest.mark.feature("ACC-06")
def test_ending_a_session_signs_that_user_out_at_the_next_request(admin_client, manager_user, supervisor_user):
    # given
    manager = sign_in_from(manager_user, "10.0.0.2")
    supervisor = sign_in_from(supervisor_user, "10.0.0.3")
    record = UserSession.objects.get(user=manager_user)
    # when
    response = admin_client.post(reverse("accounts:session_end", args=[record.pk]), follow=True)
    # then
    html = response.content.decode()
    assert (
        "Сеанс пользователя Алексей Менеджеров завершён: при следующем обращении он окажется на странице входа."
    ) in html
    assert [row.record.user.login for row in response.context["rows"]] == ["super", "admin"]
    landing = manager.get(reverse("core:home"))
    assert landing.status_code == 302 and landing.url.startswith(reverse("accounts:login"))
    assert supervisor.get(reverse("core:home")).status_code == 200


@pytest.mark.feature("ACC-06")
def test_ending_a_session_that_already_ended_says_so(admin_client):
    # when
    response = admin_client.post(reverse("accounts:session_end", args=[999_999]), follow=True)
    # then
    assert "Этот сеанс уже завершён." in response.content.decode()


@pytest.mark.feature("ACC-06")
def test_ending_a_session_takes_post_only(admin_client, manager_user):
    # given
    sign_in_from(manager_user, "10.0.0.2")
    record = UserSession.objects.get(user=manager_user)
    # when
    response = admin_client.get(reverse("accounts:session_end", args=[record.pk]))
    # then
    assert response.status_code == 405
    assert UserSession.objects.filter(pk=record.pk).exists()


@pytest.mark.feature("ACC-06")
def test_the_list_reads_in_a_fixed_number_of_queries(admin_client):
    # given
    for number in range(6):
        sign_in_from(UserFactory(login=f"u{number}"), f"10.0.1.{number}")
    admin_client.get(reverse("accounts:sessions"))
    # when
    with count_queries() as few:
        admin_client.get(reverse("accounts:sessions"))
    sign_in_from(UserFactory(login="u-extra"), "10.0.1.99")
    with count_queries() as more:
        response = admin_client.get(reverse("accounts:sessions"))
    # then
    assert len(response.context["rows"]) == 8
    assert len(more) == len(few)


@pytest.mark.feature("ACC-06")
def test_signing_out_removes_the_row(admin_client, manager_user):
    # given
    manager = sign_in_from(manager_user, "10.0.0.2")
    # when
    manager.post(reverse("accounts:logout"))
    response = admin_client.get(reverse("accounts:sessions"))
    # then
    assert [row.record.user.login for row in response.context["rows"]] == ["admin"]


@pytest.mark.feature("ACC-06")
def test_people_are_listed_once_with_their_sessions_grouped_and_idle_ones_marked(admin_client, manager_user,
                                                                                  settings):
    # given the manager signed in from three browsers, two of them closed long ago without signing out
    settings.SESSION_IDLE_MINUTES = 15
    for ip in ("10.0.0.2", "10.0.0.3", "10.0.0.4"):
        sign_in_from(manager_user, ip)
    now = timezone.now()
    UserSession.objects.filter(ip="10.0.0.2").update(last_seen_at=now - timedelta(minutes=40))
    UserSession.objects.filter(ip="10.0.0.3").update(last_seen_at=now - timedelta(hours=3))
    # when
    response = admin_client.get(reverse("accounts:sessions"))
    # then two people, each once, with the manager's three sessions under him, the working one first
    people = response.context["people"]
    assert sorted((person.user.login, len(person.sessions), person.working) for person in people) == [
        ("admin", 1, 1), ("manager", 3, 1)]
    manager = next(person for person in people if person.user.login == "manager")
    assert [(row.record.ip, row.idle, row.idle_minutes) for row in manager.sessions] == [
        ("10.0.0.4", False, 0), ("10.0.0.2", True, 40), ("10.0.0.3", True, 180)]
    html = response.content.decode()
    assert html.count('data-testid="session-person"') == 2
    assert html.count('data-testid="session-row"') == 4
    assert "простаивает 40 минут" in html and "простаивает 180 минут" in html
    assert "2 пользователя в системе, 2 работают сейчас; 4 открытых сеанса" in html
    assert "дольше 15 минут считается простаивающим" in html
    # a person all of whose sessions are idle is idle, and comes after those working now
    UserSession.objects.filter(ip="10.0.0.4").update(last_seen_at=now - timedelta(minutes=20))
    people = admin_client.get(reverse("accounts:sessions")).context["people"]
    assert [(person.user.login, person.working) for person in people] == [("admin", 1), ("manager", 0)]
