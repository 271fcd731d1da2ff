"""Reports over the work of employees: the events report (HIS-03), personal statistics (bar charts) and event
statistics (events by type per user and period, a pie chart)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kontora.activity.models import Task
from kontora.activity.selectors import events_report
from kontora.activity.selectors import journal as task_journal
from kontora.activity.selectors.statistics import EventCount, event_counts, task_figures
from kontora.clients.selectors.statistics import clients_registered
from kontora.core.charts import Chart, Series
from kontora.core.selectors.calendar import day_bounds
from kontora.core.ui.links import IdLink
from kontora.reports.forms.activity import (
    EventsReportForm,
    EventStatisticsForm,
    PersonalStatisticsForm,
    TaskControlForm,
)
from kontora.reports.framework.base import OPERATIONAL, STATISTICS, PagedReport, Report, Scope
from kontora.reports.framework.result import DATETIME, INTEGER, PERCENT, TEXT, Column, Result, Row, Section

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


class EventsReport(PagedReport):
    """«События» (HIS-03): the events of a period chosen by type, result, client, client status, users and words of
    the description, newest first, with the number of events of each type over the whole selection. A user's own
    events, or every employee's with «журналы всех сотрудников» — never of a client he may not open."""

    slug = "events"
    title = gettext_lazy("Events")
    group = OPERATIONAL
    order = 20
    form_class = EventsReportForm

    def page(self, user: Any, form: Any, cursor: Mapping[str, str], size: int) -> tuple[Result, str]:
        data = form.cleaned_data
        params = events_report.Parameters(
            date_from=data.get("date_from"), date_to=data.get("date_to"),
            event_type_id=data["event_type"].pk if data.get("event_type") else None,
            client_id=data["client"].pk if data.get("client") else None,
            status_id=data["status"].pk if data.get("status") else None,
            result_id=data["result"].pk if data.get("result") else None,
            author_ids=tuple(author.pk for author in data.get("authors") or ()),
            words=data.get("words") or "",
        )
        found = events_report.report(user, params, cursor=cursor, size=size)
        card_link = IdLink("clients:card")
        rows = [Row([event.created_at, event.client.short_name, event.event_type.name, event.description,
                     event.result.name if event.result else "", event.author.full_name],
                    href=card_link(event.client_id)) for event in found.page.rows]
        columns = [Column("date", _("Date"), DATETIME), Column("client", _("Client"), TEXT, width=24),
                   Column("event_type", _("Event type"), TEXT, width=16),
                   Column("description", _("Description"), TEXT, width=44),
                   Column("result", _("Result"), TEXT, width=16), Column("author", _("Author"), TEXT, width=18)]
        notes: list[str] = []
        if found.page.is_first:
            notes = self._totals(found)
        result = self.result(user, form, columns=columns, sections=[Section("", rows)], notes=notes,
                             rows=None if found.uncounted else found.total)
        return result, found.page.after

    @staticmethod
    def _totals(found: events_report.Report) -> list[str]:
        """What is said of the whole selection: how many events, and of each type."""
        if found.uncounted:
            return [_("The words match too many events of this period (some %(cap)s or more) to total them by type. "
                      "Add a word or shorten the period to see the totals.")
                    % {"cap": number_format(events_report.CAP, force_grouping=True)}]
        if not found.total:
            return [_("No events.")]
        return [_("Events in all: %(count)s") % {"count": number_format(found.total, force_grouping=True)},
                *(f"{item.name}: {number_format(item.count, force_grouping=True)}" for item in found.totals)]


class TaskControl(PagedReport):
    """«Задачи на контроле» (TSK-09): the tasks the user set or was given (every employee's with «журналы всех
    сотрудников»), active ones — closed ones too with «Дополнить закрытыми задачами» —, the nearest due first, with
    how many stand in each state and how many are overdue."""

    slug = "tasks-under-control"
    title = gettext_lazy("Tasks under control")
    group = OPERATIONAL
    order = 10
    form_class = TaskControlForm

    def initial(self, user: Any) -> dict[str, Any]:
        return {}  # every task of the choice, whatever its start

    def page(self, user: Any, form: Any, cursor: Mapping[str, str], size: int) -> tuple[Result, str]:
        choice = form.choice()
        found = task_journal.report_page(user, choice, cursor=cursor, size=size)
        task_link = IdLink("activity:task")
        now, overdue = timezone.now(), _("overdue")
        rows = [Row([task.starts_at, task.due_at, task.get_importance_display(),
                     f"{task.get_state_display()}, {overdue}" if task.overdue(now) else task.get_state_display(),
                     task.about, task.description, task.author_name, task.assignee_name], href=task_link(task.id))
                for task in found.rows]
        columns = [Column("starts", _("Start"), DATETIME), Column("due", _("Due"), DATETIME),
                   Column("importance", _("Importance"), TEXT, width=10),
                   Column("state", _("State"), TEXT, width=16), Column("client", _("Client"), TEXT, width=22),
                   Column("task", _("Task"), TEXT, width=40), Column("author", _("Author"), TEXT, width=18),
                   Column("assignee", _("Assignee"), TEXT, width=18)]
        notes: list[str] = []
        whole = None
        if found.pager.is_first:
            counts = task_journal.state_counts(user, choice)
            whole = sum(counts[value] for value in Task.State.values)
            notes = [" · ".join([*(f"{label}: {counts[value]}" for value, label in Task.State.choices),
                                 _("overdue in all: %(count)s") % {"count": counts["overdue"]}])]
            if found.hidden:
                notes.append(_hidden(found.hidden))
        result = self.result(user, form, columns=columns, sections=[Section("", rows)], notes=notes, rows=whole)
        return result, found.pager.after


def _hidden(count: int) -> str:
    """«N строк скрыто: клиенты, к которым у вас нет доступа» (past the count's cap: «больше N»)."""
    if count > task_journal.HIDDEN_CAP:
        cap = task_journal.HIDDEN_CAP
        return ngettext("More than %(counter)s row is hidden: clients you have no access to.",
                        "More than %(counter)s rows are hidden: clients you have no access to.", cap) % {
            "counter": cap}
    return ngettext("%(counter)s row is hidden: clients you have no access to.",
                    "%(counter)s rows are hidden: clients you have no access to.", count) % {"counter": count}


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


REPORTS = [TaskControl(), EventsReport(), PersonalStatistics(), EventStatistics()]
