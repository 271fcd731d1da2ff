from __future__ import annotations

import pytest

from tests.support.browser import screenshot, sign_in
from tests.support.http import PASSWORD


@pytest.mark.feature("SYS-06")
def test_administrator_creates_a_backup_from_the_backups_page(page, live_server, admin_user, settings, tmp_path,
                                                               transactional_db):
    # given
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.FILES_DIR = tmp_path / "files"
    settings.FILES_DIR.mkdir()
    sign_in(page, live_server.url, "admin", PASSWORD)
    # when: Administration → Backups → Create backup now
    page.click("[data-menu=admin] > a")
    page.locator("[data-menu=admin]").get_by_role("link", name="Резервные копии", exact=True).click()
    page.click("[data-testid=backup-create]")
    # then the job's progress ends with the archive listed
    page.wait_for_selector("[data-testid=backups] tbody tr[data-archive]")
    archive = page.locator("[data-testid=backups] tbody tr[data-archive]").first.get_attribute("data-archive")
    assert archive is not None and archive.startswith("kontora-backup-")
    assert (settings.BACKUP_DIR / archive).exists()
    screenshot(page, "backups")
