"""The import of clients in a real browser (IMP-01 … IMP-04): the manual's sample workbook through the three steps —
load, a row fixed in the grid, the dry run, «Импортировать» — and «Отменить импорт», with the guide's pictures."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from kontora.clients.models import Client
from kontora.core.models import Job
from kontora.core.services.jobs import job_run
from tests.support.browser import csp_violations, htmx_ready, screenshot, sign_in, watch_csp

SAMPLE = Path(__file__).parent.parent / "data" / "arsenal.xlsx"


def _worker_runs_the_last_job(page) -> None:  # type: ignore[no-untyped-def]
    """A worker takes the job the page watches; the page's progress shows it done."""
    job_run(job_id=Job.objects.order_by("-pk").values_list("pk", flat=True).first())
    expect(page.get_by_test_id("job-status").last).to_have_text("Готово", timeout=10_000)


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
    page.get_by_test_id("imports-load").click()
    expect(page.get_by_test_id("imports-load-job")).to_be_visible()
    _worker_runs_the_last_job(page)
    page.get_by_test_id("job-result-url").click()
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
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("import-job")).to_contain_text("Проверка импорта")
    _worker_runs_the_last_job(page)
    page.get_by_test_id("job-result-url").click()
    expect(page.get_by_test_id("import-counts")).to_contain_text("будет создано 3")
    page.get_by_test_id("import-step3").scroll_into_view_if_needed()
    screenshot(page, "import-step3")
    # and «Импортировать»
    page.get_by_test_id("import-start").click()
    expect(page.get_by_test_id("import-job")).to_contain_text("Импорт клиентов из arsenal.xlsx")
    _worker_runs_the_last_job(page)
    page.reload()
    expect(page.get_by_test_id("import-state")).to_have_text("Импортирован")
    expect(page.get_by_test_id("import-errors-csv")).to_be_visible()
    page.get_by_test_id("import-step3").scroll_into_view_if_needed()
    screenshot(page, "import-done")
    assert Client.objects.filter(short_name="Арсенал-Сервис").exists()
    # then «Отменить импорт» takes the clients back
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("import-undo").click()
    expect(page.get_by_test_id("import-job")).to_contain_text("Отмена импорта")
    _worker_runs_the_last_job(page)
    page.reload()
    expect(page.get_by_test_id("import-state")).to_have_text("Отменён")
    assert not Client.objects.filter(short_name="Арсенал-Сервис").exists()
    assert csp_violations(page) == []
