"""Query counts: every list, journal and card has a test that its count does not grow with the rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


def assert_flat_queries(read: Callable[[], str], add: Callable[[int], object], *, rows: int = 20) -> str:
    """A list's page reads as many queries with `rows` rows as with one: adds row 0, reads (once to warm the
    session, once counted), adds the rest, reads again counted; returns the last page for the caller's checks."""
    add(0)
    read()
    with count_queries() as one:
        read()
    for number in range(1, rows):
        add(number)
    with count_queries() as many:
        page = read()
    listing = "\n".join(query["sql"][:160] for query in many.captured_queries)
    assert len(many) == len(one), f"{len(one)} queries with one row, {len(many)} with {rows}:\n{listing}"
    return page
