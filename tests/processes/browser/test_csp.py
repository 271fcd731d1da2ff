"""The process designer runs under the Content-Security-Policy without one violation (the detector's positive
control: tests/core/browser/test_csp.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.processes.services import setup as process_services
from tests.support.browser import csp_violations, sign_in, watch_csp


@pytest.mark.feature("BPM-01")
def test_the_process_designer_raises_no_violation(page, live_server, admin_user, manager_user, transactional_db):
    # given a process with a start stage
    process = process_services.process_save(acting_user=admin_user, name="Согласование договора")
    process_services.stage_save(acting_user=admin_user, process=process, name="Проверка юристом", is_start=True,
                                responsible=manager_user)
    sign_in(watch_csp(page), live_server.url, "admin")
    page.goto(f"{live_server.url}/processes/setup/{process.pk}/")
    # when a new stage is opened in the modal and marked as the end
    page.get_by_test_id("stage-new").click()
    form = page.locator("#k-modal.show [data-testid=stage-form]")
    form.wait_for()
    form.locator("#id_is_end").check()
    # then an end stage has no responsible: the picker rests
    expect(form.locator("#id_responsible")).to_be_disabled()
    form.locator("#id_is_end").uncheck()
    expect(form.locator("#id_responsible")).to_be_enabled()
    page.keyboard.press("Escape")
    page.goto(f"{live_server.url}/processes/setup/")
    assert csp_violations(page) == [], "the process designer"
