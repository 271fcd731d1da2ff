"""Reports over billing (issue 18): invoices issued and paid over a period, the receivables by age on a date, sales
and works over a period. Their figures are billing's grouped reads (`billing.selectors.reports`), which start from
the card-level client set; whose documents they sum is `Scope.of(user)`: the user's own (the invoices he wrote, the
sales and works he is responsible for) or, with «Отчёты по всем пользователям», every employee's or those chosen."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.billing.selectors.reports import (
    AGES,
    ENTITY,
    Turnover,
    debts_ageing,
    invoice_turnover,
    sales_by_group,
    works_by_type,
)
from kontora.core.charts import Chart, Series
from kontora.core.selectors.calendar import user_today
from kontora.core.selectors.settings import block_enabled, system_settings
from kontora.core.ui.links import IdLink
from kontora.reports.forms.billing import SALES, WORKS, DebtsForm, InvoiceTurnoverForm, SalesWorksForm
from kontora.reports.framework.base import MONEY, Report, Scope
from kontora.reports.framework.base import SALES as SALES_GROUP
from kontora.reports.framework.result import DECIMAL, INTEGER, TEXT, Column, Result, Row, Section
from kontora.reports.framework.result import MONEY as MONEY_KIND

BARS = 15  # a chart names at most this many groups; the rest are in the table


def _rubles(amount: Decimal) -> float:
    return float(amount)


class InvoiceTurnover(Report):
    """«Счета: выставлено и оплачено»: per manager and/or payee legal entity, the invoices dated in the period (how
    many, for how much, how much of it is still due) and the money paid in the period towards their invoices."""

    slug = "invoices-issued-paid"
    title = gettext_lazy("Invoices: issued and paid")
    group = MONEY
    order = 10
    form_class = InvoiceTurnoverForm

    def build(self, user: Any, form: Any) -> Result:
        data = form.cleaned_data
        by = form.grouping()
        found = invoice_turnover(user, start=data["date_from"], end=data["date_to"],
                                 authors=Scope.of(user).authors(data.get("users") or ()), by=by)
        first = _("Payee legal entity") if by == (ENTITY,) else _("Legal entity") if len(by) > 1 else _("Manager")
        columns = [Column("group", first, TEXT, width=32),
                   Column("invoices", _("Invoices"), INTEGER, total=True),
                   Column("issued", _("Issued, amount"), MONEY_KIND, total=True),
                   Column("paid", _("Paid in the period"), MONEY_KIND, total=True),
                   Column("due", _("Due on them"), MONEY_KIND, total=True)]

        def line(item: Turnover, label: str) -> list[Any]:
            return [label, item.invoices, item.issued, item.paid, item.due]

        if len(by) > 1:
            sections = [Section(manager or "—", [line(item, item.entity) for item in items])
                        for (_pk, manager), items in groupby(found, key=lambda t: (t.author_id, t.author))]
        else:
            sections = [Section("", [line(item, item.entity if by == (ENTITY,) else item.author)
                                     for item in found])]
        charts = []
        if found:
            bars: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
            for item in found:
                label = item.entity if by == (ENTITY,) else item.author
                bars[label][0] += item.issued
                bars[label][1] += item.paid
            shown = sorted(bars.items(), key=lambda pair: -pair[1][0])[:BARS]
            charts.append(Chart("bar", _("Issued and paid, rubles"), [
                Series(_("Issued"), [_rubles(pair[1][0]) for pair in shown]),
                Series(_("Paid"), [_rubles(pair[1][1]) for pair in shown])], labels=[pair[0] for pair in shown]))
        notes = [_("Issued: the invoices dated in the period but drafts and cancelled ones. Paid: the payments dated "
                   "in the period, not cancelled, counted towards invoices of the group whenever those were dated.")]
        if not found:
            notes.insert(0, _("No invoices or payments in this period."))
        return self.result(user, form, columns=columns, sections=sections, charts=charts, notes=notes)


class Debts(Report):
    """«Задолженность (дебиторская)»: what clients owe on open invoices on a date, per manager and client, by age —
    not yet overdue, 1–30, 31–60, 61–90 and more than 90 days past the due date."""

    slug = "debts"
    title = gettext_lazy("Receivables")
    group = MONEY
    order = 20
    form_class = DebtsForm

    def initial(self, user: Any) -> dict[str, Any]:
        return {"on": user_today(user)}

    def build(self, user: Any, form: Any) -> Result:
        data = form.cleaned_data
        found = debts_ageing(user, on=data["on"], authors=Scope.of(user).authors(data.get("users") or ()))
        labels = age_labels()
        columns = [Column("client", _("Client"), TEXT, width=32),
                   Column("invoices", _("Invoices"), INTEGER, total=True),
                   *(Column(key, label, MONEY_KIND, total=True) for (key, _f, _l), label in zip(AGES, labels,
                                                                                               strict=True)),
                   Column("total", _("Total due"), MONEY_KIND, total=True)]
        card = IdLink("clients:card")
        sections = [
            Section(manager or "—", [Row([debt.client, debt.invoices, *debt.ages, debt.total],
                                         href=card(debt.client_id)) for debt in debts])
            for (_pk, manager), debts in groupby(found, key=lambda d: (d.author_id, d.author))
        ]
        charts = []
        if found:
            ages = [sum((debt.ages[index] for debt in found), Decimal(0)) for index in range(len(AGES))]
            charts.append(Chart("bar", _("Debts by age, rubles"), [Series(_("Debt"), [_rubles(a) for a in ages])],
                                labels=labels))
            charts.append(_by_manager_chart(found, labels))
        notes = [_("The debt is what is due now on the open invoices dated up to the date; its age is the days from "
                   "the invoice's due date (without one: its date) to the date of the report.")]
        if not found:
            notes.insert(0, _("Nobody owes anything on these invoices."))
        return self.result(user, form, columns=columns, sections=sections, charts=charts, notes=notes)


def age_labels() -> list[str]:
    return [_("Not overdue"), _("1–30 days"), _("31–60 days"), _("61–90 days"), _("Over 90 days")]


def _by_manager_chart(found: Iterable[Any], labels: list[str]) -> Chart:
    per: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(AGES))
    for debt in found:
        for index, amount in enumerate(debt.ages):
            per[debt.author][index] += amount
    shown = sorted(per.items(), key=lambda pair: -sum(pair[1]))[:BARS]
    return Chart("stacked_bar", _("Debts of each manager by age, rubles"),
                 [Series(label, [_rubles(amounts[index]) for _name, amounts in shown])
                  for index, label in enumerate(labels)], labels=[name for name, _amounts in shown])


class SalesAndWorks(Report):
    """«Продажи и работы»: per responsible manager, the sales of the period by goods group (how many, the quantity,
    the amount) and the works by type (how many — their output —, the norm-hours, the amount)."""

    slug = "sales-works"
    title = gettext_lazy("Sales and works")
    group = SALES_GROUP
    order = 10
    form_class = SalesWorksForm

    def available(self, user: Any) -> bool:
        """Gone with both functionality blocks, «Продажи» and «Работы» (Settings → Functionality)."""
        system = system_settings()
        return block_enabled(system, "sales") or block_enabled(system, "works")

    def build(self, user: Any, form: Any) -> Result:
        data = form.cleaned_data
        authors = Scope.of(user).authors(data.get("users") or ())
        period = {"start": data["date_from"], "end": data["date_to"], "authors": authors}
        show = data.get("show")
        group = data.get("goods_group")
        sales = [] if show == WORKS else sales_by_group(user, **period, goods_group=group.pk if group else None)
        works = [] if show == SALES else works_by_type(user, **period)
        columns = [Column("what", _("Goods group / type of work"), TEXT, width=32),
                   Column("count", _("Number"), INTEGER, total=True),
                   Column("quantity", _("Quantity of goods"), DECIMAL),
                   Column("hours", _("Norm-hours"), DECIMAL, total=True),
                   Column("amount", _("Amount"), MONEY_KIND, total=True)]
        sections = [
            Section(_("Sales: %(manager)s") % {"manager": manager or "—"},
                    [[line.group or _("(no group)"), line.count, line.quantity, None, line.amount] for line in lines])
            for (_pk, manager), lines in groupby(sales, key=lambda line: (line.manager_id, line.manager))
        ] + [
            Section(_("Works: %(manager)s") % {"manager": manager or "—"},
                    [[line.work_type, line.count, None, line.norm_hours, line.amount] for line in lines])
            for (_pk, manager), lines in groupby(works, key=lambda line: (line.manager_id, line.manager))
        ]
        charts = []
        if sales or works:
            per: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
            for sale in sales:
                per[sale.manager][0] += sale.amount
            for work in works:
                per[work.manager][1] += work.amount
            shown = sorted(per.items(), key=lambda pair: -sum(pair[1]))[:BARS]
            charts.append(Chart("stacked_bar", _("Sales and works of each manager, rubles"), [
                Series(_("Sales"), [_rubles(amounts[0]) for _name, amounts in shown]),
                Series(_("Works"), [_rubles(amounts[1]) for _name, amounts in shown])],
                labels=[name for name, _amounts in shown]))
        notes = [_("A manager's sales and works are those he is responsible for. The output of works is their "
                   "number (each work's own output is free text); the quantity of goods is not totalled across "
                   "groups, whose units differ.")]
        if not (sales or works):
            notes.insert(0, _("No sales or works in this period."))
        return self.result(user, form, columns=columns, sections=sections, charts=charts, notes=notes)


REPORTS = [InvoiceTurnover(), Debts(), SalesAndWorks()]
