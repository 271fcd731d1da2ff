"""The Content-Security-Policy (core.middleware) in Chromium: every page carries it, the main window runs under it
without one violation, and the detector sees the violation of a page with an inline script slipped in (the positive
control of every "no violation" test: the card, the Flexi-filter and the files tab in tests/clients, the process
designer in tests/processes)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kontora.core.middleware import CONTENT_SECURITY_POLICY
from kontora.core.services.notifications import notification_send
from tests.clients.factories import client_named
from tests.support.browser import csp_violations, sign_in, watch_csp


def test_every_answer_of_the_pages_carries_the_policy(page, live_server, admin_user, transactional_db):
    sign_in(watch_csp(page), live_server.url, "admin")
    response = page.goto(f"{live_server.url}/")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "'unsafe-eval'" not in CONTENT_SECURITY_POLICY
    # htmx runs as base.html configures it: no eval, no history kept in localStorage
    config = page.evaluate("[htmx.config.allowEval, htmx.config.historyCacheSize, htmx.config.includeIndicatorStyles]")
    assert config == [False, 0, False]


def test_the_detector_sees_an_inline_script_and_style_slipped_into_a_page(page, live_server, admin_user,
                                                                         transactional_db):
    # given: the main window's answer with an inline script and a style attribute added on the way, policy kept
    sign_in(watch_csp(page), live_server.url, "admin")

    def inject(route: Any) -> None:
        answer = route.fetch()
        body = answer.text().replace(
            "</main>", '</main><script>window.slipped = 1;</script><div style="color: red">x</div>')
        route.fulfill(response=answer, body=body)

    page.route(f"{live_server.url}/", inject)
    # when
    page.goto(f"{live_server.url}/")
    # then: both are refused and reported, the script never ran
    seen = {(v["directive"], v["blocked"], v["sample"]) for v in csp_violations(page)}
    assert seen == {("script-src-elem", "inline", "window.slipped = 1;"), ("style-src-attr", "inline", "color: red")}
    assert page.evaluate("window.slipped === undefined")


@pytest.mark.feature("REG-01", "REG-08")
def test_the_main_window_raises_no_violation(page, live_server, admin_user, manager_user, transactional_db):
    base = live_server.url
    # given clients in the registry (flag, private, attention marks) and a notification waiting for the admin
    client_named("ООО «Альфа»", curator=admin_user, flagged=True, needs_attention=True)
    client_named("ООО «Бета»", curator=admin_user, private=True)
    client_named("ООО «Вектор»", curator=manager_user)
    notification_send(acting_user=manager_user, recipient=admin_user, text="Перезвоните «Альфе»", url="/")
    sign_in(watch_csp(page), base, "admin")
    # the bell's answer brings a toast
    expect(page.locator("#k-toasts [data-k-toast]")).to_have_count(1)
    # when rows are marked, a name is looked up and the extended search and the shortcuts are opened
    page.get_by_test_id("registry-row").first.click()
    page.keyboard.press("Space")
    expect(page.get_by_test_id("registry-marked-count")).to_contain_text("1")
    page.get_by_test_id("registry-clear-marks").click()
    expect(page.get_by_test_id("registry-marked-count")).to_contain_text("0")
    expect(page.locator("[data-testid=registry-row].k-marked")).to_have_count(0)
    page.get_by_test_id("registry-find").fill("ооо бет")
    expect(page.locator("[data-testid=registry-row].k-focus")).to_contain_text("Бета")
    page.get_by_test_id("registry-find").press("Enter")
    page.keyboard.press("Shift+F")
    page.get_by_test_id("search-name").fill("Бета")
    page.get_by_test_id("search-name").press("Enter")
    expect(page.get_by_test_id("search-open")).not_to_have_attribute("href", "#")
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    expect(page.get_by_test_id("shortcuts-modal")).to_be_visible()
    # then nothing was refused, and no page was kept in the browser's storage for the next person at this computer
    assert csp_violations(page) == [], "the main window"
    assert page.evaluate("localStorage.length") == 0
