"""Reports over the work of employees: personal statistics (bar charts) and event statistics (events by type per
user and period, a pie chart)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.activity.selectors.statistics import EventCount, event_counts, task_figures
from kontora.clients.selectors.statistics import clients_registered
from kontora.core.charts import Chart, Series
from kontora.core.selectors.calendar import day_bounds
from kontora.reports.forms.activity import EventStatisticsForm, PersonalStatisticsForm
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



class PersonalStatistics(Report):
    """One employee's activity over a period (the manual's «Персональная статистика»): clients registered, events by
    type, tasks set, done and overdue, with bar charts."""

    slug = "personal-statistics"
    title = gettext_lazy("Personal statistics")
    group = STATISTICS
    order = 10
    form_class = PersonalStatisticsForm

    def build(self, user: Any, form: Any) -> Result:
        data = form.cleaned_data
        scope = Scope.of(user)
        chosen = data.get("employee") if scope.everyone else None
        subject = chosen or user
        start, end = day_bounds(user, data["date_from"])[0], day_bounds(user, data["date_to"])[1]
        registered = clients_registered(user, subject_id=subject.pk, start=start, end=end)
        events = event_counts(user, everyone=scope.everyone, start=start, end=end, author_ids=(subject.pk,))
        tasks = task_figures(user, subject_id=subject.pk, start=start, end=end, now=timezone.now())
        columns = [Column("figure", _("Figure"), TEXT, width=40), Column("value", _("Value"), INTEGER)]
        task_figures_shown = [(_("Tasks set"), tasks.set), (_("Tasks done"), tasks.done),
                              (_("Tasks overdue"), tasks.overdue)]
        sections = [
            Section(_("Clients"), [[_("Clients registered"), registered]]),
            Section(_("Events by type"), [[item.event_type, item.count] for item in events]
                    + [[_("Events in all"), sum(item.count for item in events)]]),
            Section(_("Tasks"), [[label, value] for label, value in task_figures_shown]),
        ]
        charts = [
            Chart("bar", _("Events by type"), [Series(_("Events"), [item.count for item in events])],
                  labels=[item.event_type for item in events]),
            Chart("bar", _("Tasks"), [Series(_("Tasks"), [value for _label, value in task_figures_shown])],
                  labels=[label for label, _value in task_figures_shown]),
        ]
        notes = [_("Employee: %(name)s") % {"name": subject.full_name or subject.login}]
        return self.result(user, form, columns=columns, sections=sections, charts=charts, notes=notes)


REPORTS = [PersonalStatistics(), EventStatistics()]
