"""The card's modal forms (contacts, bank accounts, changes in legal documents) answer alike once they saved."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from kontora.clients.models import Client


def list_changed(
    request: HttpRequest, client: Client, *, tab: str, target: str, template: str, context: dict[str, Any],
) -> HttpResponse:
    """The list the modal edits, re-rendered into `target` of the card, and the modal closed; without htmx,
    back to the card's `tab`."""
    if not request.headers.get("HX-Request"):
        return redirect(reverse("clients:card", args=[client.pk]) + f"#tab-{tab}")
    response = render(request, template, context)
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "innerHTML"
    response["HX-Trigger"] = "kontora-modal-close"
    return response
