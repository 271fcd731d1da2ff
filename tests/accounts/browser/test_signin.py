from __future__ import annotations

import pytest

from tests.support.http import PASSWORD


@pytest.mark.feature("ACC-01")
def test_login_page_signs_in_and_shows_main_menu(page, live_server, manager_user, transactional_db):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_login", "manager")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("[data-testid=current-user]").inner_text().startswith("Алексей Менеджеров")
