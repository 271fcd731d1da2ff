"""Behaviours (static/kontora/behaviours/) on the processes' pages, where no other test drives them: the
journal's "Show closed" box sends its filter at once (submit-on-change), the protocol's Print button opens the
browser's print dialog (print)."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from kontora.processes.services import runs as services
from tests.clients.factories import ClientFactory
from tests.support.browser import sign_in


def test_show_closed_sends_the_journal_filter_at_once(page, live_server, manager_user, transactional_db):
    sign_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/processes/")
    expect(page.get_by_test_id("journal-show-closed")).to_be_checked()  # closed runs are shown at first
    # when
    page.get_by_test_id("journal-show-closed").uncheck()
    # then
    page.wait_for_url(re.compile(r"/processes/\?closed=0$"))
    expect(page.get_by_test_id("journal-show-closed")).not_to_be_checked()


def test_print_opens_the_print_dialog(page, live_server, admin_user, claim: dict[str, Any], transactional_db):
    # given a run's printable protocol, with the browser's print dialog stubbed to say it was asked for
    client = ClientFactory(short_name="ООО Ромашка", curator=admin_user)
    run = services.run_start(acting_user=admin_user, process=claim["process"], client=client)
    page.add_init_script("window.print = function () { window.__printed = true; };")
    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/processes/{run.pk}/protocol/print/")
    # when
    page.get_by_test_id("print-button").click()
    # then
    assert page.evaluate("window.__printed === true")
