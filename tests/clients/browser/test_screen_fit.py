"""The registry and the card fit a 1280 × 800 screen with both side panels open (the daily-use issue's item 13):
every column's header in view, the toolbar one row, the filter templates' ✎ clickable, the card's tabs one row;
the panels stay as the user left them, after a reload and on another computer. Checked at 1920 × 1080 too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kontora.clients.models import FilterTemplate
from kontora.core.services.settings import system_settings_update
from kontora.directories.models import Attribute, ClientStatus
from tests.clients.factories import client_named
from tests.clients.support import make_attribute
from tests.directories.factories import SettlementFactory
from tests.support.browser import sign_in

SIZES = [{"width": 1280, "height": 800}, {"width": 1920, "height": 1080}]
LONG = "ООО «Очень длинное наименование торгово-производственной компании «Северо-Западный регион» номер {}»"

# The element a click at the centre of `el` reaches: `el` itself or something inside it, if nothing covers it.
HIT = """el => { const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !!hit && (hit === el || el.contains(hit)); }"""


def _box(locator):
    box = locator.bounding_box()
    assert box is not None
    return box


def _in_view(page, locator) -> bool:
    box, size = _box(locator), page.viewport_size
    return box["x"] >= 0 and box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"]


def _one_row(page) -> bool:
    """The main window's toolbar is one row: its buttons side by side (centres level), none of them two lines high."""
    boxes = [_box(b) for b in page.locator(".k-toolbar .btn:visible").all()]
    centres = [b["y"] + b["height"] / 2 for b in boxes]
    heights = [b["height"] for b in boxes]
    toolbar = _box(page.locator(".k-toolbar"))["height"]
    return max(centres) - min(centres) <= 2 and max(heights) < 1.6 * min(heights) and toolbar < 2 * max(heights)


def _look(page, name: str) -> None:
    """The screen as the test left it, for a person to look at (KONTORA_FIT_SHOTS=<folder>; build/ is ignored)."""
    folder = os.environ.get("KONTORA_FIT_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        page.screenshot(path=str(Path(folder) / f"{name}-{size['width']}.png"))


@pytest.fixture
def crowded(admin_user, manager_user, transactional_db):
    """Clients with names, cities, phones and statuses longer than their columns, a template of the admin's, and
    every tab of the card on (an attribute, Security, Shipping)."""
    make_attribute(Attribute.Kind.TEXT, "Цвет логотипа")
    system_settings_update(acting_user=admin_user, security_tab_enabled=True, shipping_tab_enabled=True)
    status = ClientStatus.objects.create(name="Наш постоянный клиент с особыми условиями", name_key="наш")
    city = SettlementFactory(name="Санкт-Петербург")
    clients = [client_named(LONG.format(i), curator=admin_user, status=status, settlement=city, flagged=i % 3 == 0,
                            phone=f"+7 (495) 100-00-{i:02d}, +7 (812) 555-44-{i:02d}") for i in range(30)]
    FilterTemplate.objects.create(owner=admin_user, name="Горячие клиенты Северо-Западного региона", spec={
        "op": "and", "items": [{"field": "flagged", "operator": "is_true", "value": None}]})
    return clients


@pytest.mark.feature("REG-01", "REG-06", "CLI-14")
def test_the_registry_and_the_card_fit_the_screen_with_both_panels_open(page, live_server, crowded):
    base = live_server.url
    sign_in(page, base, "admin")
    for size in SIZES:
        page.set_viewport_size(size)
        page.goto(f"{base}/")
        # the panels are open (the default)
        expect(page.get_by_test_id("assistant")).to_have_attribute("open", "")
        expect(page.get_by_test_id("informer")).to_have_attribute("open", "")
        # then every column's header is in view and not covered, the paperclip's included
        headers = page.locator("#k-registry-head th")
        assert headers.count() == 10
        for i in range(headers.count()):
            assert _in_view(page, headers.nth(i)) and headers.nth(i).evaluate(HIT), (size, i)
        # a long name ends in an ellipsis in its column, the whole of it in the title
        name = page.get_by_test_id("registry-name").first
        assert name.get_attribute("title") == LONG.format(0)
        assert name.evaluate("el => el.scrollWidth > el.clientWidth")
        # the toolbar is one row of buttons, with a row marked and a filter's badge too
        if size == SIZES[0]:  # the mark is kept in the session for the next size
            page.get_by_test_id("registry-row").nth(1).click()
            page.keyboard.press("Space")
        expect(page.get_by_test_id("registry-clear-marks")).to_be_visible()
        assert _one_row(page), size
        page.get_by_test_id("registry-templates").click()
        item = page.get_by_test_id("flexi-template").filter(has_text="Северо-Западного")
        item.get_by_test_id("flexi-template-count").filter(has_text="10").wait_for()
        # the template's ✎ is inside the window and nothing covers it (it lay under the Informer)
        edit = item.get_by_test_id("flexi-template-edit")
        assert _in_view(page, edit) and edit.evaluate(HIT), size
        _look(page, "registry-templates")
        item.get_by_test_id("flexi-template-apply").click()
        page.get_by_test_id("flexi-badge").wait_for()
        assert _one_row(page), size
        assert all(_in_view(page, page.get_by_test_id(t)) for t in ("flexi-clear", "registry-export")), size
        _look(page, "registry")
        page.get_by_test_id("flexi-clear").click()
        page.get_by_test_id("flexi-badge").wait_for(state="detached")

        # when a card is opened: its tab strip is one row, every tab in view and clickable
        page.goto(f"{base}/clients/{crowded[0].pk}/")
        tabs = page.locator(".k-client-card .nav-tabs .nav-link")
        assert tabs.count() >= 13
        tops = {round(_box(tabs.nth(i))["y"]) for i in range(tabs.count())}
        assert len(tops) == 1, (size, tops)
        for i in range(tabs.count()):
            assert _in_view(page, tabs.nth(i)) and tabs.nth(i).evaluate(HIT), (size, i)
        assert page.get_by_test_id("tab-registration").get_attribute("title") == "Регистрационные данные"
        # and no label is cut short at these sizes
        cut = [tabs.nth(i).inner_text() for i in range(tabs.count())
               if tabs.nth(i).evaluate("el => el.scrollWidth > el.clientWidth")]
        assert not cut, (size, cut)
        for button in ("client-ok", "client-apply"):
            assert _in_view(page, page.get_by_test_id(button)), (size, button)
        _look(page, "card")


@pytest.mark.feature("ORG-05", "ORG-06")
def test_the_side_panels_stay_as_left_after_a_reload_and_on_another_computer(page, new_page, live_server,
                                                                             manager_user, transactional_db):
    base = live_server.url
    sign_in(page, base, "manager")
    # when both panels are folded
    for panel in ("assistant", "informer"):
        with page.expect_response(lambda r: r.url.endswith("/panel/") and r.status == 204):
            page.get_by_test_id(panel).locator("summary").click()
    # then a reload keeps them folded, the centre wider, and the Informer's «Не показывать при запуске» ticked
    page.reload()
    expect(page.get_by_test_id("assistant")).not_to_have_attribute("open", "")
    expect(page.get_by_test_id("informer")).not_to_have_attribute("open", "")
    expect(page.locator("#k-informer-hide")).to_be_checked()
    # and so does a sign-in on another computer (another browser context), where the Assistant is opened again
    other = new_page()
    sign_in(other, base, "manager")
    expect(other.get_by_test_id("assistant")).not_to_have_attribute("open", "")
    expect(other.get_by_test_id("informer")).not_to_have_attribute("open", "")
    with other.expect_response(lambda r: r.url.endswith("/panel/") and r.status == 204):
        other.get_by_test_id("assistant").locator("summary").click()
    # then the first browser's next page has the Assistant open and the Informer still folded
    page.goto(f"{base}/")
    expect(page.get_by_test_id("assistant")).to_have_attribute("open", "")
    expect(page.get_by_test_id("informer")).not_to_have_attribute("open", "")
    page.get_by_test_id("informer").locator("summary").click()
    expect(page.locator("#k-informer-hide")).not_to_be_checked()
