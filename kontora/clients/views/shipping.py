"""The card's "Shipping requisites" tab (CLI-11): a part of the card's form (saved by its OK / Apply).

Shown only when Settings → Functionality keeps the tab on; when it is off every URL here answers 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kontora.accounts.policies import user_of
from kontora.clients import policies
from kontora.clients.forms.shipping import PREFIX, ShippingForm
from kontora.clients.selectors import shipping as selectors
from kontora.core.selectors.settings import system_settings


@login_required
@require_POST
def shipping_from_card(request: HttpRequest, client_id: int) -> HttpResponse:
    """"Consignee = this client": the pane again with the consignee filled in from the card and the rest as typed
    (and as read: the snapshot rides along); saved with the card's OK / Apply."""
    if not system_settings().shipping_tab_enabled:
        raise Http404
    client = policies.clients.get(request.user, client_id)
    if not policies.shippings.can(request.user, "change", client):
        raise PermissionDenied
    data = request.POST.copy()
    for name, value in selectors.consignee_from_card(client).items():
        data[f"{PREFIX}-{name}"] = value
    form = ShippingForm(data, client=client, user=user_of(request))
    return render(request, "clients/partials/tab_shipping.html", {
        "client": client, "form": form, "can_edit": True,
        "message": gettext("The consignee is filled in from the card. Press “OK” or “Apply” to keep it."),
    })
