"""Export of the client registry in a real browser: marks, the dialog, the downloaded file, the export log."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from kontora.clients.models import ClientExport
from tests.accounts.factories import UserFactory
from tests.clients.factories import client_named
from tests.support.browser import screenshot, sign_in

NAMES = ["ООО «Альфа»", "АО «Берёза»", "ООО «Вектор»", "ЗАО «Гранит»", "ООО «Дельта»"]


@pytest.mark.feature("ACL-06", "ACL-03", "REG-01")
def test_administrator_exports_marked_clients_and_sees_the_log(page, live_server, admin_user, transactional_db,
                                                               tmp_path: Path):
    # given five clients of the administrator and another curator's private one
    for number, name in enumerate(NAMES, start=1):
        client_named(name, curator=admin_user, phone=f"+7 495 100-00-0{number}")
    client_named("Тайный", curator=UserFactory(login="keeper"), private=True)
    sign_in(page, live_server.url, "admin")

    # when two clients are marked with Space and the toolbar's Export is clicked
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.get_by_text("Отмечено: 1").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.get_by_text("Отмечено: 2").wait_for()
    page.get_by_test_id("registry-export").click()
    page.get_by_test_id("export-form").wait_for()

    # then the dialog offers the registry's clients or the two marked ones
    assert page.get_by_test_id("export-marked").inner_text() == "(2)"
    page.get_by_label("Только отмеченные клиенты").check()
    page.get_by_label("Текст CSV с разделителем «;»").check()
    screenshot(page, "clients-export")

    # when the file is downloaded
    with page.expect_download() as info:
        page.get_by_test_id("export-submit").click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)

    # then it holds the two marked clients, Excel-ready, and the phones cannot run as formulas
    assert download.suggested_filename.startswith("клиенты-") and target.suffix == ".csv"
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [r[1] for r in rows[1:]] == ["АО «Берёза»", "ЗАО «Гранит»"]
    assert rows[1][7] == "'+7 495 100-00-02"

    # when the administrator opens Administration → Client export log
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Администрирование").click()
    page.get_by_role("link", name="Журнал экспорта клиентов").click()

    # then the export is on record
    row = page.get_by_test_id("export-log-row")
    row.wait_for()
    assert "отмеченные клиенты" in row.inner_text() and "CSV" in row.inner_text()
    assert ClientExport.objects.get().rows == 2
    screenshot(page, "clients-export-log")
