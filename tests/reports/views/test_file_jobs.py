"""Big reports' files are written by jobs (issue 15, item 4): the format's button starts the job, its progress bar
answers, the file is collected from it or from «Мои задания» — by its author only; a small report's file is still
written in the request, and a streamed format never waits for a job."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kontora.core.models import Job
from kontora.core.services.jobs import job_run
from kontora.reports.framework.render import common
from tests.activity.factories import EventFactory
from tests.clients.factories import ClientFactory
from tests.support.http import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.feature("RPT-04")]

URL = "/reports/events/"
BUTTON = re.compile(r'<button type="button"[^>]*hx-post="([^"]+)"[^>]*data-testid="report-export-(\w+)"')


@pytest.fixture
def events(manager_user: Any) -> list[Any]:
    client = ClientFactory(curator=manager_user)
    return [EventFactory(client=client, author=manager_user, description=f"Звонок {n}") for n in range(6)]


def test_a_big_reports_file_is_written_by_a_job_and_collected_by_its_author_only(
        manager_user: Any, manager_client: Any, admin_user: Any, events: list[Any], files_home: Path,
        monkeypatch: Any) -> None:
    # given a report of more rows than an xlsx file is written for in the request
    monkeypatch.setattr(common, "WRITTEN_NOW", 5)
    page = manager_client.get(URL, {"run": "1"}).content.decode()
    # then its Excel button starts a job, while CSV (streamed) stays a download
    buttons = {code: url for url, code in BUTTON.findall(page)}
    assert "xlsx" in buttons and "csv" not in buttons and 'data-testid="report-export-csv"' in page
    # when it is pressed
    answer = manager_client.post(buttons["xlsx"].replace("&amp;", "&"), headers={"HX-Request": "true"})
    # then the progress bar answers for a queued job of his
    assert answer.status_code == 200 and 'data-testid="job-progress"' in answer.content.decode()
    job = Job.objects.get()
    assert (job.kind, job.created_by_id, job.status) == ("report_file", manager_user.pk, Job.Status.QUEUED)
    # when a worker runs it
    done = job_run(job_id=job.pk)
    # then the file holds every row, read as it was counted
    assert done is not None and done.status == Job.Status.DONE, done and done.errors
    assert done.done == done.total == 6
    got = manager_client.get(done.result["url"])
    assert got.status_code == 200 and ".xlsx" in got["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(got.streaming_content))).active
    texts = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell}
    assert {event.description for event in events} <= texts
    assert any(text.startswith("Сформировал Алексей Менеджеров") for text in texts)
    # and «Мои задания» lists it with the way to the file; nobody else gets the file, not even an administrator
    mine = manager_client.get("/jobs/").content.decode()
    assert f'href="{done.result["url"]}"' in mine and "_file" not in mine
    assert signed_in(admin_user).get(done.result["url"]).status_code == 404
    job_page = manager_client.get(f"/jobs/{job.pk}/").content.decode()
    assert done.result["_file"] not in job_page and f'href="{done.result["url"]}"' in job_page


def test_a_file_asked_by_its_address_past_the_limit_is_not_written_in_the_request(
        manager_client: Any, events: list[Any], monkeypatch: Any) -> None:
    monkeypatch.setattr(common, "PAGED_NOW", 5)
    answer = manager_client.get(URL, {"run": "1", "format": "pdf"})
    assert answer.status_code == 422
    assert "готовится в фоне" in answer.content.decode() and not Job.objects.exists()
    # positive control: under the limit it is written at once
    monkeypatch.setattr(common, "PAGED_NOW", 6)
    assert manager_client.get(URL, {"run": "1", "format": "pdf"})["Content-Type"] == "application/pdf"


def test_without_htmx_the_button_leads_to_the_jobs_page(manager_client: Any, events: list[Any]) -> None:
    answer = manager_client.post("/reports/events/file/?run=1&format=xlsx")
    job = Job.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/"


def test_bad_parameters_or_an_unknown_format_start_nothing(manager_client: Any, events: list[Any]) -> None:
    assert manager_client.post("/reports/events/file/?run=1&format=doc").status_code == 404
    assert manager_client.post("/reports/events/file/?run=1&format=xlsx&date_from=31.02.2026").status_code == 404
    assert manager_client.get("/reports/events/file/?run=1&format=xlsx").status_code == 405
    assert not Job.objects.exists()


def test_a_job_whose_parameters_no_longer_hold_fails_with_the_reason(manager_user: Any, events: list[Any],
                                                                    files_home: Path) -> None:
    # given a job asked for one client, who is then made another curator's private client
    from kontora.reports.framework.render import formats
    from kontora.reports.hooks import REPORTS
    from kontora.reports.services import report_file_start
    from tests.accounts.factories import UserFactory
    from tests.clients.support import make_private

    client = events[0].client
    job = report_file_start(acting_user=manager_user, report=REPORTS.get("events"),
                            query={"run": ["1"], "client": [str(client.pk)]}, chosen=formats()["xlsx"])
    client.curator = UserFactory()
    client.save()
    make_private(client)
    # when it runs
    done = job_run(job_id=job.pk)
    # then it fails, saying why, and writes nothing
    assert done is not None and done.status == Job.Status.FAILED
    assert "Клиент" in " ".join(done.errors) and not list(files_home.rglob("*.xlsx"))


def test_a_report_file_goes_a_week_after_it_was_prepared(manager_user: Any, manager_client: Any, events: list[Any],
                                                         files_home: Path, django_capture_on_commit_callbacks: Any,
                                                         monkeypatch: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from kontora.reports.services import report_files_prune

    # given two prepared files, one of eight days ago and one of six
    monkeypatch.setattr(common, "WRITTEN_NOW", 1)
    done = []
    for _ in range(2):
        manager_client.post("/reports/events/file/?run=1&format=xlsx")
        job = job_run(job_id=Job.objects.latest("id").pk)
        assert job is not None and job.status == Job.Status.DONE
        done.append(job)
    old, recent = done
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    Job.objects.filter(pk=recent.pk).update(finished_at=timezone.now() - timedelta(days=6))
    # when the hourly pass runs
    with django_capture_on_commit_callbacks(execute=True):
        assert report_files_prune() == 1
    # then the old file is gone from storage and from its job, which says so; the recent one stays
    assert not (files_home / old.result["_file"]).exists() and (files_home / recent.result["_file"]).exists()
    old.refresh_from_db()
    assert "url" not in old.result and "удалён через 7 дней" in old.result["summary"]
    assert manager_client.get(f"/reports/files/{old.pk}/").status_code == 404
    assert manager_client.get(f"/reports/files/{recent.pk}/").status_code == 200
