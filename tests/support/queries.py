"""Query counts: every list, journal and card has a test that its count does not grow with the rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def count_queries() -> Iterator[CaptureQueriesContext]:
    """Captures the queries of the block: `len(captured)` after it, `captured.captured_queries` for the SQL."""
    with CaptureQueriesContext(connection) as captured:
        yield captured


@contextmanager
def assert_queries(expected: int) -> Iterator[CaptureQueriesContext]:
    """The block runs exactly `expected` queries; on failure the message lists them."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    if len(captured) != expected:
        listing = "\n".join(f"{n}. {q['sql']}" for n, q in enumerate(captured.captured_queries, 1))
        raise AssertionError(f"{len(captured)} queries instead of {expected}:\n{listing}")
