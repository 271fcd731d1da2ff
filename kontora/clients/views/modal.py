"""The card's modal forms (contacts, bank accounts, changes in legal documents): one way to show, save and answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from kontora.clients.models import Client
from kontora.core.forms import KontoraForm
from kontora.core.htmx import is_htmx


def modal_form(
    request: HttpRequest, client: Client, item: Model | None, *, form: KontoraForm, save: Callable[[], object],
    changed: Callable[[], HttpResponse], url_names: tuple[str, str], template: str, item_name: str,
    page_template: str | None = None,
) -> HttpResponse:
    """The modal that adds (`item` None) or edits a row of the card's list: on a valid POST `save()` runs the
    service — its errors go next to the fields — and `changed()` answers with the list; otherwise the form, posting
    to `url_names` (new, edit). Without htmx a `page_template` shows the form as a page of its own."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return changed()
    new_url, edit_url = url_names
    action = reverse(edit_url, args=[client.pk, item.pk]) if item else reverse(new_url, args=[client.pk])
    context = {"form": form, "client": client, item_name: item, "action": action}
    if page_template and not is_htmx(request):
        return render(request, page_template, context)
    return render(request, template, context)


def list_changed(
    request: HttpRequest, client: Client, *, tab: str, target: str, template: str, context: dict[str, Any],
) -> HttpResponse:
    """The list the modal edits, re-rendered into `target` of the card, and the modal closed; without htmx,
    back to the card's `tab`."""
    if not is_htmx(request):
        return redirect(reverse("clients:card", args=[client.pk]) + f"#tab-{tab}")
    response = render(request, template, context)
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "innerHTML"
    response["HX-Trigger"] = "kontora-modal-close"
    return response
