"""The card's Files tab in a real browser: a folder, an upload, F2 rename in place, Ctrl+I total."""

from __future__ import annotations

import pytest

from kontora.clients.models import ClientFile
from tests.clients.factories import ClientFactory
from tests.support.browser import screenshot, sign_in

pytestmark = pytest.mark.usefixtures("files_home")


@pytest.mark.feature("FIL-01", "FIL-02")
def test_manager_uploads_renames_and_totals_files(page, live_server, manager_user, transactional_db, files_home):
    base = live_server.url
    # given a manager's client card open on the Files tab
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/{client.pk}/")
    page.click("[data-testid=tab-files]")
    panel = page.locator("[data-testid=files-panel]")
    panel.wait_for()

    # when a folder is created and opened with a double click
    page.fill("[data-testid=files-folder-name]", "Договоры")
    page.press("[data-testid=files-folder-name]", "Enter")
    folder_row = page.locator("[data-testid=files-folder-row]", has_text="Договоры")
    folder_row.evaluate("row => row.scrollIntoView({block: 'center'})")
    folder_row.dblclick()
    page.wait_for_selector("[data-testid=files-path]:has-text('Договоры')")

    # and a file is uploaded into it
    page.set_input_files("[data-testid=files-input]", files=[
        {"name": "договор.txt", "mimeType": "text/plain", "buffer": "Договор поставки\n".encode()}])
    page.click("[data-testid=files-upload]")
    row = page.locator("[data-testid=files-file-row]", has_text="договор.txt")
    row.wait_for()

    # then it is stored in that folder
    stored = ClientFile.objects.get()
    assert (stored.name, stored.folder.name if stored.folder else None) == ("договор.txt", "Договоры")

    # when the row is clicked, its properties are shown
    row.locator("td").nth(1).click()
    assert "text/plain" in page.locator("[data-testid=files-properties]").inner_text()

    # when F2 is pressed on it and a new name typed with Enter
    page.keyboard.press("F2")
    field = page.locator("[data-testid=files-rename-input]")
    field.wait_for()
    field.fill("Договор поставки.txt")
    field.press("Enter")

    # then the row shows the new name
    page.locator("[data-testid=files-file-row]", has_text="Договор поставки.txt").wait_for()
    stored.refresh_from_db()
    assert stored.name == "Договор поставки.txt"

    # when Ctrl+I is pressed
    page.locator("[data-testid=files-file-row] td").nth(1).click()
    # the click loads the properties into the same panel: let it land first, or it may replace the total
    page.locator("[data-testid=files-properties]", has_text="Договор поставки.txt").wait_for()
    page.keyboard.press("Control+i")

    # then the total of all attachments is shown
    total = page.locator("[data-testid=files-total-text]")
    total.wait_for()
    assert total.inner_text().strip() == "Всего 1 файл, 0,0 МБ"
    screenshot(page, "client-files")
