"""The card's "Security" tab (CLI-10) and the signed economic-security conclusion (ACL-04).

Shown only when Settings → Functionality keeps the tab on; when it is off every URL here answers 404.
The pane sits inside the card's main form: its inputs are detached from it and its forms prefixed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kontora.clients import access
from kontora.clients.models import Client, ClientSecurity
from kontora.clients.tabs import security
from kontora.core.forms.base import KontoraForm
from kontora.core.selectors.settings import system_settings

DETACHED = "k-security-detached"


def tab_enabled() -> bool:
    return bool(system_settings().security_tab_enabled)


def _label(name: str) -> Any:
    return capfirst(ClientSecurity._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


class _DetachedForm(KontoraForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["form"] = DETACHED

    def read_only(self) -> _DetachedForm:
        for field in self.fields.values():
            field.disabled = True
        return self


def _text(name: str) -> forms.CharField:
    return forms.CharField(required=False, label=_label(name), widget=forms.Textarea(attrs={"rows": 3}))


class SecurityInfoForm(_DetachedForm):
    finances = _text("finances")
    property = _text("property")
    reputation = _text("reputation")
    connections = _text("connections")


class ConclusionForm(_DetachedForm):
    conclusion = forms.CharField(required=False, label=_label("conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    # Text, so "150 000,50" reaches the service, which owns the check and its message.
    credit_limit = forms.CharField(required=False, max_length=40, label=_label("credit_limit"))
    work_mode = forms.ChoiceField(
        required=False, label=_label("work_mode"),
        choices=[("", "—"), *ClientSecurity.WorkMode.choices],
    )
    password = forms.CharField(
        required=False, strip=False, label=gettext_lazy("Your password (signature)"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("The date and you as the inspector are fixed when the conclusion is signed."),
    )


def _client(request: HttpRequest, client_id: int) -> Client:
    if not tab_enabled():
        raise Http404
    return access.access_client(request.user, client_id)


def _panel(
    request: HttpRequest, client: Client, *, info_form: SecurityInfoForm | None = None,
    conclusion_form: ConclusionForm | None = None, message: str = "",
) -> HttpResponse:
    row = security.security_of(client)
    can_edit = access.can_edit(request.user, client)
    may_sign = security.may_sign(request.user)
    if info_form is None:
        info_form = SecurityInfoForm(prefix="si", initial={name: getattr(row, name) for name in security.INFO_FIELDS})
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
        "inspector": security.inspector_name(row.inspector), "message": message, "detached": DETACHED,
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
    if not access.can_edit(request.user, client):
        raise PermissionDenied
    form = SecurityInfoForm(request.POST, prefix="si")
    if form.is_valid():
        try:
            security.security_update(acting_user=request.user, client=client, values=form.cleaned_data)
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _panel(request, client, message=gettext("Security data saved."))
    return _panel(request, client, info_form=form)


@login_required
@require_POST
def security_sign(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    if not security.may_sign(request.user):
        raise PermissionDenied
    form = ConclusionForm(request.POST, prefix="sc")
    if form.is_valid():
        try:
            security.security_sign(
                acting_user=request.user, client=client, password=form.cleaned_data["password"],
                values=form.cleaned_data,
            )
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _panel(request, client, message=gettext("The conclusion is signed."))
    return _panel(request, client, conclusion_form=form)
