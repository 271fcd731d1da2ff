"""The database clean-up (TSK-10): closed tasks older than N months are deleted by a background job, in batches,
each its own short transaction with the job's checkpoint (a run that takes the job over goes on after the last
batch committed). Events are the clients' history and are never deleted."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.activity.models import CleanupSchedule, Task
from kontora.activity.selectors.cleanup import cleanup_cutoff, closed_tasks_before, nightly_months
from kontora.core.audit import audit_record, model_update
from kontora.core.errors import NotAllowed
from kontora.core.models import Job
from kontora.core.services.jobs import job_start

CLEANUP_RIGHT = "database_cleanup"
CLEANUP_JOB = "tasks_cleanup"
MONTHS_MIN, MONTHS_MAX = 1, 240
BATCH = 500


def _nothing(state: dict[str, Any]) -> None:
    return None


def _check(acting_user: User, months: int | None) -> None:
    if not acting_user.has_right(CLEANUP_RIGHT):
        raise NotAllowed(_("The database clean-up needs the right «Database maintenance»."))
    if months is not None and not MONTHS_MIN <= months <= MONTHS_MAX:
        raise ValidationError({"months": _("From %(low)d to %(high)d months.") % {"low": MONTHS_MIN,
                                                                                  "high": MONTHS_MAX}})


def _job(acting_user: User | None, months: int) -> Job:
    # The cut-off is fixed when the job is queued: the count the page showed and what the job deletes (also a run
    # that takes the job over later) mean the same moment.
    cutoff = cleanup_cutoff(months)
    return job_start(acting_user=acting_user, kind=CLEANUP_JOB,
                     title=_("Deleting tasks closed more than %(months)d months ago") % {"months": months},
                     params={"months": months, "cutoff": cutoff.isoformat()})


def tasks_cleanup_start(*, acting_user: User, months: int) -> Job:
    """Queues the deletion of tasks closed more than `months` months ago."""
    _check(acting_user, months)
    return _job(acting_user, months)


def cleanup_schedule_save(*, acting_user: User, months: int | None) -> CleanupSchedule:
    """Switches the nightly clean-up on (closed tasks older than `months` months) or off (None); audited."""
    _check(acting_user, months)
    with transaction.atomic():
        schedule, _created = CleanupSchedule.objects.get_or_create(pk=1)
        changes = model_update(schedule, data={"months": months, "changed_by": acting_user},
                               fields=["months", "changed_by"])
        if changes:
            audit_record(actor=acting_user, event="activity.cleanup.schedule", target=schedule, changes=changes,
                         summary=_("Nightly clean-up of closed tasks changed"))
    return schedule


def tasks_cleanup_nightly() -> Job | None:
    """The nightly clean-up (the periodic task): queues the same job as the page's when it is switched on, there is
    something to delete, and no clean-up is queued or running already."""
    months = nightly_months()
    if not months or not closed_tasks_before(cleanup_cutoff(months)).exists():
        return None
    busy = (Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.CANCELLING)
    if Job.objects.filter(kind=CLEANUP_JOB, status__in=busy).exists():
        return None
    return _job(None, months)


def tasks_cleanup(
    *, acting_user: User | None, cutoff: datetime.datetime, progress: Callable[[int, int | None, str], None],
    resume: dict[str, Any] | None = None, checkpoint: Callable[[dict[str, Any]], None] = _nothing,
) -> int:
    """Deletes the tasks closed before `cutoff` (with their transitions) in batches of BATCH by id, each batch and
    its checkpoint in one transaction; the audit row with the count is written once, at the end. Returns how many
    were deleted (over every run of the job)."""
    state = dict(resume or {})
    deleted, last = int(state.get("deleted", 0)), int(state.get("last", 0))
    if state.get("audited"):
        return deleted
    total = deleted + closed_tasks_before(cutoff).filter(pk__gt=last).count()
    progress(deleted, total, _("Deleting closed tasks"))
    while True:
        with transaction.atomic():
            ids = list(closed_tasks_before(cutoff).filter(pk__gt=last).order_by("pk")
                       .values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            _count, per_model = Task.objects.filter(pk__in=ids).delete()
            deleted += per_model.get(Task._meta.label, 0)
            last = ids[-1]
            checkpoint({"deleted": deleted, "last": last})
        progress(deleted, max(total, deleted), _("Deleting closed tasks"))
    with transaction.atomic():
        audit_record(
            actor=acting_user, event="activity.tasks.cleanup",
            summary=_("Closed tasks deleted: %(count)d") % {"count": deleted},
            extra={"deleted": deleted, "closed_before": cutoff.isoformat()},
        )
        checkpoint({"deleted": deleted, "last": last, "audited": True})
    return deleted
