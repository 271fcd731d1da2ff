"""One request must not stall everyone (issue 11, F5): the time budget of a request's queries, and at most a few
heavy requests of one user at once.

**The budget.** Every interactive request's queries run within `REQUEST_BUDGET_MS` (`KONTORA_REQUEST_BUDGET_MS`,
5 s by default), counted from the moment its view starts (`BudgetMiddleware`). Background jobs are exempt
(`exempt()`, around `services.jobs.job_run`, so a job run inline by an immediate queue is exempt too).

- SQLite: a progress handler on the connection aborts the running statement once the deadline has passed (the
  statement fails with "interrupted"; a read leaves the connection and its transaction as they were).
- PostgreSQL: `SET statement_timeout` on the request's first query, `RESET` when the request ends — the
  connections are persistent (CONN_MAX_AGE) and requests do not run in one transaction (no ATOMIC_REQUESTS), so
  a session setting is what spans the request, and the reset hands the connection on clean. JIT is off for the
  request too: an interactive query is short, and compiling the finding's filter (200 ORed subplans) alone took
  22 s before a run of 70 ms.
- On both, a statement that would start after the deadline is not sent at all.

An overrun raises `Overrun` (a `Refused`, status 422, with the message "the condition is too heavy — narrow it")
from the query that ran out of time, and is logged. From then on the request is no longer held to the budget, so
its answer — the message where the user acted — can still be drawn. A view that knows where to put it catches it
(`guarded()` turns an overrun that surfaces while rows are fetched into `Overrun` too); anything else reaches
`BudgetMiddleware.process_exception`, which answers 422 with the message instead of a 500.

**Heavy requests.** A view marked `@heavy` (the registry's lists, the Flexi-filter, the search) takes one of the
user's `HEAVY_REQUESTS_PER_USER` slots for its duration, or is refused at once with `Busy` ("wait for your previous
request"); one marked `@heavy_queued` (the template list's counts, asked all at once by the page) first waits up to
`HEAVY_WAIT_SECONDS` for a slot. Slots are rows of `core.HeavyRequest`, taken by one conditional upsert, so every
server sharing the base counts the same; a slot is freed in a `finally`, and one left by a process that died is
taken over after `HEAVY_SLOT_STALE_SECONDS`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kontora.core import htmx
from kontora.core.errors import Busy, Overrun, Refused

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

PROGRESS_STEPS = 1000  # SQLite virtual-machine steps between two looks at the clock
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE of a statement cancelled by statement_timeout
WAIT_STEP = 0.1  # seconds between two tries of a queued heavy view for a slot


@dataclass
class _Budget:
    ms: int
    deadline: float
    path: str = ""
    overrun: bool = False  # once true, the request is no longer held to the budget (its answer must be drawn)
    armed: bool = False  # the connection carries the budget (progress handler / statement_timeout)


_local = threading.local()


def _current() -> _Budget | None:
    return getattr(_local, "budget", None)


def budget_ms() -> int:
    return int(getattr(settings, "REQUEST_BUDGET_MS", 5000))


# --- the connection's side --------------------------------------------------------------------------------


def _arm(budget: _Budget) -> None:
    """Puts the budget onto the open connection, once per request."""
    raw = connection.connection
    if raw is None or budget.armed:
        return
    if connection.vendor == "sqlite":
        def progress() -> int:
            if monotonic() < budget.deadline or budget.overrun:
                return 0
            budget.overrun = True
            return 1  # aborts the statement: sqlite3.OperationalError("interrupted")

        raw.set_progress_handler(progress, PROGRESS_STEPS)
    elif connection.vendor == "postgresql":
        with raw.cursor() as cursor:
            # JIT off too: compiling a wide filter (200 ORed subplans) took PostgreSQL 22 s before a 70 ms run.
            cursor.execute(f"SET statement_timeout = {int(budget.ms)}; SET jit = off")
    budget.armed = True


def _disarm(budget: _Budget) -> None:
    """Takes the budget off the connection, which then serves the next request (or a job) unbounded."""
    raw = connection.connection
    if not budget.armed or raw is None:
        budget.armed = False
        return
    try:
        if connection.vendor == "sqlite":
            raw.set_progress_handler(None, 0)
        elif connection.vendor == "postgresql":
            with raw.cursor() as cursor:
                cursor.execute("RESET statement_timeout; RESET jit")
    except Exception:  # inside an aborted transaction: tried again when the request ends
        log.debug("could not take the time budget off the connection yet", exc_info=True)
        return
    budget.armed = False


def monotonic() -> float:
    return time.monotonic()


def _is_overrun(budget: _Budget, exc: BaseException) -> bool:
    if connection.vendor == "sqlite":
        return budget.overrun and "interrupted" in str(exc)
    cause = exc.__cause__ or exc
    return getattr(cause, "sqlstate", None) == QUERY_CANCELED or getattr(cause, "pgcode", None) == QUERY_CANCELED


def _overrun(budget: _Budget, exc: BaseException | None = None) -> Overrun:
    budget.overrun = True
    _disarm(budget)  # the answer's own queries must not time out in turn
    log.warning("time budget of %s ms spent by %s: the request is refused%s", budget.ms, budget.path or "a request",
                f" ({exc.__class__.__name__})" if exc is not None else "")
    return Overrun()


def _guard(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """Django's execute wrapper: no statement starts past the deadline; an aborted one becomes `Overrun`."""
    budget = _current()
    if budget is None or budget.overrun:
        return execute(sql, params, many, context)
    if monotonic() >= budget.deadline:
        raise _overrun(budget)
    _arm(budget)
    try:
        return execute(sql, params, many, context)
    except DatabaseError as exc:
        if _is_overrun(budget, exc):
            raise _overrun(budget, exc) from exc
        raise


# --- the request's side ------------------------------------------------------------------------------------


def start(*, ms: int | None = None, path: str = "") -> _Budget:
    """Holds this thread's queries to `ms` milliseconds from now (default `REQUEST_BUDGET_MS`) until `stop`."""
    ms = budget_ms() if ms is None else ms
    budget = _Budget(ms=ms, deadline=monotonic() + ms / 1000, path=path)
    _local.budget = budget
    if _guard not in connection.execute_wrappers:
        connection.execute_wrappers.append(_guard)
    return budget


def stop() -> None:
    """Ends this thread's budget (if any) and takes it off the connection."""
    current = _current()
    if current is not None:
        _disarm(current)
    _local.budget = None
    if _guard in connection.execute_wrappers:
        connection.execute_wrappers.remove(_guard)


@contextmanager
def budgeted(ms: int | None = None) -> Iterator[_Budget]:
    """The block's queries within `ms` milliseconds (tests, commands that answer a person)."""
    budget = start(ms=ms)
    try:
        yield budget
    finally:
        stop()


@contextmanager
def exempt() -> Iterator[None]:
    """A background job's queries: no budget, even when the job runs inside a request (an immediate queue)."""
    current = _current()
    if current is None:
        yield
        return
    _disarm(current)
    _local.budget = None
    try:
        yield
    finally:
        _local.budget = current  # armed again by the next query


def overrun_of(exc: BaseException) -> Overrun | None:
    """`exc` as an `Overrun` when it is one, or a database error the budget caused (raised while rows were
    fetched, outside the execute wrapper); None otherwise."""
    if isinstance(exc, Overrun):
        return exc
    budget = _current()
    if budget is not None and isinstance(exc, DatabaseError) and _is_overrun(budget, exc):
        return _overrun(budget, exc)
    return None


@contextmanager
def guarded() -> Iterator[None]:
    """Any overrun inside the block surfaces as `Overrun`, for a view that answers it where the user acted."""
    try:
        yield
    except DatabaseError as exc:
        over = overrun_of(exc)
        if over is None:
            raise
        raise over from exc


# --- heavy requests ----------------------------------------------------------------------------------------


def heavy(view: F) -> F:
    """Marks a view as heavy: it runs only in one of the user's slots (`BudgetMiddleware`), or is refused."""
    view.kontora_heavy = True  # type: ignore[attr-defined]
    return view


def heavy_queued(view: F) -> F:
    """A heavy view the page asks for several times at once (the template list's counts, one per template): it
    waits up to `HEAVY_WAIT_SECONDS` for a slot before it is refused."""
    view.kontora_heavy = True  # type: ignore[attr-defined]
    view.kontora_heavy_wait = True  # type: ignore[attr-defined]
    return view


def unbudgeted(view: F) -> F:
    """A view whose queries are a few index lookups and whose time goes to the CPU (signing in: the password hash):
    on a busy server it may take seconds, and a refusal would tell the user to narrow a condition he never gave."""
    view.kontora_unbudgeted = True  # type: ignore[attr-defined]
    return view


def _slot_waiting(user_id: int, wait: float) -> tuple[int, str] | None:
    taken = slot_take(user_id)
    until = time.monotonic() + wait
    while taken is None and time.monotonic() < until:
        sleep(WAIT_STEP)
        taken = slot_take(user_id)
    return taken


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def _now_ms() -> int:
    return int(time.time() * 1000)


def slot_take(user_id: int) -> tuple[int, str] | None:
    """One of the user's free slots, taken (a stale one taken over); None when all are in use."""
    token = uuid.uuid4().hex
    now = _now_ms()
    stale = now - int(getattr(settings, "HEAVY_SLOT_STALE_SECONDS", 120)) * 1000
    with connection.cursor() as cursor:
        for slot in range(int(getattr(settings, "HEAVY_REQUESTS_PER_USER", 2))):
            # One statement per slot: inserted when free, taken over when stale, left alone when in use.
            cursor.execute(
                "INSERT INTO core_heavyrequest (user_id, slot, token, started) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (user_id, slot) DO UPDATE SET token = excluded.token, started = excluded.started "
                "WHERE core_heavyrequest.started < %s RETURNING slot",
                [user_id, slot, token, now, stale],
            )
            if cursor.fetchone() is not None:
                return slot, token
    return None


def slot_free(user_id: int, slot: int, token: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_heavyrequest WHERE user_id = %s AND slot = %s AND token = %s",
                       [user_id, slot, token])


def refusal(request: HttpRequest, exc: Refused) -> HttpResponse:
    """The answer to a request refused by the budget or the slots when its view did not place the message: htmx
    gets the text with the status (and the "k:refused" event), a page the message on the error page."""
    if htmx.is_htmx(request):
        response = HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")
        response["HX-Trigger"] = json.dumps({"k:refused": {"message": exc.message}})  # ASCII, as a header must be
        return response
    context = {"message": exc.message, "request_id": getattr(request, "request_id", "-")}
    try:
        return render(request, "errors/refused.html", context, status=exc.status)
    except Exception:  # the refusal itself must never become a 500
        log.exception("the refusal page failed to render")
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain; charset=utf-8")


class BudgetMiddleware:
    """Starts the budget when the view starts and stops it when the answer is made; takes a slot for `@heavy`
    views. Placed after authentication: the slots are the user's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            stop()
            held = getattr(request, "_kontora_slot", None)
            if held is not None:
                request._kontora_slot = None  # type: ignore[attr-defined]
                try:
                    slot_free(*held)
                except DatabaseError:  # a broken connection: the slot goes stale and is taken over
                    log.warning("could not free heavy-request slot %s of user %s", held[1], held[0], exc_info=True)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any,
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if getattr(view, "kontora_heavy", False) and user is not None and user.is_authenticated:
            queued = getattr(view, "kontora_heavy_wait", False)
            wait = float(getattr(settings, "HEAVY_WAIT_SECONDS", 3)) if queued else 0.0
            taken = _slot_waiting(user.pk, wait)
            if taken is None:
                log.info("heavy request of user %s refused: %s", user.pk, request.path)
                return refusal(request, Busy())
            request._kontora_slot = (user.pk, *taken)  # type: ignore[attr-defined]
        if not getattr(view, "kontora_unbudgeted", False):
            start(path=request.path)
        return None

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        over = overrun_of(exc)
        if over is None:
            return None
        current = _current()
        if current is not None:
            _disarm(current)  # a service's transaction that held the cancelled statement is rolled back by now
        return refusal(request, over)
