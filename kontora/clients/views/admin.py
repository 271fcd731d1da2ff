"""Administration pages over client access: change curator/specialist (ACL-05) and "why does this user see
this client?" (ACL-06)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from kontora.accounts.models import User
from kontora.clients import access
from kontora.clients.models import Client
from kontora.clients.selectors import admin as selectors
from kontora.clients.services import admin as services_admin
from kontora.core.forms import KontoraForm
from kontora.core.permissions import admin_required


def _users() -> QuerySet[User]:
    return User.objects.order_by("full_name", "id")


def _working_users() -> QuerySet[User]:
    return _users().filter(disabled=False, dismissed=False)


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        state = []
        if obj.dismissed:
            state.append(gettext("dismissed"))
        elif obj.disabled:
            state.append(gettext("disabled"))
        suffix = f" ({', '.join(state)})" if state else ""
        return f"{obj.full_name} · {obj.login}{suffix}"


class ChangeCuratorForm(KontoraForm):
    old_curator = UserChoiceField(queryset=_users(), required=False, label=_("Old curator"))
    new_curator = UserChoiceField(queryset=_working_users(), required=False, label=_("New curator"))
    old_specialist = UserChoiceField(queryset=_users(), required=False, label=_("Old specialist"))
    new_specialist = UserChoiceField(queryset=_working_users(), required=False, label=_("New specialist"))


def _followups(request: HttpRequest) -> list[User]:
    """Old users named in the redirect after a move: the page offers to disable their accounts."""
    ids = [int(v) for v in request.GET.getlist("moved") if v.isdigit()]
    return list(_users().filter(pk__in=ids))


@admin_required
@require_http_methods(["GET", "POST"])
def change_curator(request: HttpRequest) -> HttpResponse:
    form = ChangeCuratorForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "confirm" in request.POST:
            try:
                result = services_admin.clients_change_curator(acting_user=request.user, **data)
            except ValidationError as exc:
                form.apply_error(exc)
            else:
                messages.success(request, gettext(
                    "Clients handed over: curator changed on %(curators)d, specialist changed on %(specialists)d."
                ) % {"curators": result.curator_clients, "specialists": result.specialist_clients})
                moved = [u.pk for u in (data["old_curator"], data["old_specialist"]) if u is not None]
                query = urlencode([("moved", pk) for pk in dict.fromkeys(moved)])
                return HttpResponseRedirect(f"{reverse('clients:admin_change_curator')}?{query}")
        else:
            try:
                services_admin.validate_change(**data)
            except ValidationError as exc:
                form.apply_error(exc)
            else:
                preview = selectors.clients_change_curator_preview(
                    old_curator=data["old_curator"], old_specialist=data["old_specialist"]
                )
    followups = [
        {"user": user, "url": reverse("accounts:user_edit", args=[user.pk])}
        for user in (_followups(request) if request.method == "GET" else [])
    ]
    context = {"form": form, "preview": preview, "followups": followups}
    return render(request, "clients/admin_change_curator.html", context)


class ExplainForm(KontoraForm):
    user = UserChoiceField(queryset=_users(), label=_("User"))
    code = forms.IntegerField(label=_("Client code"), min_value=1)


def _explainable_client(admin: Any, code: int) -> Client | None:
    # Others' private clients stay unknown to the administrator here exactly as everywhere else.
    return access.not_private_to_others(admin).filter(code=code).first()


@admin_required
@require_GET
def explain_access(request: HttpRequest) -> HttpResponse:
    form = ExplainForm(request.GET if request.GET else None)
    client = None
    reasons: list[str] = []
    if form.is_bound and form.is_valid():
        client = _explainable_client(request.user, form.cleaned_data["code"])
        if client is None:
            form.add_error("code", gettext("There is no client with this code available to you."))
        else:
            reasons = access.explain(form.cleaned_data["user"], client)
    context = {"form": form, "client": client, "reasons": reasons, "explained_user": form.cleaned_data.get("user")
               if form.is_bound and client is not None else None}
    return render(request, "clients/admin_explain.html", context)
