"""The database clean-up (TSK-10): closed tasks older than N months are deleted by a job, in batches with
checkpoints; younger or open tasks and every event stay; one audit row with the count; only with the right."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kontora.accounts.models import User
from kontora.activity.models import Event, Task, TaskTransition
from kontora.activity.selectors.cleanup import months_before
from kontora.activity.services import cleanup
from kontora.core.errors import NotAllowed
from kontora.core.models import AuditEvent, Job
from kontora.core.services.jobs import job_run
from tests.activity.factories import EventFactory, TaskFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import grant_right


def _closed(months_ago: float, **fields: Any) -> Task:
    closed_at = timezone.now() - datetime.timedelta(days=30.5 * months_ago)
    task = TaskFactory(state=Task.State.CLOSED, closed_at=closed_at, starts_at=closed_at - datetime.timedelta(days=1),
                       **fields)
    TaskTransition.objects.create(task=task, actor=task.author, from_state=Task.State.COMPLETED,
                                  to_state=Task.State.CLOSED)
    return task


@pytest.mark.feature("TSK-10")
def test_the_job_deletes_only_closed_tasks_older_than_the_age_and_never_events(admin_user):
    # given closed tasks of 8 and 2 months ago, an open task set a year ago, and an event of a year ago
    client = ClientFactory(curator=admin_user)
    old = [_closed(8, client=client, author=admin_user) for _ in range(3)]
    recent = _closed(2, client=client, author=admin_user)
    year_ago = timezone.now() - datetime.timedelta(days=365)
    still_open = TaskFactory(client=client, author=admin_user, starts_at=year_ago, created_at=year_ago)
    event = EventFactory(client=client, author=admin_user, created_at=year_ago)
    # when the clean-up of tasks closed more than six months ago runs
    job = cleanup.tasks_cleanup_start(acting_user=admin_user, months=6)
    done = job_run(job_id=job.pk)
    # then exactly the old closed tasks are gone, with their transitions; the rest and the event stay
    assert done is not None and done.status == Job.Status.DONE, done and done.message
    assert set(Task.objects.values_list("pk", flat=True)) == {recent.pk, still_open.pk}
    assert not TaskTransition.objects.filter(task_id__in=[task.pk for task in old]).exists()
    assert Event.objects.filter(pk=event.pk).exists()
    assert done.result["count"] == 3
    # and one audit row tells who deleted how many
    row = AuditEvent.objects.get(event="activity.tasks.cleanup")
    assert row.actor_id == admin_user.pk and row.extra["deleted"] == 3


@pytest.mark.feature("TSK-10")
def test_the_deletion_goes_in_batches_and_a_taken_over_run_goes_on_from_the_checkpoint(admin_user, monkeypatch):
    # given five old closed tasks, batches of two
    monkeypatch.setattr(cleanup, "BATCH", 2)
    client = ClientFactory(curator=admin_user)
    tasks = sorted(_closed(12, client=client, author=admin_user).pk for _ in range(5))
    saved: list[dict[str, Any]] = []
    cutoff = months_before(timezone.now(), 6)
    # when a first run had committed one batch (its checkpoint) and a second run takes over from it
    Task.objects.filter(pk__in=tasks[:2]).delete()
    resume = {"deleted": 2, "last": tasks[1]}
    deleted = cleanup.tasks_cleanup(acting_user=admin_user, cutoff=cutoff, progress=lambda *args: None,
                                    resume=resume, checkpoint=saved.append)
    # then it deletes the rest in two more batches, each checkpointed, and counts all five
    assert deleted == 5 and not Task.objects.exists()
    assert [state["last"] for state in saved] == [tasks[3], tasks[4], tasks[4]]
    assert saved[-1]["audited"] is True
    # and a run taken over after the audit row does nothing twice
    assert cleanup.tasks_cleanup(acting_user=admin_user, cutoff=cutoff, progress=lambda *args: None,
                                 resume=saved[-1]) == 5
    assert AuditEvent.objects.filter(event="activity.tasks.cleanup").count() == 1


@pytest.mark.feature("TSK-10")
def test_the_clean_up_needs_its_right(manager_user, admin_user):
    # a manager without the right is refused, nothing queued
    with pytest.raises(NotAllowed):
        cleanup.tasks_cleanup_start(acting_user=manager_user, months=6)
    assert not Job.objects.exists()
    # nor does a grant help: the right comes with the administrator's role only (the manual)
    grant_right(manager_user, "database_cleanup")
    granted = User.objects.get(pk=manager_user.pk)  # rights are read once per user object
    with pytest.raises(NotAllowed):
        cleanup.tasks_cleanup_start(acting_user=granted, months=6)
    assert not Job.objects.exists()
    # an administrator has it by role
    assert cleanup.tasks_cleanup_start(acting_user=admin_user, months=12).kind == cleanup.CLEANUP_JOB


@pytest.mark.feature("TSK-10")
def test_an_age_out_of_range_is_refused_with_a_message(admin_user):
    with pytest.raises(ValidationError) as refused:
        cleanup.tasks_cleanup_start(acting_user=admin_user, months=0)
    assert "months" in refused.value.message_dict
    assert not Job.objects.exists()


def test_months_before_keeps_the_moment_and_falls_back_to_the_months_last_day():
    moment = datetime.datetime(2026, 8, 31, 15, 30, tzinfo=datetime.UTC)
    assert months_before(moment, 6) == datetime.datetime(2026, 2, 28, 15, 30, tzinfo=datetime.UTC)
    assert months_before(moment, 14) == datetime.datetime(2025, 6, 30, 15, 30, tzinfo=datetime.UTC)


@pytest.mark.feature("TSK-10")
def test_the_nightly_clean_up_queues_the_job_only_when_switched_on_and_needed(admin_user):
    # given a task closed eight months ago and the nightly clean-up off
    client = ClientFactory(curator=admin_user)
    old = _closed(8, client=client, author=admin_user)
    assert cleanup.tasks_cleanup_nightly() is None
    # when it is switched on for six months
    cleanup.cleanup_schedule_save(acting_user=admin_user, months=6)
    assert AuditEvent.objects.filter(event="activity.cleanup.schedule").count() == 1
    job = cleanup.tasks_cleanup_nightly()
    # then the night queues the clean-up job, and not a second one while it waits
    assert job is not None and job.kind == cleanup.CLEANUP_JOB and job.created_by is None
    assert cleanup.tasks_cleanup_nightly() is None
    done = job_run(job_id=job.pk)
    assert done is not None and done.status == Job.Status.DONE
    assert not Task.objects.filter(pk=old.pk).exists()
    # and with nothing left to delete, or switched off, the night queues nothing
    assert cleanup.tasks_cleanup_nightly() is None
    _closed(8, client=client, author=admin_user)
    cleanup.cleanup_schedule_save(acting_user=admin_user, months=None)
    assert cleanup.tasks_cleanup_nightly() is None


@pytest.mark.feature("TSK-10")
def test_the_nightly_clean_up_is_set_only_with_the_right(manager_user):
    with pytest.raises(NotAllowed):
        cleanup.cleanup_schedule_save(acting_user=manager_user, months=6)
    assert cleanup.tasks_cleanup_nightly() is None
