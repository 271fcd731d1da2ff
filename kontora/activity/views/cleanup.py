"""Администрирование → Обслуживание базы (TSK-10): how many closed tasks an age would delete, then the deletion as
a background job with progress (the job's page)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kontora.accounts.policies import user_of
from kontora.activity.forms.cleanup import CleanupForm
from kontora.activity.selectors.cleanup import cleanup_cutoff, closed_tasks_before
from kontora.activity.services import cleanup as services
from kontora.core.permissions import admin_required


@admin_required
@require_http_methods(["GET", "POST"])
def cleanup(request: HttpRequest) -> HttpResponse:
    """GET with `months` counts what would go; POST (the confirmed count) starts the job and shows its progress."""
    if request.method == "POST":
        form = CleanupForm(request.POST)
        if form.is_valid():
            try:
                job = services.tasks_cleanup_start(acting_user=user_of(request), months=form.cleaned_data["months"])
            except ValidationError as exc:
                form.apply_error(exc)
            else:
                return redirect("core:job", job_id=job.pk)
    else:
        form = CleanupForm(request.GET if "months" in request.GET else None)
    count, cutoff = None, None
    if form.is_bound and form.is_valid():
        cutoff = cleanup_cutoff(form.cleaned_data["months"])
        count = closed_tasks_before(cutoff).count()
    return render(request, "activity/cleanup.html", {"form": form, "count": count, "cutoff": cutoff},
                  status=400 if request.method == "POST" else 200)
