"""The card's "Security" tab (CLI-10) and the signed economic-security conclusion (ACL-04).

Shown only when Settings → Functionality keeps the tab on; when it is off every URL here answers 404.
The pane sits inside the card's main form: its inputs are detached from it and its forms prefixed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kontora.accounts.policies import user_of
from kontora.clients import policies
from kontora.clients.forms.security import DETACHED, ConclusionForm, SecurityInfoForm
from kontora.clients.models import Client
from kontora.clients.selectors import security as selectors
from kontora.clients.services import security as services
from kontora.core.selectors.settings import system_settings


def tab_enabled() -> bool:
    return bool(system_settings().security_tab_enabled)


def _client(request: HttpRequest, client_id: int) -> Client:
    if not tab_enabled():
        raise Http404
    return policies.clients.get(request.user, client_id)


def _panel(
    request: HttpRequest, client: Client, *, info_form: SecurityInfoForm | None = None,
    conclusion_form: ConclusionForm | None = None, message: str = "",
) -> HttpResponse:
    row = selectors.security_of(client)
    can_edit = policies.securities.can(request.user, "change", client)
    may_sign = selectors.may_sign(user_of(request))
    if info_form is None:
        info_form = SecurityInfoForm(prefix="si", initial={name: getattr(row, name) for name in services.INFO_FIELDS})
    if not can_edit:
        info_form.read_only()
    if may_sign and conclusion_form is None:
        conclusion_form = ConclusionForm(prefix="sc", initial={
            "conclusion": row.conclusion, "work_mode": row.work_mode,
            "credit_limit": "" if row.credit_limit is None else formats.localize_input(row.credit_limit),
        })
    context = {
        "client": client, "row": row, "can_edit": can_edit, "may_sign": may_sign,
        "info_form": info_form, "conclusion_form": conclusion_form if may_sign else None,
        "inspector": selectors.inspector_name(row.inspector), "message": message, "detached": DETACHED,
    }
    # Errors come back with 200: htmx swaps only successful answers, and they belong next to the field.
    return render(request, "clients/partials/tab_security.html", context)


@login_required
@require_GET
def security_panel(request: HttpRequest, client_id: int) -> HttpResponse:
    return _panel(request, _client(request, client_id))


@login_required
@require_POST
def security_save(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    if not policies.securities.can(request.user, "change", client):
        raise PermissionDenied
    form = SecurityInfoForm(request.POST, prefix="si")
    if form.is_valid():
        try:
            services.security_update(acting_user=user_of(request), client=client, values=form.cleaned_data)
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _panel(request, client, message=gettext("Security data saved."))
    return _panel(request, client, info_form=form)


@login_required
@require_POST
def security_sign(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    if not selectors.may_sign(user_of(request)):
        raise PermissionDenied
    form = ConclusionForm(request.POST, prefix="sc")
    if form.is_valid():
        try:
            services.security_sign(
                acting_user=user_of(request), client=client, password=form.cleaned_data["password"],
                values=form.cleaned_data,
            )
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _panel(request, client, message=gettext("The conclusion is signed."))
    return _panel(request, client, conclusion_form=form)
