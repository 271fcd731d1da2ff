"""The one keyset pager (core.ui.pager): every row once, in order, forwards and backwards, one query a page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from kontora.core.models import Job
from kontora.core.ui.pager import AFTER, BEFORE, Keyset, Page
from tests.accounts.factories import UserFactory
from tests.core.factories import JobFactory
from tests.support.queries import assert_queries

# Ties on the first key (three statuses for 23 jobs), the unique id last; descending and ascending mixed.
ORDER = Keyset("status", "-created_at", "-id")


def _expected() -> list[int]:
    return list(Job.objects.order_by(*ORDER.order).values_list("pk", flat=True))


def _ids(page: Page[Any]) -> list[int]:
    return [job.pk for job in page.rows]


@pytest.fixture
def jobs(db: Any) -> None:
    for number in range(23):
        JobFactory(status=("queued", "done", "failed")[number % 3])


def test_forwards_every_row_comes_once_in_the_lists_order(jobs: None) -> None:
    seen: list[int] = []
    cursor: dict[str, str] = {}
    pages = 0
    while True:
        with assert_queries(1):
            page = ORDER.page(Job.objects.all(), cursor, size=5)
        pages += 1
        seen += _ids(page)
        assert page.is_first == (pages == 1)
        if not page.after:
            break
        cursor = {AFTER: page.after}
    assert pages == 5
    assert seen == _expected()


def test_backwards_from_the_last_page_reads_the_same_pages_again(jobs: None) -> None:
    forwards: list[list[int]] = []
    page = ORDER.page(Job.objects.all(), {}, size=5)
    forwards.append(_ids(page))
    while page.after:
        page = ORDER.page(Job.objects.all(), {AFTER: page.after}, size=5)
        forwards.append(_ids(page))

    backwards = [_ids(page)]
    while page.before:
        page = ORDER.page(Job.objects.all(), {BEFORE: page.before}, size=5)
        backwards.append(_ids(page))

    assert backwards[::-1] == forwards
    assert page.is_first and page.after  # back on the first page, which leads on


def test_a_damaged_or_foreign_cursor_starts_from_the_top(jobs: None) -> None:
    top = _ids(ORDER.page(Job.objects.all(), {}, size=5))
    for cursor in ("", "not base64!", "WzFd", Keyset("-id").encode(Job.objects.first()), "W251bGwsMSwyXQ"):
        assert _ids(ORDER.page(Job.objects.all(), {AFTER: cursor}, size=5)) == top, cursor


def test_a_cursor_keeps_microseconds_and_seeks_inside_the_given_queryset(jobs: None, manager_user: Any) -> None:
    # given jobs created within one millisecond, so only microseconds tell them apart
    Job.objects.update(status="queued")
    newest_first = Keyset("-created_at", "-id")
    every = list(Job.objects.order_by(*newest_first.order).values_list("pk", flat=True))
    second = newest_first.page(Job.objects.all(), {AFTER: newest_first.encode(Job.objects.get(pk=every[0]))},
                               size=100)
    assert _ids(second) == every[1:]
    # and a cursor of someone else's row only moves the seek: the rows are still the queryset's
    mine = Job.objects.filter(created_by=manager_user)
    assert newest_first.page(mine, {AFTER: second.after or newest_first.encode(second.rows[0])}, size=5).rows == []


def test_links_keep_the_lists_parameters_and_name_only_real_pages(jobs: None) -> None:
    first = ORDER.page(Job.objects.all(), {}, size=5)
    nav = first.nav("/jobs/", q="отчёт", empty="")
    assert nav["first"] == "" and nav["previous"] == ""
    assert nav["next"].startswith("/jobs/?q=%D0%BE%D1%82%D1%87%D1%91%D1%82&after=")
    last = ORDER.page(Job.objects.all(), {}, size=100)
    assert last.link("/jobs/", AFTER) == "" and last.link("/jobs/", BEFORE) == ""


@dataclass(slots=True)
class JobLine:
    id: int
    status: str
    created_at: Any
    title: str

    @property
    def pk(self) -> int:
        return self.id


LINE_FIELDS = ("id", "status", "created_at", "title")


def _read(parts: list[Any], params: dict[str, str], *, values: dict[str, Any] | None = None, size: int = 4,
          ) -> Page[JobLine]:
    return ORDER.read(model=Job, key=("test", len(parts)), values=values or {}, parts=parts, fields=LINE_FIELDS,
                      make=JobLine, params=params, size=size)


def _walk(parts: list[Any], **kwargs: Any) -> tuple[list[list[int]], list[list[int]]]:
    """Every page forwards, each one query a part, then back again from the last."""
    pages: list[list[int]] = []
    page = _read(parts, {}, **kwargs)
    pages.append(_ids(page))
    while page.after:
        with assert_queries(len(parts)):
            page = _read(parts, {AFTER: page.after}, **kwargs)
        pages.append(_ids(page))
    backwards = [_ids(page)]
    while page.before:
        page = _read(parts, {BEFORE: page.before}, **kwargs)
        backwards.append(_ids(page))
    return pages, backwards


def test_a_prepared_read_pages_like_page_with_its_values_bound_afresh_each_call(jobs: None, manager_user: Any,
                                                                                  ) -> None:
    # given jobs of two users, the list's part narrowed by a value (a marker when it is compiled)
    Job.objects.filter(pk__in=Job.objects.order_by("id").values("pk")[:9]).update(created_by=manager_user)
    other = UserFactory()
    Job.objects.exclude(created_by=manager_user).update(created_by=other)
    parts = [lambda v: Job.objects.filter(created_by_id=v["user"])]
    for user in (manager_user, other):
        # then each user's pages hold his jobs, each once, in the list's order, forwards and back
        pages, backwards = _walk(parts, values={"user": user.pk})
        mine = list(Job.objects.filter(created_by=user).order_by(*ORDER.order).values_list("pk", flat=True))
        assert [pk for rows in pages for pk in rows] == mine
        assert backwards == list(reversed(pages))
    # and the rows are the fields asked, made into the row type
    line = _read(parts, {}, values={"user": other.pk}).rows[0]
    job = Job.objects.get(pk=line.id)
    assert (line.status, line.created_at, line.title) == (job.status, job.created_at, job.title)


def test_a_union_of_overlapping_parts_pages_like_one_query_over_their_or(jobs: None) -> None:
    # Two parts that share the failed jobs: each row once, in the list's order, forwards and back again.
    parts = [lambda v: Job.objects.exclude(status="done"), lambda v: Job.objects.exclude(status="queued")]
    pages, backwards = _walk(parts)
    assert [pk for rows in pages for pk in rows] == _expected()
    assert len(pages) == 6
    assert backwards == list(reversed(pages))


def test_a_union_lists_only_what_its_parts_hold(jobs: None) -> None:
    page = _read([lambda v: Job.objects.filter(status="done")], {}, size=50)
    assert _ids(page) == list(Job.objects.filter(status="done").order_by(*ORDER.order).values_list("pk", flat=True))
    assert len(page.rows) == 8 and not page.after
