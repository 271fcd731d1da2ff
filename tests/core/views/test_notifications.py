"""The bell's poll, the notifications page, and Administration → Message to a user."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kontora.accounts.models import UserSession
from kontora.core.models import Notification
from kontora.core.selectors import notifications as selectors
from kontora.core.services.notifications import notification_send
from tests.accounts.factories import UserFactory
from tests.core.factories import NotificationFactory
from tests.core.support import bell_answer
from tests.support.http import signed_in
from tests.support.queries import count_queries

POLL = "/notifications/poll/"


def test_poll_answers_with_the_count_and_new_toasts_then_204_while_nothing_changes(admin_user, manager_user):
    # given
    first = notification_send(acting_user=admin_user, recipient=manager_user, text="Совещание в 15:00")
    client = signed_in(manager_user)
    # when: a page polls first knowing nothing, then with what it shows
    fresh = bell_answer(client.get(POLL, {"after": 0}, HTTP_HX_REQUEST="true"))
    shown = {"after": fresh["after"], "unread": fresh["unread"]}
    again = client.get(POLL, shown, HTTP_HX_REQUEST="true")
    second = notification_send(acting_user=None, recipient=manager_user, text="Новая задача", url="/tasks/1/")
    changed = bell_answer(client.get(POLL, shown, HTTP_HX_REQUEST="true"))
    # then
    assert fresh["badge"] == "1"
    assert fresh["toasts"] == [(first.pk, "Администратор Системы", "Совещание в 15:00", "")]
    assert (fresh["after"], fresh["unread"]) == (first.pk, 1)
    assert again.status_code == 204  # nothing new: htmx leaves the page alone
    assert again.content == b""
    assert changed["badge"] == "2"
    assert changed["toasts"] == [(second.pk, "Система", "Новая задача", "/tasks/1/")]
    assert (changed["after"], changed["unread"]) == (second.pk, 2)


def test_poll_answers_a_count_that_fell_without_toasts(admin_user, manager_user):
    # given: two notifications shown, then one read on the notifications page
    first = notification_send(acting_user=admin_user, recipient=manager_user, text="Первое")
    second = notification_send(acting_user=admin_user, recipient=manager_user, text="Второе")
    client = signed_in(manager_user)
    client.post(f"/notifications/{first.pk}/read/")
    # when
    answer = bell_answer(client.get(POLL, {"after": second.pk, "unread": 2}, HTTP_HX_REQUEST="true"))
    # then
    assert (answer["badge"], answer["toasts"], answer["after"], answer["unread"]) == ("1", [], second.pk, 1)


def test_poll_counts_over_99_as_99_plus_and_links_only_local_paths(admin_user, manager_user):
    # given
    NotificationFactory.create_batch(100, user=manager_user)
    foreign = notification_send(acting_user=admin_user, recipient=manager_user, text="Ссылка", url="/clients/1/")
    Notification.objects.filter(pk=foreign.pk).update(url="//evil.example/")
    client = signed_in(manager_user)
    # when
    answer = bell_answer(client.get(POLL, HTTP_HX_REQUEST="true"))
    # then
    assert answer["badge"] == "99+"
    assert answer["toasts"][-1] == (foreign.pk, "Администратор Системы", "Ссылка", "")


def test_poll_costs_one_query_and_is_not_user_activity(admin_user, manager_user):
    # given: the Active users list last saw this session long ago
    client = signed_in(manager_user)
    client.get("/")
    long_ago = timezone.now() - timedelta(hours=1)
    UserSession.objects.filter(user=manager_user).update(last_seen_at=long_ago)
    session = client.session
    session["kontora_seen"] = time.time() - 3600
    session.save()
    notification_send(acting_user=admin_user, recipient=manager_user, text="Проверка")
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.get(POLL, HTTP_HX_REQUEST="true")
    # then
    answer = bell_answer(response)
    answered = len(queries.captured_queries)
    notification_queries = [q["sql"] for q in queries.captured_queries if "core_notification" in q["sql"]]
    assert len(notification_queries) == 2  # the state, then the new items of a 200 answer
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert UserSession.objects.get(user=manager_user).last_seen_at == long_ago
    # and a 204 costs only the state query
    with CaptureQueriesContext(connection) as queries:
        unchanged = client.get(POLL, {"after": answer["after"], "unread": answer["unread"]}, HTTP_HX_REQUEST="true")
    assert unchanged.status_code == 204
    assert len([q for q in queries.captured_queries if "core_notification" in q["sql"]]) == 1
    # and drawing the answer costs nothing more than its items (no context processor of the pages runs)
    assert answered == len(queries.captured_queries) + 1
    # while an ordinary page is activity
    client.get("/notifications/")
    assert UserSession.objects.get(user=manager_user).last_seen_at > long_ago


def test_poll_of_a_signed_out_browser_is_refused_without_a_redirect(manager_user):
    response = Client().get(POLL)
    assert response.status_code == 401


def test_poll_of_a_disabled_user_ends_the_session_and_leads_to_the_login_page(manager_user, admin_user):
    # given
    client = signed_in(manager_user)
    manager_user.disabled = True
    manager_user.save(update_fields=["disabled"])
    # when
    response = client.get(POLL)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/login/?reason=disabled"


def test_htmx_poll_of_a_disabled_user_leads_the_whole_page_to_the_login_page(manager_user, admin_user):
    # given
    client = signed_in(manager_user)
    manager_user.disabled = True
    manager_user.save(update_fields=["disabled"])
    # when
    response = client.get(POLL, HTTP_HX_REQUEST="true")
    # then: htmx follows HX-Redirect with a page load
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/login/?reason=disabled"


def test_user_who_was_offline_sees_the_notification_after_sign_in(admin_user, manager_user):
    # given: the manager is not signed in when the message is sent
    sent = notification_send(acting_user=admin_user, recipient=manager_user, text="Позвоните клиенту Ромашка")
    # when
    client = signed_in(manager_user)
    page = client.get("/").content.decode()
    poll = bell_answer(client.get(POLL, HTTP_HX_REQUEST="true"))
    # then
    assert 'id="k-bell"' in page
    assert 'id="k-toasts"' in page
    assert poll["badge"] == "1"
    assert [toast[0] for toast in poll["toasts"]] == [sent.pk]
    assert poll["toasts"][0][2] == "Позвоните клиенту Ромашка"


def test_mark_one_read_touches_only_own_notifications(admin_user, manager_user):
    # given
    mine = notification_send(acting_user=admin_user, recipient=manager_user, text="Первое")
    other = notification_send(acting_user=admin_user, recipient=admin_user, text="Чужое")
    notification_send(acting_user=admin_user, recipient=manager_user, text="Второе")
    client = signed_in(manager_user)
    # when
    own = client.post(f"/notifications/{mine.pk}/read/")
    foreign = client.post(f"/notifications/{other.pk}/read/")
    # then
    assert own.status_code == foreign.status_code == 302
    assert own["Location"] == "/notifications/"
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None
    assert other.read_at is None
    assert selectors.notification_state(manager_user)[0] == 1


def test_mark_all_read_clears_the_bell(admin_user, manager_user):
    # given
    for text in ("Первое", "Второе", "Третье"):
        notification_send(acting_user=admin_user, recipient=manager_user, text=text)
    client = signed_in(manager_user)
    # when
    response = client.post("/notifications/read-all/")
    # then
    assert response.status_code == 302
    assert selectors.notification_state(manager_user) == (0, 0)
    answer = bell_answer(client.get(POLL, HTTP_HX_REQUEST="true"))
    assert (answer["badge"], answer["toasts"]) == ("", [])


def test_notifications_page_lists_own_notifications_newest_first(admin_user, manager_user):
    # given
    notification_send(acting_user=admin_user, recipient=manager_user, text="Старое сообщение")
    notification_send(acting_user=admin_user, recipient=manager_user, text="Свежее сообщение")
    notification_send(acting_user=admin_user, recipient=admin_user, text="Не для менеджера")
    # when
    page = signed_in(manager_user).get("/notifications/").content.decode()
    # then
    assert page.index("Свежее сообщение") < page.index("Старое сообщение")
    assert "Не для менеджера" not in page
    assert "2 непрочитанных" in page
    assert "Отметить все как прочитанные" in page


def test_administrator_sends_a_message_to_a_user(admin_client, manager_user):
    # when
    response = admin_client.post(
        "/administration/message/", {"recipient": manager_user.pk, "text": "Отчёт к пятнице"}, follow=True
    )
    # then
    assert response.status_code == 200
    assert "Сообщение отправлено: Алексей Менеджеров." in response.content.decode()
    sent = Notification.objects.get()
    assert (sent.user, sent.sender.login, sent.text) == (manager_user, "admin", "Отчёт к пятнице")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Обязательное поле."),
        ("я" * 2001, "Убедитесь, что это значение содержит не более 2000 символов (сейчас 2001)."),
    ],
)
def test_message_text_errors_are_shown_next_to_the_field(admin_client, manager_user, text, error):
    # when
    response = admin_client.post("/administration/message/", {"recipient": manager_user.pk, "text": text})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    field_at = html.index('id="id_text"')
    assert html.index(f'<div class="invalid-feedback">{error}</div>', field_at) > field_at
    assert not Notification.objects.exists()


def test_dismissed_users_are_not_offered_as_recipients(admin_client):
    # given
    gone = UserFactory(login="gone", full_name="Уволенный Сотрудник", dismissed=True)
    # when
    form = admin_client.get("/administration/message/").content.decode()
    response = admin_client.post("/administration/message/", {"recipient": gone.pk, "text": "Привет"})
    # then
    assert "Уволенный Сотрудник" not in form
    assert "Выберите корректный вариант. Вашего варианта нет среди допустимых значений." in response.content.decode()
    assert not Notification.objects.exists()


def test_message_to_a_user_is_refused_to_a_non_administrator(manager_client, admin_user):
    # when
    page = manager_client.get("/administration/message/")
    post = manager_client.post("/administration/message/", {"recipient": admin_user.pk, "text": "Привет"})
    # then
    assert page.status_code == post.status_code == 403
    assert not Notification.objects.exists()


def test_menu_offers_message_and_jobs_to_administrators_only(admin_client, manager_client):
    admin_page = admin_client.get("/").content.decode()
    manager_page = manager_client.get("/").content.decode()
    assert 'href="/administration/message/"' in admin_page
    assert 'href="/administration/jobs/"' in admin_page
    assert 'href="/administration/message/"' not in manager_page
    assert 'href="/administration/jobs/"' not in manager_page


def test_notifications_page_costs_the_same_queries_whatever_the_number_of_rows(admin_user, manager_user):
    # given: a page already seen once (the session's own bookkeeping is done)
    client = signed_in(manager_user)
    NotificationFactory(user=manager_user, sender=admin_user)
    client.get("/notifications/")
    with count_queries() as few:
        client.get("/notifications/")
    NotificationFactory.create_batch(3, user=manager_user, sender=admin_user)
    NotificationFactory.create_batch(3, user=manager_user, sender=UserFactory(login="other"))
    NotificationFactory.create_batch(3, user=manager_user)
    # when
    with count_queries() as many:
        page = client.get("/notifications/").content.decode()
    # then
    assert page.count("Сообщение ") >= 10
    assert len(many) == len(few)
