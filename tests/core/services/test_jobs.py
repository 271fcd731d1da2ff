"""Background jobs: started, run with progress by their handler, cancelled; starts and cancels are audited."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from kontora.core.audit import audit_record
from kontora.core.hooks import JOB_HANDLERS, JobHandler
from kontora.core.models import AuditEvent, Job
from kontora.core.services import jobs
from kontora.core.services.jobs import JobCancelled, JobContext, job_cancel, job_start
from tests.core.support import audit_row

calls: list[str] = []


def count_rows(ctx: JobContext) -> dict[str, Any]:
    n = ctx.params["rows"]
    for i in range(1, n + 1):
        if i in ctx.params.get("bad", []):
            ctx.error(f"Строка {i}: неверный ИНН")
        ctx.progress(i, n, f"Обработано {i} из {n}")
    return {"summary": f"Обработано строк: {n}", "rows": n}


def fail_midway(ctx: JobContext) -> None:
    ctx.progress(1, 4, "Чтение файла")
    raise RuntimeError("Файл повреждён: строка 2")


def cancelled_by_owner_midway(ctx: JobContext) -> dict[str, Any]:
    ctx.progress(1, 3, "Первая часть")
    # Another request (the owner pressing "Cancel") lands between two progress calls.
    job_cancel(acting_user=ctx.job.created_by, job_id=ctx.job.pk)  # type: ignore[arg-type]
    ctx.progress(2, 3, "Вторая часть")
    calls.append("went on after cancel")
    return {"rows": 3}


def record_call(ctx: JobContext) -> None:
    calls.append(f"ran {ctx.job.pk}")


@pytest.fixture(autouse=True)
def _handlers() -> Any:
    handlers = [JobHandler("test-count", count_rows), JobHandler("test-fail", fail_midway),
                JobHandler("test-cancel-midway", cancelled_by_owner_midway), JobHandler("test-record", record_call)]
    for handler in handlers:
        JOB_HANDLERS.register(handler)
    yield
    for handler in handlers:
        JOB_HANDLERS.unregister(handler.kind)


def start(user: Any, kind: str, capture: Any, **params: Any) -> Job:
    with capture(execute=True):
        job = job_start(acting_user=user, kind=kind, title="Загрузка клиентов", params=params)
    job.refresh_from_db()
    return job


def test_job_runs_with_progress_and_keeps_result_and_item_errors(manager_user, django_capture_on_commit_callbacks):
    # given
    calls.clear()
    # when
    job = start(manager_user, "test-count", django_capture_on_commit_callbacks, rows=5, bad=[2, 4])
    # then
    assert job.status == Job.Status.DONE
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert job.message == "Обработано 5 из 5"
    assert job.result == {"summary": "Обработано строк: 5", "rows": 5}
    assert job.errors == ["Строка 2: неверный ИНН", "Строка 4: неверный ИНН"]
    assert job.created_by == manager_user
    assert job.started_at is not None and job.finished_at is not None
    assert job.started_at <= job.finished_at


def test_failed_job_keeps_the_error_and_logs_the_traceback(manager_user, django_capture_on_commit_callbacks, caplog):
    # given
    caplog.set_level(logging.ERROR, logger="kontora.jobs")
    # when
    job = start(manager_user, "test-fail", django_capture_on_commit_callbacks)
    # then
    assert job.status == Job.Status.FAILED
    assert job.errors == ["Файл повреждён: строка 2"]
    assert (job.done, job.total, job.message) == (1, 4, "Чтение файла")
    assert job.finished_at is not None
    failures = [r for r in caplog.records if r.name == "kontora.jobs" and r.levelno == logging.ERROR]
    assert len(failures) == 1
    assert failures[0].exc_info is not None


def test_cancelling_a_queued_job_cancels_it_at_once_and_it_never_runs(
    manager_user, django_capture_on_commit_callbacks
):
    # given
    calls.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_start(acting_user=manager_user, kind="test-record", title="Рассылка")
    # when
    cancelled = job_cancel(acting_user=manager_user, job_id=job.pk)
    for callback in callbacks:  # the worker picks the job up afterwards
        callback()
    # then
    job.refresh_from_db()
    assert cancelled.status == Job.Status.CANCELLED
    assert job.status == Job.Status.CANCELLED
    assert job.started_at is None
    assert job.finished_at is not None
    assert calls == []


def test_cancelling_a_running_job_stops_it_at_its_next_progress_call(manager_user, django_capture_on_commit_callbacks):
    # given
    calls.clear()
    # when
    job = start(manager_user, "test-cancel-midway", django_capture_on_commit_callbacks)
    # then
    assert job.status == Job.Status.CANCELLED
    assert (job.done, job.total, job.message) == (2, 3, "Вторая часть")  # the last step reported is kept
    assert job.result == {}
    assert calls == []


def test_cancel_of_a_running_job_marks_it_cancelling(manager_user):
    # given
    job = Job.objects.create(kind="test-record", title="Импорт", created_by=manager_user, status=Job.Status.RUNNING)
    # when
    result = job_cancel(acting_user=manager_user, job_id=job.pk)
    # then
    assert result.status == Job.Status.CANCELLING
    with pytest.raises(JobCancelled):
        JobContext(result).progress(1, 10)


def test_progress_writes_are_spaced_but_the_last_step_is_always_written(manager_user, monkeypatch):
    # given
    now = [100.0]
    monkeypatch.setattr(jobs, "_clock", lambda: now[0])
    job = Job.objects.create(kind="test-record", title="Импорт", created_by=manager_user, status=Job.Status.RUNNING)
    ctx = JobContext(job)
    # when
    ctx.progress(1, 10, "первая")
    now[0] += 0.1
    ctx.progress(2, 10, "вторая")
    stored_between = Job.objects.get(pk=job.pk).done
    now[0] += 0.5
    ctx.progress(3, 10, "третья")
    stored_later = Job.objects.get(pk=job.pk).done
    now[0] += 0.01
    ctx.progress(10, 10, "готово")
    # then
    assert stored_between == 1
    assert stored_later == 3
    stored = Job.objects.get(pk=job.pk)
    assert (stored.done, stored.total, stored.message) == (10, 10, "готово")


def test_job_of_an_unknown_kind_fails_with_a_message(manager_user):
    # given: queued by an older version of the program whose kind no longer exists
    job = Job.objects.create(kind="nope", title="Старое задание", created_by=manager_user)
    # when
    jobs.job_run(job_id=job.pk)
    # then
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors == ["Программе неизвестен такой вид задания: nope."]
    assert job.finished_at is not None


def test_starting_a_job_of_an_unregistered_kind_is_a_programming_error(manager_user):
    with pytest.raises(ValueError, match="no job handler is registered for kind 'nope'"):
        job_start(acting_user=manager_user, kind="nope", title="—")
    assert not Job.objects.exists()


# --- the audit ------------------------------------------------------------------------------------


def test_starting_and_cancelling_a_job_are_audited(manager_user, admin_user, django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks(execute=False):
        job = job_start(acting_user=manager_user, kind="test-record", title="Рассылка")
    # when
    job_cancel(acting_user=admin_user, job_id=job.pk)
    job_cancel(acting_user=admin_user, job_id=job.pk)  # already cancelled: nothing changes, nothing recorded
    # then
    started = audit_row("core.job.start")
    assert (started.actor, started.target_type, started.target_id, started.summary, started.extra) == (
        manager_user, "core.job", job.pk, "Задание запущено", {"kind": "test-record", "title": "Рассылка"}
    )
    cancelled = audit_row("core.job.cancel")
    assert (cancelled.actor, cancelled.target_id, cancelled.summary, cancelled.extra) == (
        admin_user, job.pk, "Задание отменено", {"kind": "test-record", "status": "cancelled"}
    )


def test_a_job_started_by_the_program_is_audited_without_an_actor(db, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=False):
        job = job_start(acting_user=None, kind="test-record", title="Ночная загрузка")
    # then
    row = audit_row("core.job.start")
    assert (row.actor, row.target_id) == (None, job.pk)
    assert AuditEvent.objects.count() == 1


# --- leases and checkpoints: a job whose worker died is taken over and goes on (SYS-10) -----------------------


class WorkerKilled(BaseException):
    """Stands for the worker process dying mid-step: nothing after it runs, the step's transaction rolls back."""


STEPS = 4


def steps(ctx: JobContext) -> dict[str, Any]:
    """Writes one audit row per step, the step and its checkpoint in one transaction; `die_at` kills the first run."""
    for step in range(ctx.checkpoint.get("next", 1), STEPS + 1):
        if step == ctx.params.get("taken_over_at"):  # this run stalled past its lease, another run took the job
            Job.objects.filter(pk=ctx.job.pk).update(lease_token="another-run")
        with transaction.atomic():
            audit_record(actor=None, event="test.step", summary=f"шаг {step}")
            if step == ctx.params.get("die_at") and ctx.job.attempts == 1:
                raise WorkerKilled
            ctx.checkpoint_save({"next": step + 1})
        ctx.progress(step, STEPS, f"Шаг {step}")
    return {"summary": "Готово"}


@pytest.fixture
def _steps_handler() -> Any:
    JOB_HANDLERS.register(JobHandler("test-steps", steps))
    yield
    JOB_HANDLERS.unregister("test-steps")


def step_rows() -> list[str]:
    return list(AuditEvent.objects.filter(event="test.step").order_by("pk").values_list("summary", flat=True))


def expire(job: Job) -> None:
    Job.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))


@pytest.mark.feature("SYS-10")
def test_a_job_whose_worker_died_is_queued_again_by_the_reaper_and_goes_on_from_its_checkpoint(
    manager_user, django_capture_on_commit_callbacks, _steps_handler
):
    # given: the worker running the job died in the middle of step 3, after steps 1 and 2 committed
    with pytest.raises(WorkerKilled):
        start(manager_user, "test-steps", django_capture_on_commit_callbacks, die_at=3)
    job = Job.objects.get(kind="test-steps")
    assert (job.status, job.checkpoint, job.attempts, job.worker_pid) == ("running", {"next": 3}, 1, os.getpid())
    assert step_rows() == ["шаг 1", "шаг 2"]
    # when: its lease runs out and a worker's reaper passes (the immediate queue runs the job again at once)
    expire(job)
    reaped = jobs.jobs_reap()
    # then: steps 3 and 4 were done by the second run, each step once
    job.refresh_from_db()
    assert reaped == 1
    assert (job.status, job.attempts, job.result, job.errors) == ("done", 2, {"summary": "Готово"}, [])
    assert step_rows() == ["шаг 1", "шаг 2", "шаг 3", "шаг 4"]


@pytest.mark.feature("SYS-10")
def test_a_second_delivery_does_not_run_a_job_whose_lease_is_alive_but_takes_over_an_expired_one(
    manager_user, _steps_handler
):
    # given: a job running elsewhere, its lease alive
    job = Job.objects.create(kind="test-steps", title="Импорт", created_by=manager_user, status=Job.Status.RUNNING,
                             lease_token="elsewhere", lease_until=timezone.now() + timedelta(minutes=1), attempts=1,
                             checkpoint={"next": 2})
    # when: Huey hands its message to this worker too
    jobs.job_run(job_id=job.pk)
    # then: nothing ran here
    job.refresh_from_db()
    assert (job.status, job.lease_token, job.attempts) == ("running", "elsewhere", 1)
    assert step_rows() == []
    # when: the lease has run out
    expire(job)
    jobs.job_run(job_id=job.pk)
    # then: this worker took it over from its checkpoint
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert step_rows() == ["шаг 2", "шаг 3", "шаг 4"]


@pytest.mark.feature("SYS-10")
def test_a_run_whose_job_was_taken_over_rolls_its_step_back_and_records_nothing(
    manager_user, django_capture_on_commit_callbacks, _steps_handler, caplog
):
    # given: the run stalled past its lease and another run took the job over during step 2
    caplog.set_level(logging.WARNING, logger="kontora.jobs")
    # when
    job = start(manager_user, "test-steps", django_capture_on_commit_callbacks, taken_over_at=2)
    # then: its step 2 is undone, and the job is left to the run that holds it
    assert step_rows() == ["шаг 1"]
    assert (job.status, job.lease_token, job.checkpoint, job.finished_at) == ("running", "another-run", {"next": 2},
                                                                               None)
    assert any("taken over" in record.getMessage() for record in caplog.records)


@pytest.mark.feature("SYS-10")
def test_the_reaper_fails_a_job_whose_runs_died_too_often_and_leaves_live_ones_alone(manager_user, settings):
    # given: a job whose every allowed run died, one whose run died while being cancelled, and a live one
    settings.JOB_MAX_ATTEMPTS = 3
    past = timezone.now() - timedelta(seconds=1)
    dead = Job.objects.create(kind="test-steps", title="Импорт", created_by=manager_user,
                              status=Job.Status.RUNNING, lease_token="a", lease_until=past, attempts=3)
    cancelling = Job.objects.create(kind="test-steps", title="Импорт", created_by=manager_user,
                                    status=Job.Status.CANCELLING, lease_token="b", lease_until=past, attempts=1)
    live = Job.objects.create(kind="test-steps", title="Импорт", created_by=manager_user, status=Job.Status.RUNNING,
                              lease_token="c", lease_until=timezone.now() + timedelta(minutes=1), attempts=1)
    # when
    reaped = jobs.jobs_reap()
    # then: the owner reads why on the jobs page, in his language
    for job in (dead, cancelling, live):
        job.refresh_from_db()
    assert reaped == 2
    assert dead.status == Job.Status.FAILED
    assert dead.errors == ["Задание остановлено: программа, выполнявшая его, перестала отвечать — 3 раза подряд."]
    assert dead.finished_at is not None
    assert cancelling.status == Job.Status.CANCELLED
    assert (live.status, live.lease_token) == ("running", "c")
    assert jobs.jobs_reap() == 0  # a second reaper finds nothing left to do


@pytest.mark.feature("SYS-10")
def test_the_heartbeat_renews_the_leases_of_this_process_only(manager_user, monkeypatch):
    # given: two running jobs whose leases are about to run out, one of them run by this process
    soon = timezone.now() + timedelta(seconds=1)
    ours = Job.objects.create(kind="test-steps", title="Импорт", status=Job.Status.RUNNING, lease_token="ours",
                              lease_until=soon)
    theirs = Job.objects.create(kind="test-steps", title="Импорт", status=Job.Status.RUNNING, lease_token="theirs",
                                lease_until=soon)
    monkeypatch.setitem(jobs._held, ours.pk, "ours")
    # when
    renewed = jobs.jobs_heartbeat()
    # then
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert renewed == 1
    assert ours.lease_until is not None and ours.lease_until > soon
    assert theirs.lease_until == soon


def test_a_checkpoint_outside_the_transaction_of_its_work_is_a_programming_error(transactional_db):
    # given: no test transaction around it, as in a worker
    job = Job.objects.create(kind="test-steps", title="Импорт", status=Job.Status.RUNNING)
    # when / then
    with pytest.raises(RuntimeError, match="inside the transaction of the work it marks"):
        JobContext(job).checkpoint_save({"next": 2})
    assert Job.objects.get(pk=job.pk).checkpoint == {}
    with transaction.atomic():
        JobContext(job).checkpoint_save({"next": 2})  # positive control
    assert Job.objects.get(pk=job.pk).checkpoint == {"next": 2}
