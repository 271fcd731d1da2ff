"""Writes of the client registry: starting the exact count of its clients (a background job)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core.models import Job
from kontora.core.services.jobs import job_start

COUNT_JOB = "clients_registry_count"


def registry_count_start(*, acting_user: User, spec: dict[str, Any] | None) -> Job:
    """Queues the exact count of the clients `acting_user` sees under the Flexi-filter `spec` (parsed; None: no
    filter). The capped count stops at selectors.registry.COUNT_CAP; past it a full count may take seconds, so a
    worker does it (clients.tasks.registry_count_run) and the counter polls the job.

    A count of the same list still queued or running is answered instead of a new one: pressing the button again
    must not set the base counting a million rows twice."""
    active = Job.objects.filter(kind=COUNT_JOB, created_by=acting_user,
                                status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).order_by("-pk")
    for job in active[:20]:
        if (job.params or {}).get("spec") == spec:
            return job
    return job_start(acting_user=acting_user, kind=COUNT_JOB, title=_("Exact count of the registry's clients"),
                     params={"spec": spec})
