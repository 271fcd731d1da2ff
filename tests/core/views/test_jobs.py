"""A job's page, its self-refreshing progress bar and cancelling; Administration → Jobs."""

from __future__ import annotations

import re

from kontora.core.models import Job
from kontora.core.selectors.jobs import NEWEST_FIRST
from tests.accounts.factories import UserFactory
from tests.core.factories import JobFactory
from tests.support.http import signed_in
from tests.support.queries import count_queries


def test_someone_elses_job_is_not_found_for_detail_progress_and_cancel(manager_user, admin_user):
    # given
    job = Job.objects.create(kind="test-record", title="Импорт", created_by=manager_user, status=Job.Status.RUNNING)
    other = signed_in(UserFactory(login="other", full_name="Другой Менеджер"))
    # when
    detail = other.get(f"/jobs/{job.pk}/")
    progress = other.get(f"/jobs/{job.pk}/progress/")
    cancel = other.post(f"/jobs/{job.pk}/cancel/")
    missing = other.get("/jobs/999999/")
    # then
    assert detail.status_code == progress.status_code == cancel.status_code == missing.status_code == 404
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING


def test_owner_and_administrator_open_the_job_page(manager_user, admin_user):
    # given
    job = Job.objects.create(kind="test-record", title="Импорт клиентов", created_by=manager_user)
    # when
    own = signed_in(manager_user).get(f"/jobs/{job.pk}/")
    admins = signed_in(admin_user).get(f"/jobs/{job.pk}/")
    # then
    assert own.status_code == admins.status_code == 200
    assert "Импорт клиентов" in own.content.decode()
    assert "Отменить задание" in own.content.decode()


def test_progress_partial_polls_while_running_and_stops_when_finished(manager_user, admin_user):
    # given
    job = Job.objects.create(
        kind="test-record", title="Импорт", created_by=manager_user, status=Job.Status.RUNNING,
        done=40, total=100, message="Обработано 40 из 100",
    )
    client = signed_in(manager_user)
    # when
    running = client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, done=100, result={"summary": "Загружено 98 клиентов"},
        errors=["Строка 7: неверный ИНН", "Строка 9: пустое наименование"],
    )
    finished = client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    # then
    assert 'hx-trigger="every 1s"' in running
    assert f'hx-get="/jobs/{job.pk}/progress/"' in running
    assert "40 %" in running
    assert "Обработано 40 из 100" in running
    assert "hx-trigger" not in finished
    assert "hx-get" not in finished
    assert "100 %" in finished
    assert "Загружено 98 клиентов" in finished
    assert "2 ошибки" in finished
    assert "Строка 9: пустое наименование" in finished
    assert "Отменить задание" not in finished


def test_owner_cancels_a_queued_job_from_the_page(manager_user, admin_user):
    # given
    job = Job.objects.create(kind="test-record", title="Импорт", created_by=manager_user)
    client = signed_in(manager_user)
    # when
    response = client.post(f"/jobs/{job.pk}/cancel/", HTTP_HX_REQUEST="true")
    # then
    assert response.status_code == 200
    assert "Задание отменено." in response.content.decode()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED


def test_administrator_sees_all_jobs_newest_first_by_pages(admin_client, manager_user):
    # given
    first = Job.objects.create(kind="test-record", title="Первое задание", created_by=manager_user)
    second = Job.objects.create(kind="test-record", title="Второе задание", created_by=None)
    # when
    page = admin_client.get("/administration/jobs/").content.decode()
    older = admin_client.get("/administration/jobs/", {"after": NEWEST_FIRST.encode(second)}).content.decode()
    # then
    assert page.index("Второе задание") < page.index("Первое задание")
    assert "Алексей Менеджеров" in page
    assert "Система" in page
    assert "Второе задание" not in older
    assert f'data-job="{first.pk}"' in older


def test_jobs_list_is_for_administrators_only(manager_client):
    response = manager_client.get("/administration/jobs/")
    assert response.status_code == 403


def test_jobs_list_costs_the_same_queries_whatever_the_number_of_jobs(admin_client, manager_user):
    # given: a page already seen once (the session's own bookkeeping is done)
    JobFactory(created_by=manager_user)
    admin_client.get("/administration/jobs/")
    with count_queries() as few:
        admin_client.get("/administration/jobs/")
    JobFactory.create_batch(3, created_by=manager_user)
    JobFactory.create_batch(3, created_by=UserFactory(login="other", full_name="Другой Менеджер"))
    JobFactory.create_batch(3, created_by=None)
    # when
    with count_queries() as many:
        page = admin_client.get("/administration/jobs/").content.decode()
    # then
    assert page.count("data-job=") == 10
    assert len(many) == len(few)


def test_my_jobs_lists_only_the_users_own_even_for_an_administrator(manager_user, admin_user, manager_client):
    # given jobs of the manager's, the administrator's and the system's
    mine = JobFactory.create_batch(2, created_by=manager_user)
    JobFactory(created_by=admin_user)
    JobFactory(created_by=None)
    # then each sees only his own in «Мои задания», and it is in his Settings menu
    page = manager_client.get("/jobs/").content.decode()
    assert sorted(int(pk) for pk in re.findall(r'data-job="(\d+)"', page)) == sorted(job.pk for job in mine)
    assert 'href="/jobs/"' in manager_client.get("/").content.decode()
    assert signed_in(admin_user).get("/jobs/").content.decode().count("data-job=") == 1


def test_my_jobs_costs_the_same_queries_whatever_the_number_of_jobs(manager_user, manager_client):
    JobFactory(created_by=manager_user)
    manager_client.get("/jobs/")
    with count_queries() as few:
        manager_client.get("/jobs/")
    JobFactory.create_batch(5, created_by=manager_user, status=Job.Status.DONE, result={"url": "/reports/files/1/"})
    with count_queries() as many:
        page = manager_client.get("/jobs/").content.decode()
    assert page.count("data-job=") == 6 and page.count('data-testid="job-result-link"') == 5
    assert len(many) == len(few)


def test_a_followed_job_takes_its_page_to_the_result_or_reloads_it_once_ended(manager_user):
    # given a page following a running job
    job = Job.objects.create(kind="test-record", title="Импорт", created_by=manager_user, status=Job.Status.RUNNING)
    client = signed_in(manager_user)
    running = client.get(f"/jobs/{job.pk}/progress/?follow=1", HTTP_HX_REQUEST="true")
    assert running.status_code == 200
    assert f'hx-get="/jobs/{job.pk}/progress/?follow=1"' in running.content.decode()
    # when it is done with a result's page, then the poll sends the page there
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, result={"summary": "Готово", "url": "/imports/7/"})
    done = client.get(f"/jobs/{job.pk}/progress/?follow=1", HTTP_HX_REQUEST="true")
    assert (done.status_code, done["HX-Redirect"]) == (204, "/imports/7/")
    # and a job that failed, or whose result is elsewhere, reloads the page that watched it
    for status, result in ((Job.Status.FAILED, {}), (Job.Status.DONE, {"url": "https://evil.example/"})):
        Job.objects.filter(pk=job.pk).update(status=status, result=result)
        ended = client.get(f"/jobs/{job.pk}/progress/?follow=1", HTTP_HX_REQUEST="true")
        assert (ended.status_code, ended["HX-Refresh"]) == (204, "true") and "HX-Redirect" not in ended
    # and a bar nobody follows is only drawn finished
    plain = client.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert plain.status_code == 200 and "HX-Refresh" not in plain and "HX-Redirect" not in plain
