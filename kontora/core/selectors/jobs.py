"""Background jobs as their authors and the administrators see them."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from kontora.core.models import Job


def access_job(user: Any, job_id: int) -> Job:
    """A job its author or an administrator may watch; the same 404 for someone else's and a missing one."""
    jobs = Job.objects.select_related("created_by")
    if not user.is_admin:
        jobs = jobs.filter(created_by=user)
    job = jobs.filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def job_list(*, fetched_by: Any, before_id: int | None = None, limit: int = 50) -> list[Job]:
    """Jobs newest first, a page of `limit` below `before_id`; an administrator sees everyone's."""
    jobs = Job.objects.select_related("created_by").order_by("-id")
    if not fetched_by.is_admin:
        jobs = jobs.filter(created_by=fetched_by)
    if before_id is not None:
        jobs = jobs.filter(pk__lt=before_id)
    return list(jobs[:limit])
