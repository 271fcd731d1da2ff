"""Administration → Jobs (everyone's), Settings → My jobs (the user's own: a report's file is collected there), one
job's page, its self-refreshing progress bar, cancelling.

A page that waits for a job to change what it shows includes the bar with `job_follow`: its polls then ask with
`?follow=1`, and once the job has ended htmx leaves the page — for the job's result (`result["url"]`) when it is done
with one, else it loads the page again (which shows the job's errors and what the job changed). A page opened for a
job that is already done goes to its result at once (`selectors.jobs.job_result_url`: the job may end before the
page is drawn)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from kontora.core.htmx import go, is_htmx, reload_page
from kontora.core.models import Job
from kontora.core.permissions import actor_of, admin_required
from kontora.core.selectors import jobs as selectors
from kontora.core.services import jobs as services

PAGE_SIZE = 50


def _progress_context(job: Job, follow: bool = False) -> dict[str, Any]:
    # Whoever may open a job (its author or an administrator) may also cancel it.
    return {"job": job, "job_can_cancel": services.job_cancellable(job), "job_follow": follow}


def _followed(request: HttpRequest, job: Job) -> HttpResponse | None:
    """A followed job that has ended: htmx goes to its result's page, or reloads the page that watched it."""
    if not (request.GET.get("follow") == "1" and job.is_finished):
        return None
    url = selectors.job_result_url(job)
    if url:
        return go(request, url)
    return reload_page(request, render(request, "core/partials/job_progress.html", _progress_context(job, True)))


@admin_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    page = selectors.job_list(fetched_by=request.user, cursor=request.GET, size=PAGE_SIZE)
    return render(request, "core/jobs.html", {"jobs": page.rows, "nav": page.nav(reverse("core:jobs"))})


@login_required
@require_GET
def my_jobs(request: HttpRequest) -> HttpResponse:
    page = selectors.job_list(fetched_by=request.user, cursor=request.GET, size=PAGE_SIZE, own=True)
    return render(request, "core/jobs.html", {"jobs": page.rows, "nav": page.nav(reverse("core:my_jobs")),
                                              "own": True})


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job(request.user, job_id)
    return render(request, "core/job.html", _progress_context(job))


@login_required
@require_GET
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.access_job(request.user, job_id)
    return _followed(request, job) or render(request, "core/partials/job_progress.html",
                                             _progress_context(job, request.GET.get("follow") == "1"))


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    selectors.access_job(request.user, job_id)
    job = services.job_cancel(acting_user=actor_of(request), job_id=job_id)
    if is_htmx(request):
        return _followed(request, job) or render(request, "core/partials/job_progress.html",
                                                 _progress_context(job, request.GET.get("follow") == "1"))
    return redirect("core:job", job_id=job.pk)
