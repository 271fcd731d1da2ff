"""The client card's «Продажи» and «Работы» journals and their «Продажа» / «Работа» forms (SAL-01, SAL-02, CLI-14).

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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.billing import policies
from kontora.billing.forms.sales import SaleForm, WorkForm
from kontora.billing.selectors import sales as selectors
from kontora.billing.services import sales as sale_services
from kontora.billing.services import works as work_services
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
    block: str  # the functionality block (core.selectors.settings)
    pane_url: str
    new_url: str
    row_url: str
    delete_url: str
    page: Callable[..., Any]
    totals: Callable[[Client], Any]


SALES = Journal("sales", "sales", "billing:card_sales", "billing:sale_new", "billing:sale", "billing:sale_delete",
                selectors.client_sales_page, selectors.client_sales_totals)
WORKS = Journal("works", "works", "billing:card_works", "billing:work_new", "billing:work", "billing:work_delete",
                selectors.client_works_page, selectors.client_works_totals)


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


def _pane(request: HttpRequest, client_id: int, journal: Journal) -> HttpResponse:
    _switched_on(journal)
    user = user_of(request)
    client = client_policies.clients.get(user, client_id)
    context = _pane_context(user, client, journal, request.GET)
    template = f"card_{journal.code}_rows.html" if AFTER in request.GET else f"card_{journal.code}.html"
    return HttpResponse(render_to_string(f"billing/sales/{template}", context))


@login_required
@require_GET
def card_sales(request: HttpRequest, client_id: int) -> HttpResponse:
    """The card's «Продажи» tab: the client's sales, newest first, 50 at a time, with the totals."""
    return _pane(request, client_id, SALES)


@login_required
@require_GET
def card_works(request: HttpRequest, client_id: int) -> HttpResponse:
    """The card's «Работы» tab: the client's works, newest first, 50 at a time, with the totals."""
    return _pane(request, client_id, WORKS)


def _writable_client(request: HttpRequest, client_id: int, journal: Journal) -> tuple[Any, Client]:
    _switched_on(journal)
    user = user_of(request)
    client = client_policies.clients.get(user, client_id)
    if not policies.can_write_for(user, client):
        raise PermissionDenied
    return user, client


def _new_initial(user: Any) -> dict[str, Any]:
    return {"date": user_today(user), "responsible": user.pk}


@login_required
@require_http_methods(["GET", "POST"])
def sale_new(request: HttpRequest, client_id: int) -> HttpResponse:
    """The «Продажа» form for a new sale of the card (Ins in its «Продажи»)."""
    user, client = _writable_client(request, client_id, SALES)
    form = SaleForm(request.POST or None, initial=_new_initial(user))
    return _form(request, SALES, client, None, form, lambda: sale_services.sale_create(
        acting_user=user, client=client, values=form.cleaned_data))


@login_required
@require_http_methods(["GET", "POST"])
def sale(request: HttpRequest, pk: int) -> HttpResponse:
    """A sale: its form for its author or an administrator on a client he may edit; read-only to everyone else who
    opens the client."""
    _switched_on(SALES)
    user = user_of(request)
    found = policies.sales.get(user, pk)
    client = client_policies.clients.get(user, found.client_id)
    may_change = policies.sales.can(user, "change", found)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = SaleForm(request.POST or None, sale=found, read_only=not may_change)
    return _form(request, SALES, client, found, form, lambda: sale_services.sale_update(
        acting_user=user, sale=found, edit=form.edit(),
        values={name: form.cleaned_data[name] for name in form.changed_data}), may_change=may_change)


@login_required
@require_POST
def sale_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a sale (its author or an administrator): the card's «Продажи» is drawn again."""
    _switched_on(SALES)
    user = user_of(request)
    found = policies.sales.get(user, pk)
    client = client_policies.clients.get(user, found.client_id)
    sale_services.sale_delete(acting_user=user, sale=found)
    return _changed(request, SALES, client)


@login_required
@require_http_methods(["GET", "POST"])
def work_new(request: HttpRequest, client_id: int) -> HttpResponse:
    """The «Работа» form for new works of the card (Ins in its «Работы»)."""
    user, client = _writable_client(request, client_id, WORKS)
    form = WorkForm(request.POST or None, initial=_new_initial(user))
    return _form(request, WORKS, client, None, form, lambda: work_services.work_create(
        acting_user=user, client=client, values=form.cleaned_data))


@login_required
@require_http_methods(["GET", "POST"])
def work(request: HttpRequest, pk: int) -> HttpResponse:
    """A work: its form for its author or an administrator on a client he may edit; read-only to everyone else who
    opens the client."""
    _switched_on(WORKS)
    user = user_of(request)
    found = policies.works.get(user, pk)
    client = client_policies.clients.get(user, found.client_id)
    may_change = policies.works.can(user, "change", found)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    form = WorkForm(request.POST or None, work=found, read_only=not may_change)
    return _form(request, WORKS, client, found, form, lambda: work_services.work_update(
        acting_user=user, work=found, edit=form.edit(),
        values={name: form.cleaned_data[name] for name in form.changed_data}), may_change=may_change)


@login_required
@require_POST
def work_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Deletes a work (its author or an administrator): the card's «Работы» is drawn again."""
    _switched_on(WORKS)
    user = user_of(request)
    found = policies.works.get(user, pk)
    client = client_policies.clients.get(user, found.client_id)
    work_services.work_delete(acting_user=user, work=found)
    return _changed(request, WORKS, client)


def _form(request: HttpRequest, journal: Journal, client: Client, found: Any, form: Any, save: Any, *,
          may_change: bool = True) -> HttpResponse:
    action = reverse(journal.row_url, args=[found.pk]) if found else reverse(journal.new_url, args=[client.pk])
    context = {
        "form": form, "client": client, "record": found, "action": action, "may_change": may_change,
        "may_delete": may_change and found is not None,
        "delete_url": reverse(journal.delete_url, args=[found.pk]) if found else "",
        "target": f"#client-{journal.code}",
        "card_url": reverse("clients:card", args=[client.pk]) + f"#tab-{journal.code}",
    }
    return submit(request, form, save, done=lambda saved: _changed(request, journal, client),
                  page=lambda: modal(request, f"billing/sales/{journal.code[:-1]}_form.html", context,
                                     page="core/ui/modal_page.html"))


def _changed(request: HttpRequest, journal: Journal, client: Client) -> HttpResponse:
    """The journal drawn again in the card and the modal closed."""
    context = _pane_context(user_of(request), client, journal, {})
    return refresh(request, f"billing/sales/card_{journal.code}.html", context, target=f"#client-{journal.code}",
                   fallback=reverse("clients:card", args=[client.pk]) + f"#tab-{journal.code}")
