"""Reports over the sales ladder: the conversion between its stages over a period (LAD-04), with its funnel."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.clients.flexi.selectors.specs import to_q
from kontora.clients.flexi.selectors.templates import template_spec
from kontora.core.charts import Chart, Series
from kontora.core.selectors.calendar import day_bounds
from kontora.pipeline.selectors import conversion
from kontora.reports.forms.pipeline import ConversionForm
from kontora.reports.framework.base import OPERATIONAL, Report, Scope
from kontora.reports.framework.result import INTEGER, PERCENT, TEXT, Column, Result, Section


class LadderConversion(Report):
    slug = "ladder-conversion"
    title = gettext_lazy("Sales ladder conversion")
    group = OPERATIONAL
    order = 60
    form_class = ConversionForm

    def build(self, user: Any, form: Any) -> Result:
        data = form.cleaned_data
        condition: Q | None = form.filter_q()
        if not Scope.of(user).everyone:  # RPT-02: his own clients only
            mine = to_q(template_spec(user, "static:my"), user=user)
            condition = mine if condition is None else condition & mine
        start, end = day_bounds(user, data["date_from"])[0], day_bounds(user, data["date_to"])[1]
        steps = conversion(user, condition, start, end)
        columns = [Column("stage", _("Stage"), TEXT, width=30),
                   Column("reached", _("Reached the stage or a later one"), INTEGER, width=16),
                   Column("onwards", _("Went on to the next stage"), PERCENT, width=14)]
        rows = [[step.stage, step.reached, step.onwards] for step in steps]
        moved = any(step.reached for step in steps)
        notes = [] if moved else [_("No client of these moved on the sales ladder in this period.")]
        if not steps:
            notes = [_("The sales ladder has no stages yet.")]
        charts = [Chart("funnel", _("Funnel of the sales ladder"),
                        [Series(step.stage, [step.reached]) for step in steps])] if moved else []
        clients = str(form.fields["clients"].label)
        result = self.result(user, form, columns=columns, sections=[Section("", rows)], charts=charts, notes=notes)
        # The registry filter the board showed is told as the registry tells it, not as its specification.
        result.parameters = [(label, text) for label, text in result.parameters if label not in ("spec", clients)]
        if data.get("spec") or data.get("clients"):
            result.parameters.append((clients, form.clients_label()))
        return result


REPORTS = [LadderConversion()]
