"""The time budget of a request's queries and the per-user slots of heavy requests (core.budget, issue 11, F5).

A cancelled statement on PostgreSQL aborts the transaction it runs in, so the tests that overrun a budget run
outside the test's transaction (transaction=True), as a request does (no ATOMIC_REQUESTS).
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils import translation

from kontora.core import budget
from kontora.core.models import HeavyRequest
from tests.accounts.factories import UserFactory

# Seconds of work for either database without a budget: a recursive count to fifty million.
HEAVY_SQL = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 50000000) "
             "SELECT count(*) FROM n")
# A fraction of a second of the same work.
MODERATE_SQL = HEAVY_SQL.replace("50000000", "300000")


def one(sql: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_query_past_the_budget_is_refused_with_the_message_and_the_connection_serves_the_next_query():
    # given / when: a statement of seconds under a budget of 20 ms
    started = time.monotonic()
    with translation.override("ru"), pytest.raises(budget.Overrun) as refused, budget.budgeted(ms=20):
        one(HEAVY_SQL)
    # then: stopped at once, with the message in the user's language
    assert time.monotonic() - started < 2
    assert refused.value.message == "Условие слишком тяжёлое — сузьте его."
    assert refused.value.status == 422
    # and the connection is not poisoned: the next request's queries, and queries without a budget, run in full
    with budget.budgeted(ms=5000):
        assert one("SELECT 1") == 1
    assert one(MODERATE_SQL) == 300000


@pytest.mark.django_db(transaction=True)
def test_the_budget_is_taken_off_the_connection_when_it_ends():
    # given: a budget of 50 ms that was armed by a query, then ended
    with budget.budgeted(ms=50):
        assert one("SELECT 1") == 1
    time.sleep(0.06)
    # when / then: a query of more than 50 ms afterwards is not cut short (positive control below)
    assert one(MODERATE_SQL) == 300000
    if connection.vendor == "postgresql":
        assert one("SHOW statement_timeout") in ("0", "0ms")


@pytest.mark.django_db
def test_no_statement_starts_after_the_deadline():
    with budget.budgeted(ms=30):
        assert one("SELECT 1") == 1  # positive control: within the budget
        time.sleep(0.05)
        with pytest.raises(budget.Overrun):
            one("SELECT 1")


@pytest.mark.django_db(transaction=True)
def test_a_job_run_inside_a_request_is_exempt_from_its_budget():
    with budget.budgeted(ms=30):
        with budget.exempt():
            time.sleep(0.05)
            assert one(MODERATE_SQL) == 300000
        # the request's own budget is back after the job
        with pytest.raises(budget.Overrun):
            one("SELECT 1")


# --- heavy requests: slots ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_holds_at_most_two_heavy_requests_and_a_freed_slot_is_taken_again(settings):
    settings.HEAVY_REQUESTS_PER_USER = 2
    user, other = UserFactory(), UserFactory()
    first, second = budget.slot_take(user.pk), budget.slot_take(user.pk)
    assert first is not None and second is not None
    assert budget.slot_take(user.pk) is None  # the third is refused
    assert budget.slot_take(other.pk) is not None  # another user's are his own
    budget.slot_free(user.pk, *first)
    assert budget.slot_take(user.pk) is not None


@pytest.mark.django_db
def test_a_slot_left_by_a_dead_process_is_taken_over_once_stale(settings):
    settings.HEAVY_REQUESTS_PER_USER = 1
    user = UserFactory()
    assert budget.slot_take(user.pk) is not None
    assert budget.slot_take(user.pk) is None
    HeavyRequest.objects.filter(user=user).update(started=int(time.time() * 1000) - 3600 * 1000)
    assert budget.slot_take(user.pk) is not None


def _request(user: Any) -> HttpRequest:
    request = RequestFactory().get("/clients/registry/rows/")
    request.user = user
    return request


@pytest.mark.django_db
def test_the_middleware_refuses_a_third_heavy_request_and_frees_slots_even_when_the_view_fails(settings):
    settings.HEAVY_REQUESTS_PER_USER = 2
    user = UserFactory()

    @budget.heavy
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    def inner(request: HttpRequest) -> HttpResponse:
        # two requests of the user are running while this one asks
        return middleware.process_view(request, view, (), {}) or view(request)

    middleware = budget.BudgetMiddleware(inner)
    budget.slot_take(user.pk)
    budget.slot_take(user.pk)
    with translation.override("ru"):
        refused = middleware(_request(user))
    assert refused.status_code == 429
    assert "Дождитесь" in refused.content.decode()
    HeavyRequest.objects.filter(user=user).delete()

    # a heavy view that dies frees its slot all the same
    def failing(request: HttpRequest) -> HttpResponse:
        assert middleware.process_view(request, view, (), {}) is None
        assert HeavyRequest.objects.filter(user=user).count() == 1  # taken while the view runs
        raise RuntimeError("the view died")

    middleware = budget.BudgetMiddleware(failing)
    with pytest.raises(RuntimeError):
        middleware(_request(user))
    assert not HeavyRequest.objects.filter(user=user).exists()
    # and a normal heavy request then gets through
    middleware = budget.BudgetMiddleware(inner)
    assert middleware(_request(user)).status_code == 200
    assert not HeavyRequest.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_an_overrun_no_view_placed_is_answered_422_with_the_message_and_logged(caplog: Any) -> None:
    # given: a view whose query ran out of the budget without catching it
    user = UserFactory()
    middleware = budget.BudgetMiddleware(lambda request: HttpResponse("never"))
    request = _request(user)
    request.META["HTTP_HX_REQUEST"] = "true"
    # when
    with translation.override("ru"), budget.budgeted(ms=0) as spent, caplog.at_level("WARNING", "kontora.core.budget"):
        with pytest.raises(budget.Overrun) as raised:
            one("SELECT 1")
        answer = middleware.process_exception(request, raised.value)
        assert spent.overrun
    # then: the message with 422 and the "k:refused" event for htmx, never a 500; and a line in the log
    assert answer is not None and answer.status_code == 422
    assert answer.content.decode() == "Условие слишком тяжёлое — сузьте его."
    assert json.loads(answer["HX-Trigger"]) == {"k:refused": {"message": "Условие слишком тяжёлое — сузьте его."}}
    assert "time budget of 0 ms spent" in caplog.text
    # and any other error is left to Django (positive control)
    assert middleware.process_exception(request, ValueError("other")) is None


@pytest.mark.django_db
def test_a_queued_heavy_view_waits_for_a_slot_and_is_refused_only_when_none_frees(settings, monkeypatch) -> None:
    # given: a view the page asks for many times at once, and both of the user's slots in use
    settings.HEAVY_REQUESTS_PER_USER = 2
    settings.HEAVY_WAIT_SECONDS = 0.3
    user = UserFactory()
    held = [budget.slot_take(user.pk), budget.slot_take(user.pk)]

    @budget.heavy_queued
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    def inner(request: HttpRequest) -> HttpResponse:
        return middleware.process_view(request, view, (), {}) or view(request)

    middleware = budget.BudgetMiddleware(inner)
    # when: one of the two ends while it waits
    naps: list[float] = []

    def nap(seconds: float) -> None:
        naps.append(seconds)
        if len(naps) == 2:
            budget.slot_free(user.pk, *held[0])

    monkeypatch.setattr(budget, "sleep", nap)
    # then: it is served once the slot is free
    assert middleware(_request(user)).status_code == 200
    assert len(naps) == 2
    # and with no slot freeing, it is refused after the wait (the polite message, not a 500)
    budget.slot_take(user.pk)
    monkeypatch.setattr(budget, "sleep", lambda seconds: time.sleep(0.05))
    started = time.monotonic()
    assert middleware(_request(user)).status_code == 429
    assert time.monotonic() - started >= 0.3
