"""The project planner's reads (PLN-03): the tree in one query, each item's percent derived from its cases weighted
by duration (recursively), and the timeline's geometry."""

from __future__ import annotations

import datetime

import pytest

from kontora.activity.selectors import projects as selectors
from tests.activity.factories import ProjectItemFactory
from tests.support.queries import assert_queries

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def _item(parent=None, *, days: int, percent: int = 0, start: datetime.date = DAY, **values):
    return ProjectItemFactory(parent=parent, starts_on=start, due_on=start + datetime.timedelta(days=days - 1),
                              percent=percent, **values)


@pytest.mark.feature("PLN-03")
def test_a_themes_percent_is_its_cases_weighted_by_duration():
    # given a theme (its own stored percent aside) with a 10-day case done and a 30-day case not started
    theme = _item(days=40, percent=90)
    short = _item(theme, days=10, percent=100)
    _item(theme, days=30, percent=0, start=DAY + datetime.timedelta(days=10))

    # when the tree is read
    forest = selectors.project_forest()

    # then the theme is 100·10/40 = 25 %, not the plain mean (50 %) nor its stored 90 %
    assert forest.nodes[theme.pk].percent == 25 and forest.nodes[theme.pk].derived
    assert forest.nodes[short.pk].percent == 100 and not forest.nodes[short.pk].derived


@pytest.mark.feature("PLN-03")
def test_the_percent_is_derived_through_every_level():
    # given theme → case A (with sub-cases of 1 day at 100 % and 3 days at 0 %) and a 4-day case B at 50 %
    theme = _item(days=8)
    first = _item(theme, days=4)
    _item(first, days=1, percent=100)
    _item(first, days=3, percent=0, start=DAY + datetime.timedelta(days=1))
    _item(theme, days=4, percent=50, start=DAY + datetime.timedelta(days=4))

    forest = selectors.project_forest()

    # then A is 25 %, and the theme weighs A's exact figure with B: (25·4 + 50·4) / 8 = 37.5 → 38
    assert forest.nodes[first.pk].percent == 25
    assert forest.nodes[theme.pk].exact == 37.5 and forest.nodes[theme.pk].percent == 38
    # and the rows come a parent before its cases, with their depth
    assert [(node.item.pk, node.depth) for node in forest.rows()][:2] == [(theme.pk, 0), (first.pk, 1)]
    assert [node.depth for node in forest.rows()] == [0, 1, 2, 2, 1]


@pytest.mark.feature("PLN-03")
def test_the_tree_is_read_in_one_query_whatever_its_size():
    # given three themes with nested cases
    for _ in range(3):
        theme = _item(days=20)
        case = _item(theme, days=10)
        _item(case, days=5)
    # when the tree is read, derived and walked (the responsible's names included)
    with assert_queries(1):
        forest = selectors.project_forest()
        names = [str(node.item.responsible) for node in forest.rows()]
    # then it took one query for nine items
    assert len(names) == 9


@pytest.mark.feature("PLN-03")
def test_the_timeline_spans_whole_months_and_bars_fill_by_percent():
    # given a theme from 2 March for 40 days (to 10 April), half done
    theme = _item(days=40, percent=50)
    nodes = list(selectors.project_forest().rows())

    # when the timeline is laid out on 5 March
    axis = selectors.timeline(nodes, DAY + datetime.timedelta(days=3))

    # then it runs 1 March – 30 April (61 days at 14 px), a month mark on each first
    assert axis is not None
    assert (axis.first, axis.last, axis.day_px, axis.width) == (
        datetime.date(2026, 3, 1), datetime.date(2026, 4, 30), 14, 61 * 14)
    assert [month.x for month in axis.months] == [0, 31 * 14]
    # the bar starts on its day, is 40 days long and half filled; today is marked in its day's middle
    bar = axis.bar(selectors.project_forest().nodes[theme.pk])
    assert (bar.x, bar.width, bar.done) == (14, 40 * 14, 20 * 14)
    assert axis.today_x == 4 * 14 + 7
    # and without items there is no timeline
    assert selectors.timeline([], DAY) is None
