"""Administration pages over client access: change curator/specialist (ACL-05) and "why does this user see
this client?" (ACL-06)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from kontora.accounts.models import User
from kontora.accounts.policies import user_of
from kontora.clients import access
from kontora.clients.forms.admin import ChangeCuratorForm, ExplainForm
from kontora.clients.models import Client
from kontora.clients.selectors import admin as selectors
from kontora.clients.services import admin as services_admin
from kontora.core.permissions import admin_required
from kontora.core.text import id_param


def _followups(request: HttpRequest) -> list[User]:
    """Old users named in the redirect after a move: the page offers to disable their accounts."""
    return selectors.users_by_ids([pk for pk in map(id_param, request.GET.getlist("moved")) if pk])


@admin_required
@require_http_methods(["GET", "POST"])
def change_curator(request: HttpRequest) -> HttpResponse:
    form = ChangeCuratorForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "confirm" in request.POST:
            try:
                result = services_admin.clients_change_curator(acting_user=user_of(request), **data)
            except ValidationError as exc:
                form.apply_error(exc)
            else:
                messages.success(request, gettext(
                    "Clients handed over: curator changed on %(curators)d, specialist changed on %(specialists)d."
                ) % {"curators": result.curator_clients, "specialists": result.specialist_clients})
                for text in kept_private_texts(result, data["old_curator"]):
                    messages.warning(request, text)
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
                    acting_user=user_of(request), old_curator=data["old_curator"], new_curator=data["new_curator"],
                    old_specialist=data["old_specialist"],
                )
    followups = [
        {"user": user, "url": reverse("accounts:user_edit", args=[user.pk])}
        for user in (_followups(request) if request.method == "GET" else [])
    ]
    context = {"title": gettext("Change curator/specialist"), "form": form, "preview": preview, "followups": followups,
               "kept_private": kept_private_texts(preview, form.cleaned_data.get("old_curator")) if preview else []}
    return render(request, "clients/admin_change_curator.html", context)


def kept_private_texts(change: selectors.CuratorChange, old_curator: User | None) -> list[str]:
    """What happens to the private clients a hand-over leaves alone, and why (F1): the preview and the result."""
    texts = []
    if change.private_kept and old_curator is not None:
        values = {"count": change.private_kept, "old": old_curator.full_name}
        if change.private_kept_reason == selectors.KEPT_RECEIVER:
            texts.append(gettext(
                "Private clients of curator %(old)s (%(count)d) stay with their curator: an administrator never "
                "becomes the curator of someone else's private clients. Hand them to another working user."
            ) % values)
        else:
            texts.append(gettext(
                "Private clients of curator %(old)s (%(count)d) stay with their curator: the private clients of a "
                "working user never move by an administrator's action. Once the employee is marked dismissed, they "
                "can be handed to another working user."
            ) % values)
    if change.specialist_private_kept:
        texts.append(gettext(
            "Private clients of working curators (%(count)d) keep their specialist: an administrator does not change "
            "the private clients of a working user."
        ) % {"count": change.specialist_private_kept})
    return texts


@admin_required
@require_GET
def explain_access(request: HttpRequest) -> HttpResponse:
    form = ExplainForm(request.GET if request.GET else None)
    client: Client | None = None
    reasons: list[str] = []
    if form.is_bound and form.is_valid():
        client = selectors.client_to_explain(fetched_by=user_of(request), code=form.cleaned_data["code"])
        if client is None:
            form.add_error("code", gettext("There is no client with this code available to you."))
        else:
            reasons = access.explain(form.cleaned_data["user"], client)
    context = {"title": gettext("Why does a user see a client"), "form": form, "client": client, "reasons": reasons,
               "explained_user": form.cleaned_data.get("user")
               if form.is_bound and client is not None else None}
    return render(request, "clients/admin_explain.html", context)
