"""Extended search, Shift+F (REG-08): the form lives in the registry; these views answer it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kontora.clients.selectors import search
from kontora.clients.views.registry import rows_context
from kontora.core import budget
from kontora.core.text import id_param

FRAGMENT_MAX = 200  # longer than any name or phone of a client (their columns hold 500 at most)


@login_required
@require_GET
@budget.heavy
def search_find(request: HttpRequest) -> HttpResponse:
    """"Start" (no `after`) finds the first match; "Next >>" (`after` = the current match) the following one."""
    name = request.GET.get("name", "").strip()
    phone = request.GET.get("phone", "").strip()
    after = id_param(request.GET.get("after", ""))
    key, phone_digits = search.search_terms(name=name, phone=phone)
    context: dict[str, object] = {"name": name, "phone": phone}
    if not key and not phone_digits:
        context["error"] = _("Type a fragment of the name or of a phone number.")
        return render(request, "clients/search_result.html", context)
    if len(name) > FRAGMENT_MAX or len(phone) > FRAGMENT_MAX:  # 1 MB was "LIKE pattern too complex" on SQLite
        context["error"] = _("The fragment is too long: at most %(limit)s characters.") % {"limit": FRAGMENT_MAX}
        return render(request, "clients/search_result.html", context)
    try:
        with budget.guarded():
            found = search.search_next(fetched_by=request.user, name=name, phone=phone, after=after)
    except budget.Overrun as exc:
        context["error"] = exc.message  # in the search window, where the fragment was typed
        return render(request, "clients/search_result.html", context)
    context.update({
        "found": found,
        "continued": after is not None,
        "jump_url": f"{reverse('clients:search_jump')}?id={found.pk}" if found else "",
        "card_url": reverse("clients:card", args=[found.pk]) if found else "",
    })
    return render(request, "clients/search_result.html", context)


@login_required
@require_GET
@budget.heavy
def search_jump(request: HttpRequest) -> HttpResponse:
    """The registry's rows in name order from the found client on, the cursor on it."""
    client_id = id_param(request.GET.get("id", ""))
    if client_id is None:
        return HttpResponseBadRequest()
    page = search.registry_from(fetched_by=request.user, client_id=client_id)
    context = rows_context(request, page)
    context["focus_first"] = bool(page.rows) and page.rows[0].pk == client_id
    return render(request, "clients/partials/registry_rows.html", context)
