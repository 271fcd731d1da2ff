"""A job's page follows its progress in the browser."""

from __future__ import annotations

from playwright.sync_api import expect

from kontora.core.models import Job
from tests.support.browser import screenshot, sign_in


def test_job_page_follows_progress_until_the_job_ends(page, live_server, admin_user, manager_user, transactional_db):
    # given: an import of the manager's is half done
    job = Job.objects.create(
        kind="import", title="Загрузка клиентов из Excel", created_by=manager_user, status=Job.Status.RUNNING,
        done=420, total=1000, message="Обработано 420 из 1000 строк",
    )
    sign_in(page, live_server.url, "manager")
    # when
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    progress = page.locator("[data-testid=job-progress]")
    expect(progress).to_contain_text("42 %")
    expect(progress).to_contain_text("Отменить задание")
    screenshot(page, "jobs-progress")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, done=1000, message="Обработано 1000 из 1000 строк",
        result={"summary": "Загружено 998 клиентов"}, errors=["Строка 17: неверный ИНН", "Строка 240: нет названия"],
    )
    # then: the bar re-fetches itself and stops at the end
    expect(progress).to_have_attribute("data-status", "done", timeout=5_000)
    expect(progress).to_contain_text("100 %")
    expect(progress).to_contain_text("Загружено 998 клиентов")
    expect(progress.locator("[data-testid=job-errors] li")).to_have_text(
        ["Строка 17: неверный ИНН", "Строка 240: нет названия"]
    )
    expect(progress).not_to_contain_text("Отменить задание")
    screenshot(page, "jobs-done")
