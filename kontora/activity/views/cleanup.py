"""Администрирование → Обслуживание базы (TSK-10): how many closed tasks an age would delete, then the deletion as
a background job with progress (the job's page); and the nightly clean-up switched on or off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from kontora.accounts.policies import user_of
from kontora.activity.forms.cleanup import CleanupForm, CleanupScheduleForm
from kontora.activity.selectors.cleanup import cleanup_cutoff, closed_tasks_before, nightly_months
from kontora.activity.services import cleanup as services
from kontora.core.permissions import admin_required

SCHEDULE = "schedule"


@admin_required
@require_http_methods(["GET", "POST"])
def cleanup(request: HttpRequest) -> HttpResponse:
    """GET with `months` counts what would go; POST (the confirmed count) starts the job and shows its progress;
    POST with `action=schedule` saves the nightly clean-up."""
    user = user_of(request)
    form = CleanupForm(request.GET if "months" in request.GET else None)
    months = nightly_months()
    schedule = CleanupScheduleForm(initial={"nightly": bool(months), "nightly_months": months or 12})
    if request.method == "POST" and request.POST.get("action") == SCHEDULE:
        schedule = CleanupScheduleForm(request.POST)
        if schedule.is_valid():
            try:
                services.cleanup_schedule_save(acting_user=user, months=schedule.months())
            except ValidationError as exc:
                schedule.apply_error(ValidationError({"nightly_months": exc.messages}))
            else:
                messages.success(request, gettext("The nightly clean-up is saved."))
                return redirect("activity:cleanup")
    elif request.method == "POST":
        form = CleanupForm(request.POST)
        if form.is_valid():
            try:
                job = services.tasks_cleanup_start(acting_user=user, months=form.cleaned_data["months"])
            except ValidationError as exc:
                form.apply_error(exc)
            else:
                return redirect("core:job", job_id=job.pk)
    count, cutoff = None, None
    if form.is_bound and form.is_valid():
        cutoff = cleanup_cutoff(form.cleaned_data["months"])
        count = closed_tasks_before(cutoff).count()
    return render(request, "activity/cleanup.html", {
        "form": form, "count": count, "cutoff": cutoff, "schedule": schedule, "schedule_action": SCHEDULE,
    }, status=400 if request.method == "POST" else 200)
