"""Background jobs: starting, running with progress, cancelling.

A feature writes its handler in its `tasks.py`, registers it in its `hooks.py` and starts jobs from a service:

    # tasks.py
    def backup_run(ctx: JobContext) -> dict[str, Any] | None:
        for n, item in enumerate(items, 1):
            ...
            ctx.progress(n, len(items), gettext("Copying files"))
        return {"summary": ..., "url": ...}

    # hooks.py, in register()
    JOB_HANDLERS.register(JobHandler("backup", backup_run))

    job_start(acting_user=user, kind="backup", title=gettext("Backup"), params={...})

The returned dict is kept as `job.result`; the progress partial shows its "summary" (text) and
"url" (a local link to the result) keys, and every other key as a plain row. Handlers are registered when
the apps are ready, so a kind is found in the web process and in workers alike.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kontora.core import budget, hooks
from kontora.core.audit import audit_record
from kontora.core.models import Job
from kontora.core.permissions import Actor

log = logging.getLogger("kontora.jobs")

Handler = Callable[["JobContext"], "dict[str, Any] | None"]

PROGRESS_EVERY = 0.5  # seconds between progress writes: the page polls once a second
MAX_ERRORS = 1000  # kept error lines; a job over a million bad rows must not store them all
_clock = time.monotonic

class JobCancelled(Exception):
    """Raised inside a handler, at a progress call, when someone asked to cancel the job."""


def _handler_for(kind: str) -> Handler | None:
    return hooks.JOB_HANDLERS.get(kind).run if kind in hooks.JOB_HANDLERS else None


class JobContext:
    """What a handler gets: the job, its parameters, progress reporting and per-item errors."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.params: dict[str, Any] = dict(job.params or {})
        self.error_count = len(job.errors or [])
        self._saved_at: float | None = None

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        """Reports progress; raises JobCancelled when the job is being cancelled.

        Call it per item or per batch, outside the handler's own transactions so the page sees it.
        Writes are spaced PROGRESS_EVERY apart (the last step is always written); the cancel flag is
        read at every call, which costs one read by primary key and never waits for a writer.
        """
        job = self.job
        job.done = max(0, done)
        if total is not None:
            job.total = max(0, total)
        job.message = message[:500]
        now = _clock()
        due = (
            self._saved_at is None
            or now - self._saved_at >= PROGRESS_EVERY
            or (job.total > 0 and job.done >= job.total)
        )
        if due:
            self._saved_at = now
            # One statement both writes and checks: a job being cancelled is not written to.
            written = (
                Job.objects.filter(pk=job.pk)
                .exclude(status=Job.Status.CANCELLING)
                .update(done=job.done, total=job.total, message=job.message, errors=job.errors)
            )
            if not written:
                raise JobCancelled
            return
        status = Job.objects.filter(pk=job.pk).values_list("status", flat=True).first()
        if status in (None, Job.Status.CANCELLING):
            raise JobCancelled

    def error(self, text: str) -> None:
        """Keeps one error line (e.g. a bad row); the job goes on and may still finish "done"."""
        self.error_count += 1
        if len(self.job.errors) < MAX_ERRORS:
            self.job.errors.append(str(text))


def job_start(*, acting_user: Actor | None, kind: str, title: str, params: dict[str, Any] | None = None) -> Job:
    """Creates a queued job and hands it to the workers once the transaction commits."""
    if _handler_for(kind) is None:
        raise ValueError(f"no job handler is registered for kind {kind!r}")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, title=title[:300], created_by_id=acting_user.pk if acting_user else None, params=params or {},
            status=Job.Status.QUEUED,
        )
        audit_record(actor=acting_user, event="core.job.start", target=job, summary=_("Job started"),
                     extra={"kind": kind, "title": job.title})
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    log.info("job %s #%s queued by %s", kind, job_id, getattr(acting_user, "login", "system"))
    return job


def _enqueue(job_id: int) -> None:
    hooks.JOB_QUEUE.get("queue")(job_id)


def job_cancel(*, acting_user: Actor, job_id: int) -> Job:
    """Owner or administrator: a queued job is cancelled at once, a running one at its next progress call.

    A job that has already ended stays as it was, and no audit row is written for it.
    """
    with transaction.atomic():
        jobs = Job.objects.filter(pk=job_id)
        if not acting_user.is_admin:
            jobs = jobs.filter(created_by_id=acting_user.pk)
        job = jobs.get()
        now = timezone.now()
        if jobs.filter(status=Job.Status.QUEUED).update(status=Job.Status.CANCELLED, finished_at=now):
            log.info("job #%s cancelled before start by %s", job_id, acting_user.login)
        elif jobs.filter(status=Job.Status.RUNNING).update(status=Job.Status.CANCELLING):
            log.info("job #%s asked to cancel by %s", job_id, acting_user.login)
        else:
            return job
        job.refresh_from_db()
        audit_record(actor=acting_user, event="core.job.cancel", target=job, summary=_("Job cancelled"),
                     extra={"kind": job.kind, "status": job.status})
    return job


def job_cancellable(job: Job) -> bool:
    return job.status in {Job.Status.QUEUED, Job.Status.RUNNING}


def job_run(*, job_id: int) -> Job | None:
    """The worker's side: runs the handler and records how it ended. Called by tasks.run_job."""
    started = timezone.now()
    # Claiming with a conditional update: a job cancelled while queued, or delivered twice, is not run.
    if not Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=started
    ):
        return Job.objects.filter(pk=job_id).first()
    job = Job.objects.select_related("created_by").get(pk=job_id)
    # Messages a handler writes (progress, errors, summary) are read by the person who started it.
    language = job.created_by.language if job.created_by else settings.LANGUAGE_CODE
    # A job is no request: no time budget, even when an immediate queue runs it inside one (core.budget).
    with translation.override(language), budget.exempt():
        return _run(job)


def _run(job: Job) -> Job:
    ctx = JobContext(job)
    result: dict[str, Any] = {}
    handler = _handler_for(job.kind)
    try:
        if handler is None:
            status = Job.Status.FAILED
            ctx.error(_("This kind of job is unknown to the program: %(kind)s.") % {"kind": job.kind})
            log.error("job #%s: no handler for kind %r", job.pk, job.kind)
        else:
            result = dict(handler(ctx) or {})
            status = Job.Status.DONE
    except JobCancelled:
        status = Job.Status.CANCELLED
        log.info("job %s #%s cancelled", job.kind, job.pk)
    except Exception as exc:
        status = Job.Status.FAILED
        ctx.error(str(exc) or exc.__class__.__name__)
        log.exception("job %s #%s failed", job.kind, job.pk)
    lost = ctx.error_count - len(job.errors)
    if lost > 0:
        job.errors.append(
            ngettext("…and %(count)d more error, not kept.", "…and %(count)d more errors, not kept.", lost)
            % {"count": lost}
        )
    job.status = status
    job.result = result
    job.finished_at = timezone.now()
    if status == Job.Status.DONE and job.total:
        job.done = job.total
    job.save(update_fields=["status", "result", "errors", "done", "total", "message", "finished_at"])
    return job
