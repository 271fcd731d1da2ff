"""Отчёты → События (HIS-03): the parameters form and the report under it, 50 events at a time ("show more")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from kontora.accounts.policies import user_of
from kontora.activity import policies
from kontora.activity.forms.events_report import EventsReportForm
from kontora.activity.selectors import events_report as selectors
from kontora.core.htmx import is_htmx
from kontora.core.selectors.calendar import user_today, user_zone
from kontora.core.ui.pager import AFTER

PAGE = 50
RUN = "run"  # the "Generate the report" button's name: the query string then carries a choice to run


def _parameters(form: EventsReportForm) -> selectors.Parameters:
    data = form.cleaned_data
    return selectors.Parameters(
        date_from=data.get("date_from"), date_to=data.get("date_to"),
        event_type_id=data["event_type"].pk if data.get("event_type") else None,
        client_id=data["client"].pk if data.get("client") else None,
        status_id=data["status"].pk if data.get("status") else None,
        result_id=data["result"].pk if data.get("result") else None,
        author_ids=tuple(user.pk for user in data.get("authors") or ()),
        words=data.get("words") or "",
    )


@login_required
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    asked = RUN in request.GET
    if asked:
        form = EventsReportForm(request.GET, user=user)
    else:
        today = user_today(user)
        form = EventsReportForm(initial={"date_from": today.replace(day=1), "date_to": today}, user=user)
    context: dict[str, Any] = {"form": form, "asked": asked, "zone": user_zone(user),
                               "sees_all": policies.sees_all_employees(user)}
    if asked and form.is_valid():
        found = selectors.report(user, _parameters(form), cursor=request.GET, size=PAGE)
        base = reverse("activity:events_report")
        query = {name: value for name, value in request.GET.lists() if name not in (AFTER, "before")}
        # The next page keeps the parameters as they came (several users: the same name repeated).
        next_url = f"{base}?{urlencode({**query, AFTER: found.page.after}, doseq=True)}" if found.page.after else ""
        context.update({"report": found, "rows": found.page.rows, "next_url": next_url,
                        "cap": number_format(selectors.CAP, force_grouping=True)})
        if is_htmx(request) and request.GET.get(AFTER):
            return render(request, "activity/partials/events_report_rows.html", context)
    return render(request, "activity/events_report.html", context)
