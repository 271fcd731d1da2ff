"""Background jobs as their authors and the administrators see them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from kontora.core.models import Job
from kontora.core.ui.pager import Keyset, Page

NEWEST_FIRST = Keyset("-id")


def access_job(user: Any, job_id: int) -> Job:
    """A job its author or an administrator may watch; the same 404 for someone else's and a missing one."""
    jobs = Job.objects.select_related("created_by")
    if not user.is_admin:
        jobs = jobs.filter(created_by=user)
    job = jobs.filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def job_result_url(job: Job) -> str:
    """Where a job that is done sends its page (its result's own page in this site, `result["url"]`); "" while it
    runs, when it failed or was cancelled, or when its result is no page here."""
    url = str(job.result.get("url", "")) if job.status == Job.Status.DONE else ""
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) and url.startswith("/") else ""


def own_done_job(user: Any, job_id: int, *, kind: str) -> Job:
    """A finished job of `kind` whose result only its author may take (a report's file: it holds what he may see);
    the same 404 for anyone else's — an administrator's too —, a running one and a missing one."""
    job = Job.objects.filter(pk=job_id, created_by=user, kind=kind, status=Job.Status.DONE).first()
    if job is None:
        raise Http404
    return job


def job_list(*, fetched_by: Any, cursor: Mapping[str, str], size: int = 50, own: bool = False) -> Page[Job]:
    """A page of jobs newest first from `cursor` (core.ui.pager); an administrator sees everyone's unless `own`."""
    jobs = Job.objects.select_related("created_by")
    if own or not fetched_by.is_admin:
        jobs = jobs.filter(created_by=fetched_by)
    return NEWEST_FIRST.page(jobs, cursor, size=size)
