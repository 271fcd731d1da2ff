"""Directories → Banks: the list searched by BIK or name, the administrator's ED807 upload, the bank by BIK."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kontora.accounts.policies import user_of
from kontora.accounts.selectors import setup_required
from kontora.core.htmx import htmx_target
from kontora.core.permissions import admin_required, is_administrator, wizard_open
from kontora.core.selectors import jobs as core_selectors
from kontora.core.services import jobs as job_services
from kontora.core.text import id_param
from kontora.core.ui.pager import AFTER
from kontora.directories.forms.banks import BankImportForm
from kontora.directories.selectors import banks as selectors
from kontora.directories.services import banks as services

PAGE_SIZE = 100


def _page(request: HttpRequest, form: BankImportForm, status: int = 200) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = selectors.bank_page(query, cursor=request.GET, size=PAGE_SIZE)
    job_id = request.GET.get("job", "")
    job_pk = id_param(job_id)
    job = core_selectors.access_job(request.user, job_pk) if job_pk else None
    context: dict[str, Any] = {
        "banks": [{"bank": bank, "status": selectors.STATUS_LABELS.get(bank.status, bank.status)}
                  for bank in page.rows],
        "query": query,
        "next_url": page.link(reverse("directories:banks"), AFTER, q=query),
        "can_import": is_administrator(request.user),
        "form": form,
        "job": job,
        "job_can_cancel": bool(job and job_services.job_cancellable(job)),
        "directory": selectors.bank_directory_state(),
        "stale_after": selectors.STALE_AFTER_DAYS,
    }
    if htmx_target(request) == "bank-rows":
        return render(request, "directories/partials/bank_rows.html", context)
    return render(request, "directories/banks.html", context, status=status)


@login_required
@require_GET
def bank_list(request: HttpRequest) -> HttpResponse:
    return _page(request, BankImportForm())


@admin_required
@require_POST
def bank_import(request: HttpRequest) -> HttpResponse:
    form = BankImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.banks_import_start(acting_user=user_of(request), upload=upload, filename=upload.name)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.apply_error(ValidationError({"file": exc.messages}))
        else:
            return redirect(f"{reverse('directories:banks')}?job={job.pk}")
    return _page(request, form, status=400)


@wizard_open
@require_GET
def bank_lookup(request: HttpRequest) -> HttpResponse:
    """The bank of a BIK for bank account forms: its name, city and correspondent account, or {"found": false}.

    `note` is the line shown under the fields: the bank and its city, or why nothing was filled in. The first-run
    wizard asks before any user exists (`wizard_open`); after that, only a signed-in user. The banks are public
    reference data (the Bank of Russia's directory), so the wizard's guest learns nothing private.
    """
    if not request.user.is_authenticated and not setup_required():
        return redirect_to_login(request.get_full_path())
    bank = selectors.bank_by_bik(request.GET.get("bik", ""))
    if bank is None:
        if selectors.banks_loaded():
            note = gettext("No bank with this BIK in the BIK directory.")
        else:
            note = gettext("The BIK directory is not loaded yet: enter the bank and its correspondent account by hand.")
        return JsonResponse({"found": False, "note": note})
    note = ", ".join(part for part in (bank.name, bank.city) if part)
    return JsonResponse({"found": True, "bik": bank.bik, "name": bank.name, "corr_account": bank.corr_account,
                         "city": bank.city, "note": note})
