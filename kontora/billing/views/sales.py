"""The client card's «Продажи» and «Работы» journals and their «Продажа» / «Работа» forms (SAL-01, SAL-02, CLI-14):
one set of views, given the journal (`SALES`, `WORKS`) by the URL conf.

Each journal is a pane of the card (from a card the user may open, 404 otherwise), keyset-paged, with its totals;
Ins and the button add a row when the user may edit the client. A row's form is editable by its author or an
administrator, read-only to everyone else who opens the client. With the block switched off in Settings →
Functionality the pages answer 404 (the card shows no tab)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.billing import policies
from kontora.billing.forms.sales import JournalRowForm, SaleForm, WorkForm
from kontora.billing.selectors import sales as selectors
from kontora.billing.services import sales as sale_services
from kontora.billing.services import works as work_services
from kontora.billing.services.journal import RowSpec, row_create, row_delete, row_update
from kontora.clients import policies as client_policies
from kontora.clients.models import Client
from kontora.core.selectors.calendar import user_today
from kontora.core.selectors.settings import block_enabled, system_settings
from kontora.core.ui.links import IdLink
from kontora.core.ui.pager import AFTER
from kontora.core.ui.submit import modal, refresh, submit

PAGE = 50


@dataclass(frozen=True)
class Journal:
    code: str  # the card's tab code: its pane is "#client-<code>"
    row: str  # a row's test ids: "sale" → "sale-form", "sale-delete"
    block: str  # the functionality block (core.selectors.settings)
    pane_url: str
    new_url: str
    row_url: str
    delete_url: str
    page: Callable[..., Any]
    totals: Callable[[Client], Any]
    spec: RowSpec[Any]  # the rows' service (services.journal)
    form: type[JournalRowForm]
    title: Any  # the form's title before the client's name
    read_only_note: Any  # above the form of one who may not change the row
    delete_confirm: Any


SALES = Journal("sales", "sale", "sales", "billing:card_sales", "billing:sale_new", "billing:sale",
                "billing:sale_delete", selectors.client_sales_page, selectors.client_sales_totals, sale_services.SALES,
                SaleForm, _("Sale"), _("Only its author or an administrator may change a sale."),
                _("Delete this sale?"))
WORKS = Journal("works", "work", "works", "billing:card_works", "billing:work_new", "billing:work",
                "billing:work_delete", selectors.client_works_page, selectors.client_works_totals, work_services.WORKS,
                WorkForm, _("Work"), _("Only its author or an administrator may change a work."),
                _("Delete this work?"))


def _switched_on(journal: Journal) -> None:
    if not block_enabled(system_settings(), journal.block):
        raise Http404


def _pane_context(user: Any, client: Client, journal: Journal, cursor: Any) -> dict[str, Any]:
    page = journal.page(client, cursor=cursor, size=PAGE)
    link = IdLink(journal.row_url)
    return {
        "client": client,
        "rows": [{"record": record, "href": link(record.pk)} for record in page.rows],
        "next_url": page.link(reverse(journal.pane_url, args=[client.pk]), AFTER),
        "totals": journal.totals(client) if AFTER not in cursor else None,
        "can_add": policies.can_write_for(user, client),
    }


@login_required
@require_GET
def card_journal(request: HttpRequest, client_id: int, journal: Journal) -> HttpResponse:
    """The card's «Продажи» or «Работы» tab: the client's rows, newest first, 50 at a time, with the totals."""
    _switched_on(journal)
    user = user_of(request)
    client = client_policies.clients.get(user, client_id)
    context = _pane_context(user, client, journal, request.GET)
    template = f"card_{journal.code}_rows.html" if AFTER in request.GET else f"card_{journal.code}.html"
    return HttpResponse(render_to_string(f"billing/sales/{template}", context))


@login_required
@require_http_methods(["GET", "POST"])
def row_new(request: HttpRequest, client_id: int, journal: Journal) -> HttpResponse:
    """The «Продажа» or «Работа» form for a new row of the card's journal (Ins in it), for who may edit the
    client."""
    _switched_on(journal)
    user = user_of(request)
    client = client_policies.clients.get(user, client_id)
    if not policies.can_write_for(user, client):
        raise PermissionDenied
    form = journal.form(request.POST or None, initial={"date": user_today(user), "responsible": user.pk})
    return _form(request, journal, client, None, form, lambda: row_create(
        journal.spec, acting_user=user, client=client, values=form.cleaned_data))


@login_required
@require_http_methods(["GET", "POST"])
def row(request: HttpRequest, pk: int, journal: Journal) -> HttpResponse:
    """A sale or a work: its form for its author or an administrator on a client he may edit; read-only to everyone
    else who opens the client."""
    _switched_on(journal)
    user = user_of(request)
    found = journal.spec.policy.get(user, pk)
    client = client_policies.clients.get(user, found.client_id)
    may_change = journal.spec.policy.can(user, "change", found)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = journal.form(request.POST or None, record=found, read_only=not may_change)
    return _form(request, journal, client, found, form, lambda: row_update(
        journal.spec, acting_user=user, row=found, edit=form.edit(),
        values={name: form.cleaned_data[name] for name in form.changed_data}), may_change=may_change)


@login_required
@require_POST
def row_remove(request: HttpRequest, pk: int, journal: Journal) -> HttpResponse:
    """Deletes a sale or a work (its author or an administrator): the card's journal is drawn again."""
    _switched_on(journal)
    user = user_of(request)
    found = journal.spec.policy.get(user, pk)
    client = client_policies.clients.get(user, found.client_id)
    row_delete(journal.spec, acting_user=user, row=found)
    return _changed(request, journal, client)


def _form(request: HttpRequest, journal: Journal, client: Client, found: Any, form: Any, save: Any, *,
          may_change: bool = True) -> HttpResponse:
    action = reverse(journal.row_url, args=[found.pk]) if found else reverse(journal.new_url, args=[client.pk])
    context = {
        "form": form, "client": client, "record": found, "action": action, "may_change": may_change,
        "may_delete": may_change and found is not None,
        "delete_url": reverse(journal.delete_url, args=[found.pk]) if found else "",
        "target": f"#client-{journal.code}",
        "card_url": reverse("clients:card", args=[client.pk]) + f"#tab-{journal.code}",
        "row_testid": journal.row, "row_title": journal.title, "read_only_note": journal.read_only_note,
        "delete_confirm": journal.delete_confirm,
    }
    return submit(request, form, save, done=lambda saved: _changed(request, journal, client),
                  page=lambda: modal(request, "billing/sales/row_form.html", context,
                                     page="core/ui/modal_page.html"))


def _changed(request: HttpRequest, journal: Journal, client: Client) -> HttpResponse:
    """The journal drawn again in the card and the modal closed."""
    context = _pane_context(user_of(request), client, journal, {})
    return refresh(request, f"billing/sales/card_{journal.code}.html", context, target=f"#client-{journal.code}",
                   fallback=reverse("clients:card", args=[client.pk]) + f"#tab-{journal.code}")
