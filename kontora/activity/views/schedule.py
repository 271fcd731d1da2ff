"""The day plan's print (PLN-02): a printable page of a user's tasks of one day, and the same as a PDF through the
print module (`core.printing`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kontora.accounts.policies import user_of
from kontora.activity.forms.schedule import PDF, DayPrintForm
from kontora.activity.selectors import planner
from kontora.core import printing
from kontora.core.selectors.calendar import user_today, user_zone

TEMPLATE = "activity/day_print.html"


@login_required
@require_GET
def day_print(request: HttpRequest) -> HttpResponse:
    viewer = user_of(request)
    form = DayPrintForm(request.GET)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    # The day planner's rules and query: another's plan to a holder of the right to all journals, else his own.
    owner = planner.plan_user(viewer, data.get("user"))
    day = data.get("date") or user_today(viewer)
    tasks = [line.task for line in planner.day_tasks(viewer, owner, day)] if valid else []
    title = _("Day plan: %(user)s, %(date)s") % {"user": owner, "date": day.strftime("%d.%m.%Y")}
    context = {"owner": owner, "day": day, "tasks": tasks, "day_iso": day.isoformat(), "zone": user_zone(viewer),
               "form": form,
               "pdf_query": f"user={owner.pk}&date={day.isoformat()}&format={PDF}"}
    if valid and data.get("format") == PDF:
        return printing.pdf_response(TEMPLATE, context, filename=f"day-plan-{day.isoformat()}.pdf", title=title,
                                     request=request)
    return render(request, TEMPLATE, printing.html_context(context, title=title), status=200 if valid else 400)
