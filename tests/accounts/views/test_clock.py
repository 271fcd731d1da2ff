"""A signed-in user's pages run on his clock (accounts.middleware.UserClockMiddleware): every date and time they
print is in his time zone (Parameters), else the office's; reading his zone costs no query of its own."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kontora.core.models import Notification
from kontora.core.services.notifications import notification_send
from kontora.core.services.settings import system_settings_update, user_parameters_update
from tests.support.http import html, signed_in
from tests.support.queries import count_queries

# 09:00 UTC: 12:00 in Moscow (the office), 16:00 in Novosibirsk, 21:00 in Kamchatka
MOMENT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _notified(admin_user, manager_user) -> None:
    sent = notification_send(acting_user=admin_user, recipient=manager_user, text="Перезвонить клиенту")
    Notification.objects.filter(pk=sent.pk).update(created_at=MOMENT)


@pytest.mark.feature("ACC-07")
def test_a_page_prints_times_on_the_users_clock_else_the_offices(admin_user, manager_user):
    # given a notification sent at 09:00 UTC
    _notified(admin_user, manager_user)
    http = signed_in(manager_user)
    # then, with no zone of his own, he reads it on the office's clock (Moscow)
    assert "02.03.2026 12:00" in html(http.get("/notifications/"))
    # when the office moves to Novosibirsk
    system_settings_update(acting_user=admin_user, time_zone="Asia/Novosibirsk")
    # then his next page says 16:00
    assert "02.03.2026 16:00" in html(http.get("/notifications/"))
    # when he chooses Kamchatka for himself
    user_parameters_update(acting_user=manager_user, time_zone="Asia/Kamchatka")
    # then 21:00, while a colleague without a zone of his own still reads the office's 16:00
    assert "02.03.2026 21:00" in html(http.get("/notifications/"))
    _notified(admin_user, admin_user)
    assert "02.03.2026 16:00" in html(signed_in(admin_user).get("/notifications/"))


@pytest.mark.feature("ACC-07")
def test_the_users_zone_is_the_requests_and_is_dropped_after_it(manager_user):
    user_parameters_update(acting_user=manager_user, time_zone="Asia/Vladivostok")
    http = signed_in(manager_user)
    page = html(http.get("/help/about/"))
    assert "Asia/Vladivostok" in page
    # and the zone does not outlive the request
    assert timezone.get_current_timezone_name() != "Asia/Vladivostok"


@pytest.mark.feature("ACC-07")
def test_the_users_zone_costs_no_query_of_its_own(admin_user, manager_user):
    # given a page seen once (the session's bookkeeping done)
    http = signed_in(manager_user)
    http.get("/notifications/")
    with count_queries() as plain:
        http.get("/notifications/")
    # when he and the office have zones of their own
    system_settings_update(acting_user=admin_user, time_zone="Asia/Omsk")
    user_parameters_update(acting_user=manager_user, time_zone="Asia/Irkutsk")
    with count_queries() as zoned:
        http.get("/notifications/")
    # then the page costs the same queries, and no query reads the parameters or settings on their own
    assert len(zoned) == len(plain)
    assert not [q for q in zoned.captured_queries if q["sql"].startswith('SELECT "core_userparameters"')]
