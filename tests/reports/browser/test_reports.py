"""Reports in a real browser (RPT-01 … RPT-05): from the Reports menu to the result, sorted and folded on screen,
exported to Excel, saved and opened again."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kontora.directories.models import EventType
from tests.accounts.factories import UserFactory
from tests.activity.factories import EventFactory
from tests.clients.factories import ClientFactory
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


@pytest.mark.feature("RPT-01", "RPT-03", "RPT-04", "RPT-05")
def test_a_supervisor_generates_sorts_exports_saves_and_opens_event_statistics(page, live_server, transactional_db):
    base = live_server.url
    # given two managers' calls and meetings of today, and a supervisor who reports on everyone
    call = EventType.objects.create(name="Звонок", name_key="звонок")
    meeting = EventType.objects.create(name="Встреча", name_key="встреча")
    UserFactory(login="boss", full_name="Сергей Супервизоров", role="supervisor", client_scope="full")
    for name, calls, meetings in (("Анна Первая", 2, 5), ("Борис Второй", 4, 1)):
        author = UserFactory(full_name=name, role="manager")
        client = ClientFactory(curator=author)
        EventFactory.create_batch(calls, client=client, author=author, event_type=call, created_at=timezone.now())
        EventFactory.create_batch(meetings, client=client, author=author, event_type=meeting,
                                  created_at=timezone.now())
    watch_csp(page)
    sign_in(page, base, "boss")

    # when he picks «Статистика по событиям» from the Reports menu and generates it for this month
    page.click("[data-menu=reports] > a")
    page.locator("[data-menu=reports]").get_by_role("link", name="Статистика по событиям").click()
    expect(page.get_by_test_id("report-form")).to_be_visible()
    page.get_by_test_id("report-run").click()

    # then each manager is a group with his events by type, and the total is all of them
    table = page.get_by_test_id("report-table")
    expect(table.get_by_test_id("report-group")).to_have_count(2)
    expect(table.get_by_test_id("report-total")).to_contain_text("12")
    expect(page.get_by_test_id("report-generated")).to_contain_text("Сформировал Сергей Супервизоров")
    expect(page.get_by_test_id("report-chart")).to_be_visible()
    page.mouse.wheel(0, 330)  # the picture: the report's head, its chart and the table under the form
    screenshot(page, "report-event-statistics")

    # when he sorts by the number of events, each group's rows are ordered within it, most last, then first
    heading = table.locator("th[data-k-sort='1']")
    heading.click()
    first_group = table.locator("[data-k-group='1'][data-testid=report-row]")
    expect(first_group.first).to_contain_text("Звонок")  # Анна: 2 calls before 5 meetings
    heading.click()
    expect(first_group.first).to_contain_text("Встреча")
    # and a click on a group's heading folds its rows
    table.get_by_test_id("report-group").first.click()
    expect(first_group.first).to_be_hidden()

    # when he exports it to Excel, the workbook holds the same figures as numbers
    with page.expect_download() as download:
        page.get_by_test_id("report-export-xlsx").click()
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    rows = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert ["Итого", 12, None] in rows

    # when he edits the page — a cell and the title — and asks for a page to print (RPT-06)
    page.get_by_test_id("report-edit-open").click()
    cell = page.locator("[data-k-edit=cells][data-k-place='0:0:0']")
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Встречи с клиентами")
    title = page.get_by_test_id("report-title")
    title.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Статистика для совещания")
    screenshot(page, "report-edit")
    with page.expect_popup() as printed:
        page.get_by_test_id("report-edit-run").click()
    # then the printable page holds his texts, still «Сформировал» by him, marked as edited
    sheet = printed.value
    expect(sheet.locator("h1")).to_have_text("Статистика для совещания")
    expect(sheet.get_by_test_id("report-table")).to_contain_text("Встречи с клиентами")
    expect(sheet.get_by_test_id("report-generated")).to_contain_text("исправлен вручную")
    sheet.close()
    page.get_by_test_id("report-edit-back").click()
    expect(page.get_by_test_id("report-table")).to_be_visible()

    # when he saves it and opens the saved file from «Открыть сохранённый отчёт»
    with page.expect_download() as saved:
        page.get_by_test_id("report-save").click()
    page.click("[data-menu=reports] > a")
    page.locator("[data-menu=reports]").get_by_role("link", name="Открыть сохранённый отчёт").click()
    page.set_input_files("#id_report", saved.value.path())
    page.get_by_test_id("report-open-run").click()

    # then the report is shown as it was saved, verified as this server's
    expect(page.get_by_test_id("report-verified")).to_contain_text("проверено")
    expect(page.get_by_test_id("report-total")).to_contain_text("12")
    expect(page.get_by_test_id("report-generated")).to_contain_text("Сформировал Сергей Супервизоров")
    screenshot(page, "report-open-saved")
    assert csp_violations(page) == []


@pytest.mark.feature("RPT-04", "HIS-03")
def test_a_big_reports_excel_file_is_prepared_in_the_background_and_collected(page, live_server, manager_user,
                                                                               transactional_db, monkeypatch):
    from kontora.core.models import Job
    from kontora.core.services.jobs import job_run
    from kontora.reports.framework.render import common

    base = live_server.url
    # given a manager's events, more than an Excel file is written for while he waits
    monkeypatch.setattr(common, "WRITTEN_NOW", 2)
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    for number in range(3):
        EventFactory(client=client, author=manager_user, description=f"Звонок номер {number}")
    sign_in(page, base, "manager")
    page.goto(f"{base}/reports/events/?run=1")
    expect(page.get_by_test_id("report-row")).to_have_count(3)
    # when he presses Excel, the file is prepared by a job whose progress shows under the buttons
    page.get_by_test_id("report-export-xlsx").click()
    expect(page.get_by_test_id("report-file-job")).to_be_visible()
    job_run(job_id=Job.objects.get(kind="report_file").pk)  # a worker takes it
    # then, once done, the progress bar offers the file, which holds every event
    with page.expect_download() as download:
        page.get_by_test_id("job-result-url").click()
    book = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    texts = {str(cell) for row in book.active.iter_rows(values_only=True) for cell in row if cell}
    assert {f"Звонок номер {number}" for number in range(3)} <= texts
    # and «Мои задания» keeps it for later
    page.goto(f"{base}/jobs/")
    expect(page.get_by_test_id("job-result-link")).to_have_count(1)
