"""The clients issue's story end to end, as a manager: a new company with contacts, found by Ctrl+F and by a phone
fragment (Shift+F), filtered by an OR group and saved as a template, three clients marked with Space, a 50 MB file
attached into a sub-folder, renamed with F2 and downloaded intact."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kontora.clients.models import Client, ClientFile, ContactPerson, FilterTemplate
from kontora.core.text import search_key
from kontora.directories.models import ClientStatus
from tests.clients.factories import ClientFactory
from tests.support.browser import screenshot, sign_in

FILE_SIZE = 50 * 1024 * 1024

pytestmark = pytest.mark.usefixtures("files_home")


def big_file(tmp_path: Path) -> Path:
    """50 MB: random bytes at the start, in the middle and at the end, the rest left sparse."""
    path = tmp_path / "presentation.bin"
    with path.open("wb") as out:
        out.write(os.urandom(1024 * 1024))
    os.truncate(path, FILE_SIZE)
    with path.open("r+b") as out:
        out.seek(FILE_SIZE // 2)
        out.write(os.urandom(4096))
        out.seek(FILE_SIZE - 4096)
        out.write(os.urandom(4096))
    return path


def sha256(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def focused_name(page) -> str:
    return str(page.locator("tr[data-row].k-focus [data-testid=registry-name]").inner_text())


def add_contact(page, name: str, phone: str) -> None:
    page.click("[data-testid=contact-add]")
    page.locator("#k-modal #id_full_name").wait_for()
    page.fill("#k-modal #id_full_name", name)
    page.fill("#k-modal #id_phone_mobile", phone)
    page.click("[data-testid=contact-ok]")
    page.locator("#k-modal").wait_for(state="hidden")
    page.locator(".modal-backdrop").wait_for(state="detached")
    page.locator("[data-testid=contact-row]", has_text=name).wait_for()


@pytest.mark.feature("CLI-02", "CLI-05", "REG-07", "REG-08", "REG-04", "REG-06", "REG-09", "FIL-01", "FIL-02")
def test_manager_story_from_a_new_company_to_a_downloaded_file(page, live_server, manager_user, transactional_db,
                                                              tmp_path):
    base = live_server.url
    hot = ClientStatus.objects.create(name="Горячий", name_key=search_key("Горячий"))
    ClientFactory(curator=manager_user, short_name="ООО «Альфа»", status=hot)
    for name in ("ООО «Бета»", "ООО «Вектор»", "ООО «Гранит»"):
        ClientFactory(curator=manager_user, short_name=name)
    sign_in(page, base, "manager")

    # 1. a company card with its main requisites
    page.goto(f"{base}/clients/new/?kind=company")
    page.fill("#id_short_name", "Ромашка")
    page.fill("#id_full_name", "ООО «Ромашка»")
    page.fill("#id_address", "г. Москва, ул. Ленина, 1")
    page.fill("#id_phone", "+7 (495) 123-45-67")
    page.click("[data-testid=client-apply]")
    page.wait_for_url(re.compile(rf"{re.escape(base)}/clients/\d+/$"))
    company = Client.objects.get(short_name="Ромашка")

    # 2. two contact persons in the Personnel tab's modal
    page.click("[data-testid=tab-personnel]")
    add_contact(page, "Иванов Иван Иванович", "+7 916 555-77-88")
    add_contact(page, "Петрова Анна Сергеевна", "+7 903 111-22-33")
    assert ContactPerson.objects.filter(client=company).count() == 2

    # 3. Ctrl+F in the registry puts the cursor on it
    page.goto(f"{base}/")
    page.keyboard.press("Control+f")
    page.keyboard.type("ромаш")
    # wait for the answer itself: before it, the cursor may still sit on the first row
    page.locator("tr[data-row].k-focus [data-testid=registry-name]", has_text="Ромашка").wait_for()
    assert focused_name(page) == "Ромашка"
    page.keyboard.press("Enter")

    # 4. Shift+F finds it by a fragment of a contact's mobile phone
    page.locator("body").press("Shift+F")
    page.get_by_test_id("search-modal").wait_for(state="visible")
    page.get_by_test_id("search-phone").fill("555-77")
    page.get_by_test_id("search-start").click()
    page.get_by_text(f"Найден клиент: {company.code} · Ромашка").wait_for()
    page.keyboard.press("Escape")
    page.get_by_test_id("search-modal").wait_for(state="hidden")

    # 5. the Flexi-filter: name contains "ромашка" OR status = Горячий, saved as a template, applied
    page.get_by_test_id("registry-filter").click()
    page.get_by_test_id("flexi-panel").wait_for()
    page.get_by_test_id("flexi-group-op").select_option("or")
    page.get_by_test_id("flexi-add-name").click()
    page.get_by_test_id("flexi-input").fill("ромашка")
    page.get_by_test_id("flexi-tab-classifiers").click()
    page.get_by_test_id("flexi-add-status").click()
    status_row = page.get_by_test_id("flexi-condition").nth(1)
    status_row.get_by_test_id("flexi-picker").press_sequentially("Гор")
    status_row.locator("[data-pick][data-text='Горячий']").click()
    status_row.get_by_test_id("flexi-chip").wait_for()
    page.get_by_test_id("flexi-count").filter(has_text="Найдено: 2").wait_for()
    page.get_by_test_id("flexi-save-toggle").click()
    page.fill("#k-flexi-name", "Ромашка и горячие")
    page.get_by_test_id("flexi-save").click()
    page.get_by_test_id("flexi-save-status").filter(has_text="сохранён").wait_for()
    page.get_by_test_id("flexi-apply").click()
    page.get_by_test_id("flexi-modal").wait_for(state="hidden")
    page.get_by_test_id("flexi-badge").wait_for()
    assert page.get_by_test_id("registry-name").all_inner_texts() == ["ООО «Альфа»", "Ромашка"]
    assert FilterTemplate.objects.get().name == "Ромашка и горячие"

    # 6. back to every client; three of them marked with Space, visibly
    page.get_by_test_id("flexi-clear").click()
    page.get_by_test_id("flexi-badge").wait_for(state="detached")
    assert page.get_by_test_id("registry-row").count() == 5
    page.get_by_test_id("registry-row").first.locator("td").nth(3).click()
    for marked in (1, 2, 3):
        page.keyboard.press("Space")
        page.get_by_text(f"Отмечено: {marked}").wait_for()  # one mark at a time reaches the session
        page.keyboard.press("ArrowDown")
    assert page.locator("tr[data-row].k-marked").count() == 3
    screenshot(page, "story-clients-marked")

    # 7. a 50 MB file into a sub-folder of the company's Files tab
    source = big_file(tmp_path)
    page.goto(f"{base}/clients/{company.pk}/")
    page.click("[data-testid=tab-files]")
    page.locator("[data-testid=files-panel]").wait_for()
    page.fill("[data-testid=files-folder-name]", "Презентации")
    page.press("[data-testid=files-folder-name]", "Enter")
    folder_row = page.locator("[data-testid=files-folder-row]", has_text="Презентации")
    folder_row.evaluate("row => row.scrollIntoView({block: 'center'})")
    folder_row.dblclick()
    page.wait_for_selector("[data-testid=files-path]:has-text('Презентации')")
    page.set_input_files("[data-testid=files-input]", str(source))
    page.click("[data-testid=files-upload]")
    row = page.locator("[data-testid=files-file-row]", has_text="presentation.bin")
    row.wait_for(timeout=120_000)
    stored = ClientFile.objects.get(client=company)
    assert (stored.folder.name if stored.folder else None, stored.size) == ("Презентации", FILE_SIZE)

    # 8. F2 renames it in place
    row.locator("td").nth(1).click()
    page.locator("[data-testid=files-properties]", has_text="presentation.bin").wait_for()
    page.keyboard.press("F2")
    field = page.locator("[data-testid=files-rename-input]")
    expect(field).to_be_focused()  # wired by htmx when the swap settles: an Enter before that would be lost
    field.fill("Презентация 2026.bin")
    field.press("Enter")
    renamed = page.locator("[data-testid=files-file-row]", has_text="Презентация 2026.bin")
    renamed.wait_for()

    # 9. and it downloads byte for byte
    with page.expect_download(timeout=120_000) as download_info:
        renamed.get_by_test_id("files-download").click()
    download = download_info.value
    assert download.suggested_filename == "Презентация 2026.bin"
    assert sha256(download.path()) == sha256(source)
