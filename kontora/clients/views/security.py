"""The card's "Security" tab (CLI-10): the security service's texts are a part of the card's form (saved by its
OK / Apply); the economic-security conclusion (ACL-04) is signed in a modal with the inspector's own password.

Shown only when Settings → Functionality keeps the tab on; when it is off every URL here answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from kontora.accounts.policies import user_of
from kontora.clients import policies
from kontora.clients.forms.security import ConclusionForm
from kontora.clients.models import Client
from kontora.clients.selectors import security as selectors
from kontora.clients.services import security as services
from kontora.core.selectors.settings import system_settings
from kontora.core.ui.submit import modal, refresh, submit


def security_context(user: Any, client: Client | None) -> dict[str, Any]:
    """The pane's conclusion: as signed, by whom, and whether this user may sign one."""
    row = selectors.security_of(client) if client is not None else None
    return {"row": row, "inspector": selectors.inspector_name(row.inspector) if row else "",
            "may_sign": policies.securities.can(user, "sign", client) if client is not None else False}


@login_required
@require_http_methods(["GET", "POST"])
def security_sign(request: HttpRequest, client_id: int) -> HttpResponse:
    if not system_settings().security_tab_enabled:
        raise Http404
    client = policies.clients.get(request.user, client_id)
    user = user_of(request)
    if not policies.securities.can(user, "sign", client):
        raise PermissionDenied
    row = selectors.security_of(client)
    form = ConclusionForm(request.POST or None, initial={
        "conclusion": row.conclusion, "work_mode": row.work_mode,
        "credit_limit": "" if row.credit_limit is None else formats.localize_input(row.credit_limit),
    })
    context = {"form": form, "client": client, "action": reverse("clients:security_sign", args=[client.pk])}

    def signed(signed_row: Any) -> HttpResponse:
        # The row the service wrote (the one read above, cached on the client, is the unsigned one).
        return refresh(request, "clients/partials/tab_security_conclusion.html", {
            "client": client, "row": signed_row, "inspector": selectors.inspector_name(signed_row.inspector),
            "may_sign": True, "message": gettext("The conclusion is signed.")}, target="#client-security-conclusion",
            fallback=reverse("clients:card", args=[client.pk]) + "#tab-security")

    return submit(
        request, form, lambda: services.security_sign(
            acting_user=user, client=client, password=form.cleaned_data["password"], values=form.cleaned_data),
        done=signed, page=lambda: modal(request, "clients/partials/tab_security_sign.html", context,
                                        page="core/ui/modal_page.html"),
    )
