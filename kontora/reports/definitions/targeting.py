"""«Таргетинг — плановые показатели» (TGT-04): per employee, the goals reached in the period and the units earned,
against his plan for the period; and the company as a whole, with a chart of plan and fact."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.accounts.models import User
from kontora.core.charts import Chart, Series
from kontora.core.selectors.calendar import day_bounds, working_days
from kontora.reports.forms.targeting import TargetingForm
from kontora.reports.framework.base import TARGETING, Report, Scope
from kontora.reports.framework.result import DECIMAL, INTEGER, PERCENT, TEXT, Column, Result, Section
from kontora.targeting.models import Plan
from kontora.targeting.selectors import earned_by_goal, planned_users, plans

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Workdays:
    """The working days of a period (the production calendar), and of each month it touches: (in the period, in
    the whole month)."""

    count: int
    months: tuple[tuple[int, int], ...]


def workdays(first: datetime.date, last: datetime.date) -> Workdays:
    """Read once a report: the period's days and its months' whole (a year's period touches at most 13)."""
    days = working_days(first, last)
    in_period: dict[tuple[int, int], int] = defaultdict(int)
    for day, working in days.items():
        in_period[(day.year, day.month)] += working
    months = []
    for (year, month), count in sorted(in_period.items()):
        start = datetime.date(year, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        months.append((count, sum(1 for working in working_days(start, end).values() if working)))
    return Workdays(sum(1 for working in days.values() if working), tuple(months))


def period_plan(plan: Plan | None, days: Workdays) -> Decimal:
    """The plan for the period: the day's plan times its working days; else the week's for each five working days;
    else each month's share by its working days in the period."""
    if plan is None:
        return Decimal(0)
    if plan.per_day:
        return (plan.per_day * days.count).quantize(CENT)
    if plan.per_week:
        return (plan.per_week * days.count / 5).quantize(CENT, ROUND_HALF_UP)
    total = sum((plan.per_month * in_period / whole for in_period, whole in days.months if whole), Decimal(0))
    return total.quantize(CENT, ROUND_HALF_UP)


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP) if whole else None


class TargetingPlan(Report):
    slug = "targeting"
    title = gettext_lazy("Targeting — planned figures")
    group = TARGETING
    order = 10
    form_class = TargetingForm

    def build(self, user: Any, form: Any) -> Result:
        data = form.cleaned_data
        first, last = data["date_from"], data["date_to"]
        start, end = day_bounds(user, first)[0], day_bounds(user, last)[1]
        chosen = Scope.of(user).authors(data.get("users") or ())
        figures = earned_by_goal(chosen or None, start, end)
        # Everyone: the employees with a plan, and whoever reached a goal without one.
        ids = list(chosen) if chosen else sorted(set(planned_users().values_list("pk", flat=True)) | set(figures))
        held = plans(ids)
        days = workdays(first, last)
        people = {person.pk: person for person in User.objects.filter(pk__in=ids)}
        columns = [Column("goal", _("Goal"), TEXT, width=40),
                   Column("reached", _("Reached, times"), INTEGER, total=True),
                   Column("units", _("Units earned"), DECIMAL, total=True),
                   Column("plan", _("Plan for the period"), DECIMAL, total=True),
                   Column("done", _("Plan done"), PERCENT)]
        sections, names, plan_series, fact_series = [], [], [], []
        company_plan = company_fact = Decimal(0)
        for person in sorted(people.values(), key=lambda p: (p.full_name, p.pk)):
            goals = figures.get(person.pk, [])
            fact = sum((item.units for item in goals), Decimal(0))
            planned_units = period_plan(held.get(person.pk), days)
            rows: list[list[Any]] = [[item.goal, item.reached, item.units, None, None] for item in goals]
            rows.append([_("Plan for the period"), None, None, planned_units, _percent(fact, planned_units)])
            sections.append(Section(person.full_name, rows))
            names.append(person.full_name)
            plan_series.append(float(planned_units))
            fact_series.append(float(fact))
            company_plan += planned_units
            company_fact += fact
        notes = [_("The plan for the period is the day's plan times the working days of the period (the production "
                   "calendar); without a day's plan, the week's for every five working days, else the month's in "
                   "proportion to its working days.")]
        if sections:
            share = _percent(company_fact, company_plan)
            notes.insert(0, _("The company as a whole: %(fact)s units of %(plan)s planned%(share)s.") % {
                "fact": number_format(company_fact, 2), "plan": number_format(company_plan, 2),
                "share": f" ({number_format(share, 1)} %)" if share is not None else ""})
        else:
            notes.insert(0, _("No employee has a targeting plan or reached a goal in this period."))
        charts = [Chart("bar", _("Plan and fact, units"), [Series(_("Plan"), plan_series),
                                                          Series(_("Fact"), fact_series)], labels=names)] \
            if sections else []
        return self.result(user, form, columns=columns, sections=sections, charts=charts, notes=notes)


REPORTS = [TargetingPlan()]
