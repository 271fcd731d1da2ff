"""The card's journals' modal forms (contacts, bank accounts, changes in legal documents): the UI kit's submit, with
the row's URLs and the journal redrawn in the card."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from kontora.clients.models import Client
from kontora.core.forms import KontoraFormMixin
from kontora.core.ui.submit import modal, refresh, submit


def modal_form(
    request: HttpRequest, client: Client, item: Model | None, *, form: KontoraFormMixin, save: Callable[[], object],
    changed: Callable[[], HttpResponse], url_names: tuple[str, str], template: str, item_name: str,
    page_template: str | None = None,
) -> HttpResponse:
    """The modal that adds (`item` None) or edits a row of the card's journal: `save()` runs the service and
    `changed()` answers with the journal; otherwise the form, posting to `url_names` (new, edit). Without htmx a
    `page_template` shows the form as a page of its own."""
    new_url, edit_url = url_names
    action = reverse(edit_url, args=[client.pk, item.pk]) if item else reverse(new_url, args=[client.pk])
    context = {"form": form, "client": client, item_name: item, "action": action}

    def page() -> HttpResponse:
        if page_template:
            return modal(request, template, context, page=page_template)
        return render(request, template, {**context, "in_modal": True})

    return submit(request, form, save, done=lambda _saved: changed(), page=page)


def list_changed(
    request: HttpRequest, client: Client, *, tab: str, target: str, template: str, context: dict[str, Any],
) -> HttpResponse:
    """The journal the modal changed, drawn again into `target` of the card, and the modal closed; without htmx,
    back to the card's `tab`."""
    return refresh(request, template, context, target=target,
                   fallback=reverse("clients:card", args=[client.pk]) + f"#tab-{tab}")
