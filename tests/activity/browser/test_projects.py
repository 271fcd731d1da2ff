"""The project planner in a real browser (PLN-03): a theme with two cases built from the pages, and the theme's
percent following its cases, weighted by duration — under the Content-Security-Policy without one violation."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.activity.models import ProjectItem
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


def _item_form(page: Any, title: str, starts_on: str, due_on: str) -> None:
    page.fill("#id_title", title)
    page.fill("#id_starts_on", starts_on)
    page.fill("#id_due_on", due_on)
    with page.expect_navigation():
        page.get_by_test_id("project-ok").click()


def _theme_percent(page: Any) -> str:
    return str(page.get_by_test_id("project-row").first.get_by_test_id("project-percent").inner_text())


@pytest.mark.feature("PLN-03")
def test_a_themes_percent_follows_its_cases(page: Any, live_server: Any, transactional_db: Any,
                                             manager_user: Any) -> None:
    base = live_server.url
    sign_in(watch_csp(page), base, "manager")

    # given the manager builds a theme of 40 days in the planner
    page.goto(f"{base}/projects/")
    page.get_by_test_id("project-theme-new").click()
    _item_form(page, "Семинар-презентация", "2026-03-02", "2026-04-10")
    assert page.get_by_test_id("project-item-title").inner_text() == "Тема: Семинар-презентация"
    # with a case of its first 10 days and a case of its last 30
    page.get_by_test_id("project-case-new").click()
    _item_form(page, "Подготовить регистрацию", "2026-03-02", "2026-03-11")
    page.get_by_role("link", name="Семинар-презентация").click()
    page.get_by_test_id("project-case-new").click()
    _item_form(page, "Раздать материалы", "2026-03-12", "2026-04-10")
    page.goto(f"{base}/projects/")
    assert page.get_by_test_id("project-row").count() == 3
    assert _theme_percent(page) == "0"

    # when the short case is opened from its row (Enter) and set to 100 %
    page.get_by_test_id("project-row").nth(1).click()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.fill("#id_percent", "100")
    with page.expect_navigation():
        page.get_by_test_id("project-ok").click()

    # then the planner shows the case done and the theme at 100·10/40 = 25 %, its bar a quarter filled
    assert page.get_by_test_id("project-row").nth(1).get_by_test_id("project-percent").inner_text() == "100"
    assert _theme_percent(page) == "25"
    theme_row = page.get_by_test_id("project-row").first
    bar = float(theme_row.locator(".k-gantt-bar").get_attribute("width") or 0)
    done = float(theme_row.get_by_test_id("project-done").get_attribute("width") or 0)
    assert done == bar // 4
    screenshot(page, "project-planner")

    # when the long case reaches 50 % too
    page.get_by_test_id("project-row").nth(2).dblclick()
    page.fill("#id_percent", "50")
    with page.expect_navigation():
        page.get_by_test_id("project-ok").click()
    # then the theme follows: (100·10 + 50·30) / 40 = 62.5 → 63 %
    assert _theme_percent(page) == "63"
    assert ProjectItem.objects.get(parent=None).percent == 0  # derived on reading, never stored
    page.get_by_test_id("project-row").first.dblclick()
    page.get_by_test_id("project-derived").wait_for()
    assert page.get_by_test_id("project-item-percent").inner_text() == "63 %"
    assert page.get_by_test_id("project-case").count() == 2
    screenshot(page, "project-item")
    assert csp_violations(page) == [], "the project planner"
