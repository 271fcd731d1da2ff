"""The import of clients in a real browser (IMP-01 … IMP-04): the manual's sample workbook through the three steps —
load, a row fixed in the grid, the dry run, «Импортировать» — and «Отменить импорт», with the guide's pictures; the
page following each job to the import as it now is; a sheet chosen and a switch changed loading again at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kontora.clients.models import Client
from kontora.core.models import Job
from kontora.core.services.jobs import job_run
from kontora.imports.models import Import
from tests.imports.support import TWO_SHEETS, workbook
from tests.support.browser import csp_violations, htmx_ready, screenshot, sign_in, watch_csp

SAMPLE = Path(__file__).parent.parent / "data" / "arsenal.xlsx"


def _the_page_follows_the_job(page, action) -> None:  # type: ignore[no-untyped-def]
    """`action` starts a job of the import; a worker takes it (nothing is left to do if the queue ran it already)
    and the page goes by itself to the import as the job left it: no «Открыть результат», no reload."""
    last = Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with page.expect_navigation(url=re.compile(r"/imports/\d+/$"), timeout=15_000):
        action()
        for _attempt in range(100):
            job = Job.objects.filter(pk__gt=last).order_by("-pk").first()
            if job is not None:
                break
            page.wait_for_timeout(100)
        assert job is not None, "no job started"
        job_run(job_id=job.pk)


@pytest.mark.feature("IMP-01", "IMP-02", "IMP-03", "IMP-04")
def test_administrator_imports_the_manuals_sample_and_undoes_it(page, live_server, admin_user, transactional_db):
    base = live_server.url
    watch_csp(page)
    sign_in(page, base, "admin")
    # given Администрирование → «Импорт клиентов»
    page.get_by_role("button", name="Администрирование").click()
    page.get_by_role("link", name="Импорт клиентов").click()
    expect(page.get_by_test_id("imports-title")).to_have_text("Импорт клиентов")
    # when the sample workbook is loaded (step 1); a worker takes the load
    page.set_input_files("#id_file", str(SAMPLE))
    screenshot(page, "import-upload")
    _the_page_follows_the_job(page, page.get_by_test_id("imports-load").click)
    # then the page shows the sheet, the mapping over the first rows and the rows with their problems
    expect(page.get_by_test_id("import-step1")).to_contain_text("Прочитан лист «Клиенты»")
    expect(page.get_by_test_id("import-mapping")).to_contain_text("Арсенал-Сервис")
    expect(page.get_by_test_id("import-row")).to_have_count(5)
    expect(page.locator('[data-testid="import-problem"][data-severity="error"]').first).to_be_visible()
    screenshot(page, "import-step1")
    # when the wrong e-mail of row 4 is fixed in place (step 2)
    row = page.locator('[data-testid="import-row"][data-number="4"]')
    expect(row).to_contain_text("info@@grants")
    htmx_ready(row.get_by_test_id("import-row-edit"))
    row.get_by_test_id("import-row-edit").click()
    form = page.locator('[data-testid="import-row-form"][data-number="4"]')
    form.get_by_label("E-mail общий").fill("info@grant.ru")
    form.scroll_into_view_if_needed()
    screenshot(page, "import-step2")
    form.get_by_test_id("import-row-save").click()
    fixed = page.locator('[data-testid="import-row"][data-number="4"]')
    expect(fixed).to_contain_text("info@grant.ru")
    expect(fixed.locator('[data-severity="error"]')).to_have_count(0)
    # and the dry run is asked for (step 3)
    page.get_by_label("Сопоставлять с клиентами по").select_option(value="inn")
    _the_page_follows_the_job(page, page.get_by_test_id("import-check").click)
    expect(page.get_by_test_id("import-counts")).to_contain_text("будет создано 3")
    page.get_by_test_id("import-step3").scroll_into_view_if_needed()
    screenshot(page, "import-step3")
    # and «Импортировать»
    _the_page_follows_the_job(page, page.get_by_test_id("import-start").click)
    expect(page.get_by_test_id("import-job")).to_contain_text("Импорт клиентов из arsenal.xlsx")
    expect(page.get_by_test_id("import-state")).to_have_text("Импортирован")
    expect(page.get_by_test_id("import-errors-csv")).to_be_visible()
    page.get_by_test_id("import-step3").scroll_into_view_if_needed()
    screenshot(page, "import-done")
    assert Client.objects.filter(short_name="Арсенал-Сервис").exists()
    # then «Отменить импорт» takes the clients back
    page.once("dialog", lambda dialog: dialog.accept())
    _the_page_follows_the_job(page, page.get_by_test_id("import-undo").click)
    expect(page.get_by_test_id("import-state")).to_have_text("Отменён")
    assert not Client.objects.filter(short_name="Арсенал-Сервис").exists()
    assert csp_violations(page) == []


@pytest.mark.feature("IMP-01", "IMP-02")
def test_a_sheet_chosen_and_a_switch_changed_load_the_file_again_at_once(page, live_server, admin_user,
                                                                          transactional_db, tmp_path):
    base = live_server.url
    watch_csp(page)
    sign_in(page, base, "admin")
    # given a workbook of two sheets, loaded: the page lands on the import by itself
    book = tmp_path / "clients.xlsx"
    book.write_bytes(workbook(TWO_SHEETS))
    page.goto(f"{base}/imports/")
    page.set_input_files("#id_file", str(book))
    _the_page_follows_the_job(page, page.get_by_test_id("imports-load").click)
    expect(page.get_by_test_id("import-step1")).to_contain_text("Прочитан лист «Клиенты»")
    # when the other sheet is chosen from the workbook's sheets
    _the_page_follows_the_job(page, lambda: page.get_by_test_id("import-sheet").select_option("Поставщики"))
    # then it is read, its own columns mapped
    expect(page.get_by_test_id("import-step1")).to_contain_text("Прочитан лист «Поставщики»")
    expect(page.get_by_test_id("import-row")).to_have_count(2)
    expect(page.get_by_test_id("import-row").first).to_contain_text("vector@example.ru")
    # when a switch of the automatic processing is turned off, without pressing «Загрузить заново»
    _the_page_follows_the_job(page, page.get_by_label("Проверить адреса e-mail").uncheck)
    # then the rows are processed again with it off
    expect(page.get_by_label("Проверить адреса e-mail")).not_to_be_checked()
    expect(page.get_by_test_id("import-step1")).to_contain_text("Прочитан лист «Поставщики»")
    # and a page watching a job still running goes to the import by itself when the job ends (its bar's poll)
    run = Import.objects.order_by("-pk").first()
    assert run is not None
    job = Job.objects.create(kind="imports_check", title="Проверка", created_by=admin_user,
                             status=Job.Status.RUNNING)
    page.goto(f"{base}/imports/{run.pk}/?job={job.pk}")
    expect(page.locator('[data-testid="job-progress"][data-status="running"]')).to_be_visible()
    with page.expect_navigation(url=re.compile(rf"/imports/{run.pk}/$"), timeout=10_000):
        Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, result={"url": f"/imports/{run.pk}/"})
    assert csp_violations(page) == []
