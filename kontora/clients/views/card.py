"""The client card (CLI-01 … CLI-16): one page with the main requisites on top and the tabs below,
contact persons edited in a modal, and the duplicate check while typing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.clients import policies
from kontora.clients.forms.card import ClientForm, ContactForm
from kontora.clients.models import Client, ContactPerson
from kontora.clients.selectors import card as selectors
from kontora.clients.selectors.duplicates import Duplicate, find_duplicates
from kontora.clients.selectors.history import client_history
from kontora.clients.services import card as services
from kontora.clients.views.modal import list_changed, modal_form


@login_required
@require_http_methods(["GET", "POST"])
def client_new(request: HttpRequest) -> HttpResponse:
    return _card(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def client_card(request: HttpRequest, client_id: int) -> HttpResponse:
    return _card(request, policies.clients.get(request.user, client_id))


def _kind(request: HttpRequest) -> str:
    kind = request.POST.get("kind") or request.GET.get("kind") or Client.Kind.COMPANY
    return kind if kind in Client.Kind.values else Client.Kind.COMPANY


def _duplicates_for(request: HttpRequest, form: ClientForm, client: Client | None) -> list[Duplicate]:
    data = form.cleaned_data
    if client is not None and all(str(data.get(name) or "") == str(getattr(client, name) or "")
                                  for name in ("inn", "short_name", "phone") if name in data):
        return []
    return find_duplicates(
        user=request.user, inn=data.get("inn") or "", short_name=data.get("short_name") or "",
        phones=(data.get("phone") or "",), exclude_pk=client.pk if client else None,
    )


def _card(request: HttpRequest, client: Client | None) -> HttpResponse:
    user = request.user
    rights = policies.card_rights(user, client)
    kind = client.kind if client else _kind(request)
    form = ClientForm(request.POST or None, initial=ClientForm.initial_for(client, user=user, kind=kind),
                      user=user, client=client, rights=rights, kind=kind)
    duplicates: list[Duplicate] = []
    if request.method == "POST":
        if not rights.can_edit:
            raise PermissionDenied
        if form.is_valid():
            duplicates = _duplicates_for(request, form, client)
            if duplicates and not form.cleaned_data["save_anyway"]:
                form.add_error(None, gettext(
                    "Similar clients are already registered (see below). Check them; if this is a different "
                    "client, tick “save anyway” and save again."))
            else:
                try:
                    saved = _save(request, form, client, rights)
                except ValidationError as exc:
                    form.apply_error(exc)
                else:
                    messages.success(request, gettext("Client “%(name)s” saved.") % {"name": saved})
                    if "apply" in request.POST or client is None:
                        return redirect("clients:card", client_id=saved.pk)
                    return redirect("core:home")
    context = {
        "form": form, "client": client, "kind": kind, "rights": rights, "duplicates": duplicates,
        "is_person": kind == Client.Kind.PERSON,
        "title": str(client) if client else gettext("New client"),
        "contacts": client.contacts.all() if client else [],
        "can_edit_contacts": bool(client) and rights.can_edit,
        "grant_rows": _grant_rows(form),
        "history": client_history(fetched_by=user_of(request), client=client) if client else [],
        "plugged_tabs": selectors.card_tabs(user, client),
        "card_actions": selectors.card_actions(user, client),
        "nav_tabs": selectors.card_nav(user, client, _builtin_tabs(form, kind)),
    }
    return render(request, "clients/card.html", context)


def _builtin_tabs(form: ClientForm, kind: str) -> list[dict[str, Any]]:
    """The tabs the card's own form holds (their panes are in card.html), with their places in the strip."""
    company = kind == Client.Kind.COMPANY
    tabs = [
        ("general", gettext("Common"), 10, True),
        ("operational", gettext("Operational work"), 20, True),
        ("personnel", gettext("Personnel"), 30, company),
        ("registration", gettext("Registration data"), 40, company),
        ("attributes", gettext("Attributes"), 45, bool(form.attribute_bound_fields())),
        ("access", gettext("Access"), 55, True),
        ("service", gettext("Service"), 90, True),
    ]
    return [{"code": code, "label": label, "order": order} for code, label, order, shown in tabs if shown]


def _save(request: HttpRequest, form: ClientForm, client: Client | None, rights: policies.CardRights) -> Client:
    data = form.cleaned_data
    is_private = data.get("is_private") if "is_private" in form.fields else None
    grants = form.grants() if rights.can_edit_main else None
    if client is None:
        return services.client_create(
            acting_user=user_of(request), values=form.values(), directions=data["directions"],
            competitors=data["competitors"], grants=grants, is_private=bool(is_private),
            attributes=form.attribute_values(),
        )
    return services.client_update(
        acting_user=user_of(request), client=client, values=form.values(), directions=data["directions"],
        competitors=data["competitors"], grants=grants, is_private=is_private,
        attributes=form.attribute_values(),
    )


def _grant_rows(form: ClientForm) -> list[dict[str, Any]]:
    granted, editing = form["granted"], form["granted_edit"]
    return [{"label": a.choice_label, "access": a, "edit": e} for a, e in zip(granted, editing, strict=True)]


@login_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """The htmx check while typing: likely duplicates among the clients this user sees."""
    exclude = request.GET.get("client_id", "")
    found = find_duplicates(
        user=request.user, inn=request.GET.get("inn", ""), short_name=request.GET.get("short_name", ""),
        phones=(request.GET.get("phone", ""),), exclude_pk=int(exclude) if exclude.isdigit() else None,
    )
    return render(request, "clients/partials/card_duplicates.html", {"duplicates": found})


def _contact_client(request: HttpRequest, client_id: int) -> Client:
    client = policies.clients.get(request.user, client_id)
    if not policies.contacts.can(request.user, "add", client):
        raise PermissionDenied
    return client


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, client_id: int) -> HttpResponse:
    return _contact(request, _contact_client(request, client_id), None)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
    client = _contact_client(request, client_id)
    return _contact(request, client, policies.contacts.get(request.user, contact_id, client=client))


def _contact(request: HttpRequest, client: Client, contact: ContactPerson | None) -> HttpResponse:
    form = ContactForm(request.POST or None, initial=ContactForm.initial_for(contact) if contact else None)

    def save() -> object:
        if contact is None:
            return services.contact_create(acting_user=user_of(request), client=client, values=form.cleaned_data)
        return services.contact_update(acting_user=user_of(request), contact=contact, values=form.cleaned_data)

    return modal_form(
        request, client, contact, form=form, save=save, changed=lambda: _contacts_changed(request, client),
        url_names=("clients:contact_new", "clients:contact_edit"), item_name="contact",
        template="clients/partials/card_contact_form.html", page_template="clients/card_contact.html",
    )


@login_required
@require_POST
def contact_delete(request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
    client = _contact_client(request, client_id)
    services.contact_delete(
        acting_user=user_of(request), contact=policies.contacts.get(request.user, contact_id, client=client),
    )
    return _contacts_changed(request, client)


def _contacts_changed(request: HttpRequest, client: Client) -> HttpResponse:
    return list_changed(request, client, tab="personnel", target="#client-contacts",
                        template="clients/partials/card_contacts.html", context={
                            "client": client, "contacts": client.contacts.all(), "can_edit_contacts": True})
