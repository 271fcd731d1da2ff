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

Leases. Huey neither acknowledges nor re-delivers a task: a worker that dies takes its running job with it. So a
worker claims a job in the base (QUEUED → RUNNING, or a RUNNING job whose lease ran out) with a random token, and
holds it by a lease that a thread of the worker process renews every JOB_HEARTBEAT_SECONDS (`lease_keeper`) —
a thread rather than the progress calls, because a handler may rightly spend minutes in one call (copying a
large file into a backup) without reporting. Every worker's reaper (`jobs_reap`) queues a job whose lease ran
out again, up to JOB_MAX_ATTEMPTS runs, then marks it failed with a message for its owner. Every write of a
run names its token: a run that lost its job (a process frozen past its lease) writes nothing more.

Checkpoints. A handler that writes in steps saves where it stands inside each step's transaction
(`ctx.checkpoint_save(state)`), so the step's work and the checkpoint commit together; a run that takes the job
over reads `ctx.checkpoint` and goes on after the last committed step, so each step's effect is applied once:

    for start in range(ctx.checkpoint.get("next", 0), total, BATCH):
        with transaction.atomic():
            write(items[start:start + BATCH])
            ctx.checkpoint_save({"next": start + BATCH})
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
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
WORKER_HOST = socket.gethostname()[:255]
REAP_BATCH = 100  # expired jobs one reaper pass looks at; the next pass takes the rest

# Job id → lease token of the runs of this process: the lease keeper renews exactly these.
_held: dict[int, str] = {}
_held_lock = threading.Lock()


class JobCancelled(Exception):
    """Raised inside a handler, at a progress call, when someone asked to cancel the job."""


class JobLost(Exception):
    """Raised inside a handler when its run no longer holds the job: its lease ran out and it was taken over.

    Raised by `checkpoint_save` inside a step's transaction, it rolls the step back: the run that took the job
    over does that step, once.
    """


def _lease_end(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(seconds=settings.JOB_LEASE_SECONDS)


def _handler_for(kind: str) -> Handler | None:
    return hooks.JOB_HANDLERS.get(kind).run if kind in hooks.JOB_HANDLERS else None


class JobContext:
    """What a handler gets: the job, its parameters, progress reporting and per-item errors."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.params: dict[str, Any] = dict(job.params or {})
        self.error_count = len(job.errors or [])
        self._saved_at: float | None = None
        self.token = job.lease_token
        # The last checkpoint saved (by this run or one before it that died); {} on a first run.
        self.checkpoint: dict[str, Any] = dict(job.checkpoint or {})

    def _mine(self) -> Any:
        return Job.objects.filter(pk=self.job.pk, lease_token=self.token)

    def _stopped(self) -> NoReturn:
        status, token = Job.objects.filter(pk=self.job.pk).values_list("status", "lease_token").first() or (None, "")
        if status is not None and token != self.token:
            raise JobLost
        raise JobCancelled

    def checkpoint_save(self, state: dict[str, Any]) -> None:
        """Saves where the work stands (small JSON), inside the transaction of the work it marks.

        Raises JobLost when another run took the job over: the transaction then rolls back with the step.
        """
        if not connection.in_atomic_block:
            raise RuntimeError("a checkpoint is saved inside the transaction of the work it marks")
        mine = self._mine().filter(status__in=[Job.Status.RUNNING, Job.Status.CANCELLING])
        if not mine.update(checkpoint=state, lease_until=_lease_end()):
            raise JobLost
        self.checkpoint = dict(state)

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
            # One statement both writes and checks: a job being cancelled, or taken over, is not written to.
            written = (
                self._mine()
                .filter(status=Job.Status.RUNNING)
                .update(done=job.done, total=job.total, message=job.message, errors=job.errors,
                        lease_until=_lease_end())
            )
            if not written:
                self._stopped()
            return
        if not self._mine().filter(status=Job.Status.RUNNING).exists():
            self._stopped()

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
    """The worker's side: claims the job, runs the handler and records how it ended. Called by tasks.run_job."""
    now = timezone.now()
    token = secrets.token_hex(16)
    # Claiming with a conditional update: a job cancelled while queued, delivered twice, or held by a live run
    # is not run; one whose run died (lease ran out) is taken over, within the attempts allowed.
    claimable = Q(status=Job.Status.QUEUED) | Q(
        status=Job.Status.RUNNING, lease_until__lt=now, attempts__lt=settings.JOB_MAX_ATTEMPTS
    )
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        status=Job.Status.RUNNING, started_at=Coalesce(F("started_at"), Value(now, output_field=DateTimeField())),
        worker_host=WORKER_HOST, worker_pid=os.getpid(), lease_token=token, lease_until=_lease_end(now),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return Job.objects.filter(pk=job_id).first()
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.attempts > 1:
        log.warning("job %s #%s taken over (run %d) from its checkpoint %r", job.kind, job.pk, job.attempts,
                    job.checkpoint)
    # A job is no request: no time budget, even when an immediate queue runs it inside one (core.budget).
    with _holding(job.pk, token), translation.override(_language(job)), budget.exempt():
        return _run(job)


def _language(job: Job) -> str:
    # Messages a handler writes (progress, errors, summary) are read by the person who started it.
    return job.created_by.language if job.created_by else settings.LANGUAGE_CODE


@contextmanager
def _holding(job_id: int, token: str) -> Iterator[None]:
    with _held_lock:
        _held[job_id] = token
    try:
        yield
    finally:
        with _held_lock:
            if _held.get(job_id) == token:
                del _held[job_id]


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
    except JobLost:
        log.warning("job %s #%s was taken over by another run; this run stops", job.kind, job.pk)
        job.refresh_from_db()
        return job
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
    if not ctx._mine().filter(status__in=[Job.Status.RUNNING, Job.Status.CANCELLING]).update(
        status=status, result=result, errors=job.errors, done=job.done, total=job.total, message=job.message,
        finished_at=job.finished_at, lease_until=None,
    ):
        log.warning("job %s #%s was taken over by another run; this run's end is not recorded", job.kind, job.pk)
        job.refresh_from_db()
    return job


# --- leases: renewed by the worker process that runs the jobs, reaped by any worker --------------------------


def jobs_heartbeat() -> int:
    """Renews the leases of the jobs this process runs; returns how many were renewed."""
    with _held_lock:
        tokens = list(_held.values())
    if not tokens:
        return 0
    return Job.objects.filter(
        lease_token__in=tokens, status__in=[Job.Status.RUNNING, Job.Status.CANCELLING]
    ).update(lease_until=_lease_end())


def jobs_reap() -> int:
    """Jobs whose lease ran out (their worker died): queued again, or failed once JOB_MAX_ATTEMPTS runs died.

    Every worker calls it; the update names the expired lease, so exactly one reaper acts on each job, and a
    run that renewed its lease meanwhile keeps it. One indexed read when nothing expired. Returns the jobs acted on.
    """
    now = timezone.now()
    stale = Q(lease_until__lt=now) | Q(lease_until__isnull=True)
    active = [Job.Status.RUNNING, Job.Status.CANCELLING]
    acted = 0
    for job in Job.objects.filter(stale, status__in=active).select_related("created_by").order_by("pk")[:REAP_BATCH]:
        same = Job.objects.filter(stale, pk=job.pk, status=job.status, lease_token=job.lease_token)
        who = f"{job.worker_host or '?'} pid {job.worker_pid or '?'}"
        with translation.override(_language(job)):
            if job.status == Job.Status.CANCELLING:
                if same.update(status=Job.Status.CANCELLED, finished_at=now, lease_until=None):
                    acted += 1
                    log.warning("job %s #%s: its worker (%s) died while cancelling; cancelled", job.kind, job.pk, who)
            elif job.attempts >= settings.JOB_MAX_ATTEMPTS:
                text = ngettext(
                    "The job was stopped: the program running it stopped responding, %(count)d time in a row.",
                    "The job was stopped: the program running it stopped responding, %(count)d times in a row.",
                    job.attempts,
                ) % {"count": job.attempts}
                errors = [*(job.errors or [])[: MAX_ERRORS - 1], text]
                if same.update(status=Job.Status.FAILED, finished_at=now, lease_until=None, errors=errors):
                    acted += 1
                    log.error("job %s #%s failed: its worker (%s) died, run %d of %d", job.kind, job.pk, who,
                              job.attempts, settings.JOB_MAX_ATTEMPTS)
            else:
                message = _("The program running the job stopped responding; the job is queued to go on.")
                # A fresh token: a run of the old one that is alive after all writes nothing more.
                if same.update(status=Job.Status.QUEUED, lease_until=None, lease_token="", message=message):
                    acted += 1
                    log.warning("job %s #%s: its worker (%s) died; queued again", job.kind, job.pk, who)
                    _enqueue(job.pk)
    return acted


def lease_keeper(stop: threading.Event) -> None:
    """The worker process's thread: renews the leases of its jobs and reaps expired ones, until `stop` is set."""
    while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
        try:
            jobs_heartbeat()
            jobs_reap()
        except Exception:  # a base that is away for a moment: the next beat tries again
            log.exception("job leases could not be kept")
        finally:
            close_old_connections()
