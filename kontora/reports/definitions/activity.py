"""Reports over the relationship history: event statistics (events by type per user and period, a pie chart)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.activity.selectors.statistics import EventCount, event_counts
from kontora.core.charts import Chart, Series
from kontora.core.selectors.calendar import day_bounds
from kontora.reports.forms.activity import EventStatisticsForm
from kontora.reports.framework.base import STATISTICS, Report, Scope
from kontora.reports.framework.result import INTEGER, PERCENT, TEXT, Column, Result, Section

PIE_SLICES = 10  # the rest of the types share one slice


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1")) if whole else Decimal(0)


def type_pie(counts: list[EventCount], title: str) -> Chart:
    by_type: dict[str, int] = defaultdict(int)
    for item in counts:
        by_type[item.event_type] += item.count
    ranked = sorted(by_type.items(), key=lambda pair: (-pair[1], pair[0]))
    slices = [Series(name, [count]) for name, count in ranked[:PIE_SLICES]]
    rest = sum(count for _name, count in ranked[PIE_SLICES:])
    if rest:
        slices.append(Series(_("Other types"), [rest]))
    return Chart("pie", title, slices)


class EventStatistics(Report):
    slug = "event-statistics"
    title = gettext_lazy("Event statistics")
    group = STATISTICS
    order = 20
    form_class = EventStatisticsForm

    def build(self, user: Any, form: Any) -> Result:
        data = form.cleaned_data
        scope = Scope.of(user)
        start, end = day_bounds(user, data["date_from"])[0], day_bounds(user, data["date_to"])[1]
        counts = event_counts(user, everyone=scope.everyone, start=start, end=end,
                              author_ids=scope.authors(data.get("users") or ()))
        by_author: dict[int, list[EventCount]] = defaultdict(list)
        for item in counts:
            by_author[item.author_id].append(item)
        sections = []
        for items in by_author.values():
            whole = sum(item.count for item in items)
            sections.append(Section(items[0].author, [[item.event_type, item.count, _share(item.count, whole)]
                                                      for item in items]))
        columns = [Column("event_type", _("Event type"), TEXT, width=30),
                   Column("events", _("Events"), INTEGER, total=True),
                   Column("share", _("Share of the user's events"), PERCENT, width=12)]
        notes = [] if counts else [_("No events in this period.")]
        return self.result(user, form, columns=columns, sections=sections, notes=notes,
                           charts=[type_pie(counts, _("Events by type"))] if counts else [])


REPORTS = [EventStatistics()]
