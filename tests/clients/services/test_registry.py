"""The registry's exact count: a background job, one per list at a time (REG-11, issue 13 item 7)."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.services.registry import COUNT_JOB, registry_count_start
from kontora.core.models import AuditEvent, Job
from tests.clients.factories import client_named
from tests.clients.support import FLAGGED_SPEC


@pytest.mark.feature("REG-11")
def test_count_exactly_starts_one_job_per_list_and_the_job_counts_what_its_author_sees(
    manager_user: Any, admin_user: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    # given the manager's clients, half of them flagged, and another's he does not see
    for i in range(6):
        client_named(f"Клиент {i}", curator=manager_user, flagged=i % 2 == 0)
    client_named("Чужой", curator=admin_user, private=True)
    # when the count is asked for twice, and once under a filter, before any worker ran
    first = registry_count_start(acting_user=manager_user, spec=None)
    again = registry_count_start(acting_user=manager_user, spec=None)
    filtered = registry_count_start(acting_user=manager_user, spec=FLAGGED_SPEC)
    # then the same list is counted once, with one audit row per job started
    assert again.pk == first.pk and filtered.pk != first.pk
    assert Job.objects.filter(kind=COUNT_JOB).count() == 2
    assert AuditEvent.objects.filter(event="core.job.start").count() == 2
    # when the jobs run (a worker; at once here)
    for job in (first, filtered):
        Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    with django_capture_on_commit_callbacks(execute=True):
        whole = registry_count_start(acting_user=manager_user, spec=None)
        flagged = registry_count_start(acting_user=manager_user, spec=FLAGGED_SPEC)
    # then each counted its list inside the manager's access, and a finished count is not reused
    whole.refresh_from_db()
    flagged.refresh_from_db()
    assert whole.pk not in (first.pk, filtered.pk)
    assert (whole.status, whole.result["count"]) == (Job.Status.DONE, 6)
    assert (flagged.status, flagged.result["count"]) == (Job.Status.DONE, 3)
    assert whole.result["summary"] == "Клиентов в реестре: 6"
