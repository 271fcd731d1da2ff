"""The Flexi-filter's activity conditions in a real browser: «События типа … за период» with its type picker, period
and number (REG-04)."""

from __future__ import annotations

import datetime

import pytest

from kontora.core.text import search_key
from kontora.directories.models import EventType
from tests.activity.factories import EventFactory
from tests.clients.factories import client_named
from tests.support.browser import sign_in

pytestmark = pytest.mark.browser


def _at(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=12, tzinfo=datetime.UTC)


@pytest.mark.feature("REG-04")
def test_clients_with_at_least_n_events_of_a_type_in_a_period(page, live_server, manager_user, transactional_db):
    # given: Альфа called twice in March, Бета once, Вектор never
    call = EventType.objects.create(name="Звонок", name_key=search_key("Звонок"))
    alpha = client_named("ООО «Альфа»", curator=manager_user)
    beta = client_named("ООО «Бета»", curator=manager_user)
    client_named("ООО «Вектор»", curator=manager_user)
    for client, days in ((alpha, ["2026-03-02", "2026-03-20"]), (beta, ["2026-03-10"])):
        for day in days:
            EventFactory(client=client, author=manager_user, event_type=call, created_at=_at(day))
    sign_in(page, live_server.url, "manager")

    # when: the condition is built on the Statistics tab
    page.get_by_test_id("registry-filter").click()
    page.get_by_test_id("flexi-modal").wait_for(state="visible")
    page.get_by_test_id("flexi-tab-statistics").click()
    page.get_by_test_id("flexi-add-events").click()
    row = page.get_by_test_id("flexi-condition").first
    box = row.get_by_test_id("flexi-picker")
    box.click()
    box.press_sequentially("Зво")
    row.locator("[data-pick][data-text='Звонок']").first.click()
    row.get_by_test_id("flexi-chip").filter(has_text="Звонок").wait_for()
    row.get_by_test_id("flexi-from").fill("2026-03-01")
    row.get_by_test_id("flexi-to").fill("2026-03-31")

    # then: "there are" counts both that called in March
    page.get_by_test_id("flexi-count").filter(has_text="Найдено: 2").wait_for()

    # when: "at least 2"
    row.get_by_test_id("flexi-operator").select_option("count_ge")
    row = page.get_by_test_id("flexi-condition").first
    row.get_by_test_id("flexi-chip").filter(has_text="Звонок").wait_for()  # the type and period are kept
    row.get_by_test_id("flexi-number").fill("2")
    page.get_by_test_id("flexi-count").filter(has_text="Найдено: 1").wait_for()
    page.get_by_test_id("flexi-apply").click()

    # then
    page.get_by_test_id("flexi-modal").wait_for(state="hidden")
    page.get_by_test_id("flexi-badge").wait_for()
    assert page.get_by_test_id("registry-name").all_inner_texts() == ["ООО «Альфа»"]
    assert "не менее 2 {Звонок} 01.03.2026 — 31.03.2026" in page.get_by_test_id("flexi-badge").inner_text()
