"""Help → Guide in the browser (SYS-09): F1 on a page opens its section of the guide; the guide's search box."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest
from playwright.sync_api import expect

from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


@pytest.mark.feature("SYS-09")
def test_f1_on_the_registry_opens_its_guide_section_in_the_guides_tab(page, live_server, manager_user, admin_user,
                                                                       transactional_db):
    # given the main window with the client registry
    watch_csp(page)
    sign_in(page, live_server.url, "manager")
    expect(page.locator("body")).to_have_attribute("data-k-help", "/help/guide/clients-registry/")
    # when F1 is pressed
    with page.context.expect_page() as opened:
        page.keyboard.press("F1")
    guide = opened.value
    guide.wait_for_load_state()
    # then the guide's page about the registry opens beside it, and the registry stays where it was
    assert guide.url == f"{live_server.url}/help/guide/clients-registry/"
    expect(guide.get_by_role("heading", level=1)).to_have_text("Реестр клиентов")
    assert page.url == f"{live_server.url}/"
    # when F1 is pressed on another page, in a field of it: the guide's tab is used again, not another one
    page.goto(f"{live_server.url}/settings/parameters/")
    page.locator("select").first.focus()
    page.keyboard.press("F1")
    guide.bring_to_front()
    expect(guide).to_have_url(f"{live_server.url}/help/guide/main-window/#" + quote("настройки--параметры"))
    expect(guide.locator("#настройки--параметры")).to_be_in_viewport()
    assert len(page.context.pages) == 2
    assert csp_violations(page) == []


@pytest.mark.feature("SYS-09")
def test_guide_search_finds_a_section_and_opens_it(page, live_server, manager_user, admin_user, transactional_db):
    # given the guide, opened from the Help menu
    watch_csp(page)
    sign_in(page, live_server.url, "manager")
    page.get_by_role("button", name="Справка").click()
    page.get_by_role("link", name="Руководство").click()
    page.wait_for_url(f"{live_server.url}/help/guide/")
    # when Ctrl+F puts the cursor in the search box, and words are typed in other forms than the guide's
    page.keyboard.press("Control+f")
    expect(page.get_by_test_id("guide-search")).to_be_focused()
    page.keyboard.type("резервной копии")
    page.keyboard.press("Enter")
    # then the sections holding both words are listed, the words marked
    page.wait_for_url("**/help/guide/search/?q=*")
    hit = page.get_by_test_id("guide-hit").filter(has_text="Резервная копия из программы")
    expect(hit.locator("mark").first).to_have_text("Резервная")
    screenshot(page, "guide-search")
    # when the section is opened
    hit.get_by_role("link").first.click()
    # then the page opens at that section
    page.wait_for_url("**/help/guide/backup/#*")
    assert unquote(page.url).endswith("/help/guide/backup/#резервная-копия-из-программы")
    expect(page.locator("#резервная-копия-из-программы")).to_be_in_viewport()
    expect(page.locator('img[src="/help/guide/img/backups.png"]')).to_be_visible()
    assert page.locator('img[src="/help/guide/img/backups.png"]').evaluate("img => img.naturalWidth") > 0
    assert csp_violations(page) == []
