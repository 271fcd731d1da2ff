"""The day planner in the browser (PLN-02): a task dragged and stretched stays where it was put; a refused move snaps
back with its message; FullCalendar runs under the Content-Security-Policy without a violation. The two-week
planner's cell menu lists the day's tasks (PLN-01)."""

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from kontora.activity.models import Task
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp

MONDAY = datetime.date(2026, 12, 7)
MSK = ZoneInfo("Europe/Moscow")


def _at(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(MONDAY, datetime.time(hour, minute), tzinfo=MSK)


def _task(user: Any, **values: Any) -> Task:
    return TaskFactory(client=ClientFactory(curator=user, short_name="ООО Ромашка"), author=user,
                       starts_at=_at(10), duration_minutes=30, due_at=_at(12), description="Позвонить директору",
                       **values)


def _box(locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return box  # type: ignore[no-any-return]


def _drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0], start[1] + 8, steps=4)
    page.mouse.move(*end, steps=12)
    page.mouse.up()


def _slot(page: Any, time: str) -> Any:
    return page.locator(f'td.fc-timegrid-slot-lane[data-time="{time}"]')


@pytest.mark.feature("PLN-02")
def test_a_task_dragged_to_14_30_and_stretched_to_45_minutes_stays_there(
        page: Any, live_server: Any, manager_user: Any, transactional_db: Any) -> None:
    # given the manager's half-hour task at 10:00 on Monday, in his day planner
    task = _task(manager_user)
    sign_in(watch_csp(page), live_server.url, "manager")
    page.goto(f"{live_server.url}/plans/day/?date={MONDAY}")
    block = page.locator(f'[data-task-id="{task.pk}"]')
    expect(block).to_contain_text("10:00")
    expect(block).to_contain_text("ООО Ромашка")

    # when he drags it from 10:00 to 14:30
    top = _box(block)
    x = top["x"] + top["width"] / 2
    grab = top["y"] + 6
    drop = _box(_slot(page, "14:30:00"))["y"] + 6
    with page.expect_response(lambda r: r.url.endswith(f"/tasks/{task.pk}/move/")) as moved:
        _drag(page, (x, grab), (x, drop))
    assert moved.value.status == 200
    expect(block).to_contain_text("14:30")

    # and stretches it by its lower edge to 45 minutes
    block.hover()
    edge = block.locator(".fc-event-resizer-end")
    handle = _box(edge)
    quarter = _box(_slot(page, "15:00:00"))["y"] - _box(_slot(page, "14:45:00"))["y"]
    start = (handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    with page.expect_response(lambda r: r.url.endswith(f"/tasks/{task.pk}/move/")) as stretched:
        _drag(page, start, (start[0], start[1] + quarter))
    assert stretched.value.status == 200

    # then after a reload it stands at 14:30–15:15, as kept in the base
    page.reload()
    block = page.locator(f'[data-task-id="{task.pk}"]')
    expect(block).to_contain_text("14:30")
    expect(block).to_contain_text("15:15")
    task.refresh_from_db()
    assert (task.starts_at, task.duration_minutes, task.due_at) == (_at(14, 30), 45, _at(16, 30))
    screenshot(page, "day-planner")
    assert csp_violations(page) == [], "the day planner"


@pytest.mark.feature("PLN-02")
def test_a_move_from_a_stale_page_snaps_back_with_the_message(
        page: Any, live_server: Any, manager_user: Any, transactional_db: Any) -> None:
    # given the day planner showing the task at 10:00, which another page then moves to 11:00
    task = _task(manager_user)
    sign_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/plans/day/?date={MONDAY}")
    block = page.locator(f'[data-task-id="{task.pk}"]')
    expect(block).to_contain_text("10:00")
    Task.objects.filter(pk=task.pk).update(starts_at=_at(11), due_at=_at(13))
    # when this page drags it to 13:00
    top = _box(block)
    x, grab = top["x"] + top["width"] / 2, top["y"] + 6
    offset = _box(_slot(page, "13:00:00"))["y"] - _box(_slot(page, "10:00:00"))["y"]
    with page.expect_response(lambda r: r.url.endswith(f"/tasks/{task.pk}/move/")) as refused:
        _drag(page, (x, grab), (x, grab + offset))
    # then the move is refused: the block goes back to 10:00 and the message says why
    assert refused.value.status == 409
    expect(page.get_by_test_id("refused-toast")).to_contain_text("Обновите планировщик")
    expect(block).to_contain_text("10:00")
    task.refresh_from_db()
    assert task.starts_at == _at(11)


@pytest.mark.feature("PLN-01")
def test_a_cells_menu_lists_the_days_tasks_and_a_click_opens_the_day(
        page: Any, live_server: Any, manager_user: Any, transactional_db: Any) -> None:
    task = _task(manager_user)
    sign_in(watch_csp(page), live_server.url, "manager")
    page.goto(f"{live_server.url}/plans/fortnight/?date={MONDAY}")
    cell = page.locator(f'[data-testid=fortnight-cell][data-day="{MONDAY}"]')
    expect(cell).to_have_text("1")
    expect(cell).to_have_class(re.compile(r"k-load-1"))
    # the right button lists the day's tasks, each a link to the task
    cell.click(button="right")
    menu = page.get_by_test_id("fortnight-menu")
    expect(menu).to_be_visible()
    expect(menu.get_by_test_id("fortnight-menu-task")).to_have_text("10:00 · ООО Ромашка · Позвонить директору")
    expect(menu.get_by_test_id("fortnight-menu-task")).to_have_attribute("href", f"/tasks/{task.pk}/")
    screenshot(page, "fortnight-planner")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    # a click opens that day's planner
    cell.locator("a").click()
    page.wait_for_url(f"**/plans/day/?user={manager_user.pk}&date={MONDAY}")
    expect(page.locator(f'[data-task-id="{task.pk}"]')).to_contain_text("10:00")
    assert csp_violations(page) == [], "the two-week planner and the day planner"
