"""Help → About in the browser (SYS-04, SYS-08)."""

from __future__ import annotations

import pytest

import kontora
from tests.support.browser import screenshot, sign_in


@pytest.mark.feature("SYS-04", "SYS-08")
def test_about_page(page, live_server, admin_user, transactional_db):
    # given
    sign_in(page, live_server.url, "admin")
    # when
    page.get_by_role("button", name="Справка").click()
    page.get_by_role("link", name="О программе").click()
    # then
    page.wait_for_url(f"{live_server.url}/help/about/")
    assert page.get_by_test_id("program-version").inner_text() == kontora.__version__
    assert page.get_by_test_id("about-technical").is_visible()
    screenshot(page, "about")
