"""Directories → Populated places → Import from OKTMO: the administrator's upload and the job's progress."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kontora.accounts.policies import user_of
from kontora.core.permissions import admin_required
from kontora.core.selectors import jobs as core_selectors
from kontora.core.services import jobs as job_services
from kontora.core.text import id_param
from kontora.directories.forms.settlements import SettlementImportForm
from kontora.directories.services import oktmo as services


@admin_required
@require_http_methods(["GET", "POST"])
def settlements_import(request: HttpRequest) -> HttpResponse:
    form = SettlementImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            started = services.settlements_import_start(acting_user=user_of(request), upload=upload,
                                                        filename=upload.name)
        except ValidationError as exc:
            form.apply_error(ValidationError({"file": exc.messages}))
        else:
            return redirect(f"{reverse('directories:settlements_import')}?job={started.pk}")
    job_pk = id_param(request.GET.get("job", ""))
    job = core_selectors.access_job(request.user, job_pk) if job_pk else None
    return render(request, "directories/settlements_import.html", {
        "form": form, "job": job, "job_can_cancel": bool(job and job_services.job_cancellable(job)),
        "list_url": reverse("directories:list", args=["settlements"]),
    }, status=400 if request.method == "POST" else 200)
