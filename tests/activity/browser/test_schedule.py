"""The day plan's print in a real browser: a clean page under the Content-Security-Policy, its print button hidden
when printed, and its PDF served."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from kontora.core.selectors.calendar import office_zone
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


@pytest.mark.browser
@pytest.mark.feature("PLN-02")
def test_the_day_plan_prints_from_a_clean_page(page: Any, live_server: Any, transactional_db: Any,
                                               manager_user: Any) -> None:
    # given the manager's task of a day
    start = datetime.datetime(2026, 3, 10, 10, 30, tzinfo=office_zone())
    TaskFactory(client=ClientFactory(curator=manager_user, short_name="ООО Ромашка"), author=manager_user,
                assignee=manager_user, starts_at=start, due_at=start + datetime.timedelta(hours=1),
                description="Согласовать поставку")
    sign_in(watch_csp(page), live_server.url, "manager")
    # when he opens the day's print page
    page.goto(f"{live_server.url}/planner/day/print/?date=2026-03-10")
    # then it lists the task, without the program's menus, with a print button the printout does not show
    rows = page.locator("[data-testid=day-print-tasks] tbody tr")
    assert rows.count() == 1 and "Согласовать поставку" in rows.first.inner_text()
    assert "ООО Ромашка" in rows.first.inner_text() and "10:30–11:30" in rows.first.inner_text()
    assert page.locator(".k-menubar").count() == 0
    assert page.get_by_test_id("print-button").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_test_id("print-button").is_visible()
    page.emulate_media(media="screen")
    screenshot(page, "activity-day-print")
    # and its PDF link answers a PDF
    pdf = page.request.get(live_server.url + "/planner/day/print/" + page.get_by_test_id("day-print-pdf")
                           .get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")
    assert csp_violations(page) == [], "the day plan's print"
