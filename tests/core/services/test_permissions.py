"""The request's memo of access decisions (core.permissions): one answer per question and request, nothing kept
between requests, forgotten by a write of the same request."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from kontora.core.permissions import DecisionsMiddleware, decided, decisions, decisions_changed


def _asker() -> tuple[list[int], Any]:
    calls: list[int] = []

    def decide() -> int:
        calls.append(1)
        return len(calls)

    return calls, decide


def test_outside_a_request_every_question_is_answered_afresh() -> None:
    _calls, decide = _asker()
    assert [decided("q", decide), decided("q", decide)] == [1, 2]


def test_within_a_request_a_question_is_answered_once_and_a_new_request_asks_again() -> None:
    calls, decide = _asker()
    with decisions():
        assert [decided("q", decide), decided("q", decide), decided(("other",), decide)] == [1, 1, 2]
    with decisions():
        assert decided("q", decide) == 3
    assert len(calls) == 3


@pytest.mark.django_db(transaction=True)
def test_a_write_forgets_the_answers_and_none_is_kept_until_it_commits() -> None:
    # given an answer memoised in the request
    _calls, decide = _asker()
    with decisions():
        assert decided("q", decide) == 1
        # when a write happens inside a transaction
        with transaction.atomic():
            decisions_changed()
            # then the answer is asked afresh, every time, while the write may still roll back
            assert [decided("q", decide), decided("q", decide)] == [2, 3]
        # and once it has committed, answers are memoised again
        assert [decided("q", decide), decided("q", decide)] == [4, 4]


@pytest.mark.django_db(transaction=True)
def test_after_a_rolled_back_write_nothing_read_inside_it_is_kept() -> None:
    _calls, decide = _asker()
    with decisions():
        with pytest.raises(RuntimeError), transaction.atomic():
            decisions_changed()
            decided("q", decide)
            raise RuntimeError
        assert [decided("q", decide), decided("q", decide)] == [2, 3]


def test_the_middleware_gives_each_request_its_own_memo() -> None:
    _calls, decide = _asker()

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f"{decided('q', decide)}{decided('q', decide)}")

    middleware = DecisionsMiddleware(view)
    assert [middleware(HttpRequest()).content for _ in range(2)] == [b"11", b"22"]
    assert decided("q", decide) == 3  # and nothing is left behind outside a request
