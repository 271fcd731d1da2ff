"""The client card (CLI-01 … CLI-16): one page, one form. The main requisites and the General tab are drawn with the
page; every other tab is a pane loaded when it is first shown, inside the same form (clients.hooks: a part of the
form or a journal). OK / Apply send every part the user opened and `services.card.card_save` writes what he
changed, all in one transaction. Journals (contact persons, history, …) are lists with their own modal forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.clients import hooks, policies
from kontora.clients.forms.card import CARD_RELATED, CardPartForm, ClientForm, ContactForm
from kontora.clients.models import Client, ContactPerson
from kontora.clients.selectors import card as selectors
from kontora.clients.selectors.duplicates import Report
from kontora.clients.selectors.history import history_page
from kontora.clients.services import card as services
from kontora.clients.services.duplicates import duplicate_check
from kontora.clients.views.modal import list_changed, modal_form
from kontora.core.conflicts import Edit, EditConflict
from kontora.core.errors import DomainError, Throttled
from kontora.core.htmx import go
from kontora.core.selectors.settings import system_settings
from kontora.core.text import id_param, inner_quotes
from kontora.core.ui.pager import AFTER
from kontora.core.ui.submit import leaving_for, ok_or_apply


@login_required
@require_http_methods(["GET", "POST"])
def client_new(request: HttpRequest) -> HttpResponse:
    return _card(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def client_card(request: HttpRequest, client_id: int) -> HttpResponse:
    return _card(request, policies.clients.get(request.user, client_id, related=CARD_RELATED))


def _kind(request: HttpRequest) -> str:
    kind = request.POST.get("kind") or request.GET.get("kind") or Client.Kind.COMPANY
    return kind if kind in Client.Kind.values else Client.Kind.COMPANY


def _rights(user: Any, client: Client | None) -> tuple[bool, bool]:
    """(may edit the card's information, may edit its main data); a new card is its creator's to fill in."""
    rights = policies.card_rights(user, client)
    return rights.can_edit, rights.can_edit_main


def _card(request: HttpRequest, client: Client | None) -> HttpResponse:
    user = user_of(request)
    kind = client.kind if client else _kind(request)
    can_edit, can_edit_main = _rights(user, client)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ClientForm(data, client=client, user=user, kind=kind, read_only=not can_edit,
                      main_read_only=not can_edit_main)
    # A post: only the tabs whose parts the page may have sent (is_posted would find no other), told without
    # building them; the whole strip is read when the page is drawn.
    tabs = selectors.card_tabs(user, client, kind=kind, system=system_settings, among=None if data is None else (
        lambda tab: tab.part is not None and getattr(tab.part.form, "sent_in", lambda data: True)(data)))
    # The parts the page sent (a pane never shown sends nothing, and nothing of it is saved); a new card has all.
    parts: dict[str, CardPartForm] = {}
    for tab in tabs:
        if tab.part is None or (data is None and client is not None):
            continue  # an existing card's panes load when their tabs are shown
        may_edit = client is None or tab.part.may_edit(user, client)
        part = tab.part.form(data, client=client, user=user, read_only=not may_edit)
        if data is not None and part.is_posted() and not may_edit:
            raise PermissionDenied  # a read-only pane sends nothing: this is a forged write
        if data is None or part.is_posted():
            parts[tab.code] = part
    duplicates = Report([], [], [])
    throttled: Throttled | None = None
    if data is not None and form.is_valid() & all([part.is_valid() for part in parts.values()]):
        try:
            duplicates = _duplicates_for(user, form, parts, client)
        except Throttled as exc:
            throttled = exc
        if throttled is not None and not form.cleaned_data["save_anyway"]:
            form.add_error(None, throttled.message)  # the check did not run: nothing is saved unchecked
        elif duplicates and not form.cleaned_data["save_anyway"]:
            form.add_error(None, gettext(
                "Similar clients are already registered (see below). Check them; if this is a different "
                "client, tick “save anyway” and save again."))
        else:
            try:
                saved = _save(user, form, parts, tabs, client)
            except (ValidationError, DomainError) as exc:
                _place_errors(exc, form, parts)
            else:
                messages.success(request, gettext("Client “%(name)s” saved.") % {"name": inner_quotes(saved)})
                card_url = reverse("clients:card", args=[saved.pk])
                # A new card stays open after OK too: its other tabs are filled in now that it has a code.
                return go(request, (leaving_for(request) or card_url) if client is None else ok_or_apply(
                    request, ok=_registry_at(saved), apply=card_url))
    return render(request, "clients/card.html", {
        "form": form, "client": client, "kind": kind, "can_edit": can_edit, "duplicates": duplicates.shown,
        "told": duplicates.told,
        "check_refused": throttled is not None,
        "title": str(client) if client else gettext("New client"),
        "tabs": _tabs(request, user, client, kind, tabs, parts, posted=data is not None),
        "errors": [*form.non_field_errors(), *(e for part in parts.values() for e in part.non_field_errors())],
        "card_actions": selectors.card_actions(user, client),
        "home_url": _registry_at(client),
    })


def _registry_at(client: Client | None) -> str:
    """Where the card's OK and Close lead: the registry with the cursor back on this client (its row drawn anew,
    with what was saved), where the user opened it (behaviours/registry.js restores the rest)."""
    home = reverse("core:home")
    return home if client is None else f"{home}?focus={client.pk}"


def _tabs(request: HttpRequest, user: Any, client: Client | None, kind: str, tabs: list[hooks.CardTab],
          parts: dict[str, CardPartForm], *, posted: bool) -> list[dict[str, Any]]:
    """The strip as drawn. A new card also carries the tabs of the other kind (a company's Registration data, a
    person's Passport), hidden and disabled — nothing of them is posted — until the kind is switched
    (behaviours/card-tabs.js): a field is never shown where its value would not be saved."""
    if posted:
        tabs = selectors.card_tabs(user, client, kind=kind, system=system_settings)
    drawn = [(tab, parts.get(tab.code)) for tab in tabs]
    if client is None:
        mine = {tab.code for tab in tabs}
        for other in Client.Kind.values:
            if other == kind:
                continue
            # Only the tabs this kind lacks are asked about (whether a tab is shown may cost a query).
            lacking = selectors.card_tabs(user, None, kind=other, system=system_settings,
                                          among=lambda tab: tab.code not in mine and tab.part is not None)
            drawn += [(tab, tab.part.form(None, client=None, user=user)) for tab in lacking if tab.part is not None]
        drawn.sort(key=lambda pair: (pair[0].order, pair[0].code))
    return [_tab(request, tab, client, part, kind=kind) for tab, part in drawn]


def _tab(request: HttpRequest, tab: hooks.CardTab, client: Client | None, part: CardPartForm | None, *,
         kind: str) -> dict[str, Any]:
    """A tab of the strip with its pane: drawn now when the page carries its form (a new card, a refused save),
    else loaded from its URL when first shown. On a new card, `kinds` names the kinds of client it is for and
    `off` marks a tab of the other kind."""
    shown: dict[str, Any] = {"code": tab.code, "label": tab.label, "short_label": tab.short_label or tab.label}
    if part is not None:
        shown["html"] = _pane(request, tab, client, part)
    elif client is not None:
        shown["url"] = reverse(tab.url_name, args=[client.pk])
    if client is None:
        shown["kinds"] = " ".join(sorted(tab.kinds))
        shown["off"] = kind not in tab.kinds
    return shown


def _pane(request: HttpRequest, tab: hooks.CardTab, client: Client | None, form: CardPartForm) -> str:
    part = tab.part
    assert part is not None
    user = user_of(request)
    context = {"client": client, "form": form, "tab": tab, "can_edit": not form.read_only}
    if part.context is not None:
        context.update(part.context(user, client))
    # Drawn without the request, as every pane: a fragment needs none of the page's context (the menu bar …).
    return render_to_string("clients/partials/card_part.html", {
        **context, "part_template": part.template, "read_only": form.read_only})


def _duplicates_for(user: Any, form: ClientForm, parts: dict[str, CardPartForm], client: Client | None
                    ) -> Report:
    # The INN is on the company's Registration data tab or the person's Passport tab (whichever was sent).
    data = {**form.cleaned_data, **{name: value for part in parts.values()
                                    for name, value in part.cleaned_data.items() if name == "inn"}}
    if client is not None and all(str(data.get(name) or "") == str(getattr(client, name) or "")
                                  for name in ("inn", "short_name", "phone") if name in data):
        return Report([], [], [])
    inn, short_name, phone = data.get("inn") or "", data.get("short_name") or "", data.get("phone") or ""
    return duplicate_check(acting_user=user, inn=inn, short_name=short_name, phone=phone,
                           client_id=client.pk if client else None)


def _save(user: Any, form: ClientForm, parts: dict[str, CardPartForm], tabs: list[hooks.CardTab],
          client: Client | None) -> Client:
    """Everything the user changed, in one call of the card's service: a new card takes all its main fields."""
    main_names = [name for name in form.fields if name != "save_anyway"] if client is None else form.changed_data
    changes: dict[str, Any] = {"values": {}}
    saves: list[services.PartSave] = []
    edits: list[Edit] = []
    for code, part in [("", form), *parts.items()]:
        names = main_names if part is form else part.changed_data
        if client is not None and names:
            edits.append(part.edit(code, names))
        for key, value in part.client_changes(names).items():
            if key == "values":
                changes["values"].update(value)
            else:
                changes[key] = value
        own = part.own_changes(names) if part is not form else {}
        tab = next((tab for tab in tabs if tab.code == code), None)
        if own and tab is not None and tab.part is not None and tab.part.save is not None:
            saves.append(services.PartSave(code=code, save=tab.part.save, stored=part.stored, typed=own,
                                           read=part.read_values))
    return services.card_save(acting_user=user, client=client, parts=saves, edits=edits, **changes)


def _place_errors(exc: ValidationError | DomainError, form: ClientForm, parts: dict[str, CardPartForm]) -> None:
    """A refused save's errors next to their fields, on whichever part of the page holds them; a conflict re-bases
    every part on the values as kept now and marks the fields to choose."""
    if isinstance(exc, EditConflict):
        for code, part in [("", form), *parts.items()]:
            part.take_conflict(exc, code)
        form.add_error(None, exc.message)
        return
    if not isinstance(exc, ValidationError) or not hasattr(exc, "error_dict"):
        form.apply_error(exc)
        return
    every = [form, *parts.values()]
    for key, errors in exc.error_dict.items():
        code, _sep, name = key.rpartition(":")
        target = parts.get(code) or next((part for part in every if name in part.fields), form)
        target.apply_error(ValidationError({name: errors}))


@login_required
@require_GET
def part_pane(request: HttpRequest, client_id: int, code: str) -> HttpResponse:
    """A part's pane, loaded into the card when its tab is first shown: the values as kept now (the read snapshot),
    as text for a user who may not change them."""
    tab = hooks.CARD_TABS.get(code)
    if tab.part is None:
        raise Http404
    user = user_of(request)
    client = policies.clients.get(user, client_id, related=tab.part.related)
    if not selectors.tab_shown(tab, user, client, kind=client.kind, system=system_settings):
        raise Http404
    form = tab.part.form(client=client, user=user, read_only=not tab.part.may_edit(user, client))
    return HttpResponse(_pane(request, tab, client, form))


@login_required
@require_GET
def history(request: HttpRequest, client_id: int) -> HttpResponse:
    """The Service tab (CLI-12): who registered and changed the card, and its change history, 50 rows at a time."""
    client = policies.clients.get(request.user, client_id, related=("created_by", "changed_by"))
    page = history_page(fetched_by=user_of(request), client=client, cursor=request.GET)
    context = {"client": client, "history": page.rows,
               "more_url": page.link(reverse("clients:history", args=[client.pk]), AFTER)}
    if AFTER in request.GET:
        return _fragment("clients/partials/tab_history_rows.html", context)
    return _fragment("clients/partials/tab_history.html", context)


def _fragment(template: str, context: dict[str, Any]) -> HttpResponse:
    """A pane or a piece of one, drawn without the request: it needs none of the page's context (the menu bar …)."""
    return HttpResponse(render_to_string(template, context))


@login_required
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """The htmx check while typing: likely duplicates among the clients this user sees, and the curators of those
    with the INN or phone he may not open. Every check is on record; beyond the minute's limit the answer says when
    the check resumes (swapped in like a warning: htmx swaps no error status), with Retry-After."""
    exclude = id_param(request.GET.get("client_id", ""))
    inn, short_name, phone = (request.GET.get(name, "") for name in ("inn", "short_name", "phone"))
    try:
        found = duplicate_check(acting_user=user_of(request), inn=inn, short_name=short_name, phone=phone,
                                client_id=exclude)
    except Throttled as exc:
        response = render(request, "clients/partials/card_duplicates.html", {"throttled": exc.message})
        response["Retry-After"] = str(exc.retry_after)
        return response
    return render(request, "clients/partials/card_duplicates.html", {"duplicates": found.shown, "told": found.told})


# --- the contact persons: the Personnel tab's journal ---

def _contacts_context(request: HttpRequest, client: Client, can_edit: bool) -> dict[str, Any]:
    return {"client": client, "contacts": client.contacts.all(), "can_edit_contacts": can_edit}


@login_required
@require_GET
def contacts(request: HttpRequest, client_id: int) -> HttpResponse:
    client = policies.clients.get(request.user, client_id)
    if client.kind != Client.Kind.COMPANY:
        raise Http404
    context = _contacts_context(request, client, policies.contacts.can(request.user, "add", client))
    return _fragment("clients/partials/card_contacts.html", context)


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
        return services.contact_update(acting_user=user_of(request), contact=contact, edit=form.edit(),
                                       values={name: form.cleaned_data[name] for name in form.changed_data})

    return modal_form(
        request, client, contact, form=form, save=save, changed=lambda: _contacts_changed(request, client),
        url_names=("clients:contact_new", "clients:contact_edit"), item_name="contact",
        template="clients/partials/card_contact_form.html", page_template="core/ui/modal_page.html",
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
    return list_changed(request, client, tab="personnel", target="#client-personnel",
                        template="clients/partials/card_contacts.html",
                        context=_contacts_context(request, client, True))
