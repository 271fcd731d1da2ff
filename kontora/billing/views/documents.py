"""The pages of acts and invoice-facturas (INV-05): «Журнал актов» and «Журнал счетов-фактур» (Журналы), the card's
panes, a document's page (its header and lines, changed while not cancelled by those who edit the client), a new
document of a client, «ввести на основании» from an invoice, the advance invoice-factura of a payment, cancelling,
and the print forms (`views.prints`). Every document is reached through its policy (404 for a client the user may
not open); the rules are the services'.

A document's form carries the values the user read (its header and its lines as one value, `DocumentForm`): the
services merge a change field by field over the document as kept now, and a conflict comes back on the page re-based
on the values as kept now, the conflicting field (or the lines) marked beside the user's value (core.conflicts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.billing import policies
from kontora.billing.forms.documents import (
    AdvanceForm,
    CancelForm,
    DocumentForm,
    FromInvoiceForm,
    JournalFilterForm,
    LineFormSet,
    document_stored,
    rate_value,
    stored_lines,
)
from kontora.billing.forms.lines import TABLE
from kontora.billing.models import Act, InvoiceFactura
from kontora.billing.selectors import documents as selectors
from kontora.billing.selectors.card import card_journal_pills
from kontora.billing.selectors.invoices import rates_offered
from kontora.billing.selectors.payments import HIDDEN_CAP
from kontora.billing.services import acts as act_services
from kontora.billing.services import facturas as factura_services
from kontora.clients import policies as client_policies
from kontora.core.conflicts import EditConflict
from kontora.core.errors import DomainError, Refused
from kontora.core.htmx import go, is_htmx
from kontora.core.models import LegalEntity
from kontora.core.selectors.calendar import user_today
from kontora.core.ui.pager import AFTER
from kontora.core.ui.submit import submit

PAGE = 50
BLANK_LINES = 3  # empty rows under a document's lines, to add lines


@dataclass(frozen=True)
class Kind:
    code: str  # "act" / "factura": the URL names' stem
    model: type[Any]
    journal_url: str
    card_url: str
    access: Callable[[Any, Any], Any]

    @property
    def is_factura(self) -> bool:
        return self.model is InvoiceFactura


ACTS = Kind("act", Act, "billing:act_journal", "billing:card_acts", selectors.access_act)
FACTURAS = Kind("factura", InvoiceFactura, "billing:factura_journal", "billing:card_facturas",
                selectors.access_factura)


def _row(kind: Kind, document: Any) -> dict[str, Any]:
    return {"record": document, "href": reverse(f"billing:{kind.code}", args=[document.pk]),
            "invoice": f"{document.invoice_prefix}-{document.invoice_number}" if document.invoice_prefix
            else (document.invoice_number or "")}


# --- journals ------------------------------------------------------------------------------------------------------


def _journal(request: HttpRequest, kind: Kind) -> HttpResponse:
    user = user_of(request)
    everyone = policies.sees_all_employees(user)
    form = JournalFilterForm(request.GET or None, all_employees=everyone)
    choice = form.choice()
    page = selectors.journal_page(kind.model, user, choice, cursor=request.GET, size=PAGE)
    base = reverse(kind.journal_url)
    kept = {name: request.GET.get(name, "") for name in ("date_from", "date_to", "status", "whose")}
    context: dict[str, Any] = {
        "kind": kind, "rows": [_row(kind, document) for document in page.rows],
        "next_url": page.link(base, AFTER, **kept), "columns": 10,
    }
    if is_htmx(request) and request.GET.get(AFTER):
        return render(request, "billing/documents/journal_rows.html", context)
    context.update({"form": form, "base": base, "everyone": everyone and choice.whose != selectors.MINE,
                    "totals": selectors.journal_totals(kind.model, user, choice),
                    "hidden": selectors.hidden_count(kind.model, user, choice, request.GET), "hidden_cap": HIDDEN_CAP})
    return render(request, "billing/documents/journal.html", context)


@login_required
@require_GET
def act_journal(request: HttpRequest) -> HttpResponse:
    """«Журнал актов»: the user's acts (every employee's with «журналы всех сотрудников») of clients he opens."""
    return _journal(request, ACTS)


@login_required
@require_GET
def factura_journal(request: HttpRequest) -> HttpResponse:
    """«Журнал счетов-фактур», by the acts' rule."""
    return _journal(request, FACTURAS)


# --- the card's panes ------------------------------------------------------------------------------------------------


def _pane(request: HttpRequest, client_id: int, kind: Kind) -> HttpResponse:
    user = user_of(request)
    client = client_policies.clients.get(user, client_id)
    page = selectors.client_page(kind.model, client, cursor=request.GET, size=PAGE)
    context = {
        "kind": kind, "client": client, "rows": [_row(kind, document) for document in page.rows],
        "pills": card_journal_pills(client.pk, f"{kind.code}s"),
        "next_url": page.link(reverse(kind.card_url, args=[client.pk]), AFTER), "columns": 9, "in_card": True,
        "totals": selectors.client_totals(kind.model, client) if AFTER not in request.GET else None,
        "new_url": reverse(f"billing:{kind.code}_new", args=[client.pk])
        if policies.can_write_for(user, client) else "",
    }
    template = "journal_rows.html" if AFTER in request.GET else "card_pane.html"
    return HttpResponse(render_to_string(f"billing/documents/{template}", context))


@login_required
@require_GET
def card_acts(request: HttpRequest, client_id: int) -> HttpResponse:
    """The card's acts: the client's acts, newest first, with the totals."""
    return _pane(request, client_id, ACTS)


@login_required
@require_GET
def card_facturas(request: HttpRequest, client_id: int) -> HttpResponse:
    """The card's invoice-facturas: the client's, newest first, with the totals."""
    return _pane(request, client_id, FACTURAS)


# --- a document's page -----------------------------------------------------------------------------------------------


def _rates(entity: Any, on: Any, kept: set[Decimal | None]) -> list[Decimal | None]:
    try:
        offered = list(rates_offered(entity, on).rates)
    except Refused:
        offered = []
    return offered + [rate for rate in kept if rate not in offered]


def _lines_formset(request: HttpRequest, kind: Kind, *, rows: list[dict[str, Any]], rates: list[Any],
                   read_only: bool, blank: int, posted: bool = True) -> Any:
    """The lines' formset: bound to what was posted (unless read-only or `posted` is False), else drawn over
    `rows` (the lines' values as the form draws them) and `blank` empty lines to add."""
    initial = rows + [{"vat_rate": rate_value(rates[0] if rates else None)}] * blank
    kwargs = {"rates": rates, "factura": kind.is_factura, "read_only": read_only}
    if request.method == "POST" and not read_only and posted:
        return LineFormSet(request.POST, prefix="lines", form_kwargs=kwargs)
    return LineFormSet(prefix="lines", initial=initial, form_kwargs=kwargs)


def _lines_typed(formset: Any) -> list[Any]:
    """The lines as typed, in order, without blank and removed ones."""
    return [line for line in (form.line() for form in formset.forms) if line is not None]


def _submit_both(request: HttpRequest, form: Any, formset: Any, save: Callable[[], Any],
                 page: Callable[[], HttpResponse], kind: Kind) -> HttpResponse:
    """The header form and the lines saved together when both are valid; a service's refusal goes next to the
    header's field it names, else above the form (a NotAllowed is the 403 page)."""
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            saved = save()
        except (ValidationError, DomainError) as exc:
            form.apply_error(exc)
        else:
            return go(request, reverse(f"billing:{kind.code}", args=[saved.pk]))
    return page()


def _document_page(request: HttpRequest, kind: Kind, document: Any) -> HttpResponse:
    user = user_of(request)
    client = client_policies.clients.get(user, document.client_id)
    lines = selectors.document_lines(document)
    may_change = not document.is_cancelled and policies.can_write_for(user, client)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    advance = kind.is_factura and document.is_advance
    form = DocumentForm(request.POST or None, initial=document_stored(document, lines), factura=kind.is_factura,
                        read_only=not may_change, lines_read_only=advance)
    rates = _rates(document.legal_entity, document.date, {line.vat_rate for line in lines})
    blank = 0 if advance or not may_change else BLANK_LINES
    formset = _lines_formset(request, kind, rows=stored_lines(lines), rates=rates,
                             read_only=not may_change or advance, blank=blank)

    def save() -> Any:
        nonlocal formset
        typed = None if advance else _lines_typed(formset)
        data = form.cleaned_data
        mine = TABLE in form.changed_data
        try:
            if kind.is_factura:
                return factura_services.factura_update(acting_user=user, factura_id=document.pk, date=data["date"],
                                                       header=form.header(), note=data["note"], lines=typed,
                                                       edit=form.edit())
            return act_services.act_update(acting_user=user, act_id=document.pk, date=data["date"],
                                           note=data["note"], lines=typed, edit=form.edit())
        except EditConflict as exc:
            if not mine:  # the lines drawn as kept now, so saving the re-based page again keeps the other's
                rows = form.lines_table.lines(exc.current.get("", {}).get(TABLE))
                formset = _lines_formset(request, kind, rows=rows, rates=rates, read_only=advance, blank=blank,
                                         posted=False)
            raise

    def page() -> HttpResponse:
        return render(request, "billing/documents/document.html", {
            "kind": kind, "document": document, "client": client, "lines": lines, "form": form, "formset": formset,
            "may_change": may_change, "advance": advance,
            "may_cancel": not document.is_cancelled and policies.can_cancel_document(user)
            and policies.can_write_for(user, client),
            "cancel_form": CancelForm(), "action": request.path,
            "print_url": reverse(f"billing:{kind.code}_print", args=[document.pk]),
            "cancel_url": reverse(f"billing:{kind.code}_cancel", args=[document.pk]),
            "card_url": reverse("clients:card", args=[client.pk]),
        })

    return _submit_both(request, form, formset, save, page, kind)


@login_required
@require_http_methods(["GET", "POST"])
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """An act's page: its lines and totals, changed while not cancelled by those who edit its client."""
    return _document_page(request, ACTS, ACTS.access(user_of(request), pk))


@login_required
@require_http_methods(["GET", "POST"])
def factura(request: HttpRequest, pk: int) -> HttpResponse:
    """An invoice-factura's page, by the act's rule; an advance one's line follows its payment."""
    return _document_page(request, FACTURAS, FACTURAS.access(user_of(request), pk))


def _new(request: HttpRequest, client_id: int, kind: Kind) -> HttpResponse:
    user = user_of(request)
    client = client_policies.clients.get(user, client_id)
    if not policies.can_write_for(user, client):
        raise PermissionDenied
    today = user_today(user)
    form = DocumentForm(request.POST or None, initial={"date": today}, factura=kind.is_factura)
    entities = LegalEntity.objects.order_by("-is_default", "short_name", "id")
    entity = entities.first()
    formset = _lines_formset(request, kind, rows=[], rates=_rates(entity, today, set()) if entity else [None],
                             read_only=False, blank=BLANK_LINES + 2)

    def save() -> Any:
        data = form.cleaned_data
        typed = _lines_typed(formset)
        if kind.is_factura:
            return factura_services.factura_create(acting_user=user, data=factura_services.FacturaData(
                client=client, date=data["date"], lines=typed, header=form.header(), note=data["note"]))
        return act_services.act_create(acting_user=user, data=act_services.ActData(
            client=client, date=data["date"], lines=typed, note=data["note"]))

    def page() -> HttpResponse:
        return render(request, "billing/documents/document.html", {
            "kind": kind, "document": None, "client": client, "lines": [], "form": form, "formset": formset,
            "may_change": True, "action": request.path, "entity": entity,
            "card_url": reverse("clients:card", args=[client.pk]),
        })

    return _submit_both(request, form, formset, save, page, kind)


@login_required
@require_http_methods(["GET", "POST"])
def act_new(request: HttpRequest, client_id: int) -> HttpResponse:
    """A new act of the client, on its own (not from an invoice)."""
    return _new(request, client_id, ACTS)


@login_required
@require_http_methods(["GET", "POST"])
def factura_new(request: HttpRequest, client_id: int) -> HttpResponse:
    """A new invoice-factura of the client, on its own."""
    return _new(request, client_id, FACTURAS)


# --- «ввести на основании» ----------------------------------------------------------------------------------------


def _from_invoice(request: HttpRequest, pk: int, kind: Kind) -> HttpResponse:
    user = user_of(request)
    invoice = policies.invoices.get(user, pk)
    if not policies.can_write_for(user, invoice.client):
        raise PermissionDenied
    lines = list(invoice.lines.order_by("position"))
    form = FromInvoiceForm(request.POST or None, initial={"date": user_today(user)}, lines=lines)

    def save() -> Any:
        date, dropped = form.cleaned_data["date"], form.dropped()
        if kind.is_factura:
            return factura_services.factura_from_invoice(acting_user=user, invoice_id=invoice.pk, date=date,
                                                         dropped=dropped)
        return act_services.act_from_invoice(acting_user=user, invoice_id=invoice.pk, date=date, dropped=dropped)

    def page() -> HttpResponse:
        return render(request, "billing/documents/from_invoice.html", {
            "kind": kind, "invoice": invoice, "lines": lines, "form": form, "action": request.path,
            "card_url": reverse("clients:card", args=[invoice.client_id]),
        })

    return submit(request, form, save, done=lambda saved: reverse(f"billing:{kind.code}", args=[saved.pk]),
                  page=page)


@login_required
@require_http_methods(["GET", "POST"])
def act_from_invoice(request: HttpRequest, pk: int) -> HttpResponse:
    """«Ввести на основании» → «Акт»: the invoice's lines to keep and the date; the act's page after."""
    return _from_invoice(request, pk, ACTS)


@login_required
@require_http_methods(["GET", "POST"])
def factura_from_invoice(request: HttpRequest, pk: int) -> HttpResponse:
    """«Ввести на основании» → «Счёт-фактура»."""
    return _from_invoice(request, pk, FACTURAS)


@login_required
@require_http_methods(["GET", "POST"])
def factura_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """The advance invoice-factura of a payment: the advance left on it (or a part) on a date."""
    user = user_of(request)
    payment = policies.payments.get(user, pk)
    if not policies.can_write_for(user, payment.client):
        raise PermissionDenied
    left = factura_services.advance_left(payment)
    form = AdvanceForm(request.POST or None, initial={"date": user_today(user), "amount": left})

    def save() -> Any:
        return factura_services.factura_advance(acting_user=user, payment_id=payment.pk,
                                                amount=form.cleaned_data["amount"], date=form.cleaned_data["date"])

    def page() -> HttpResponse:
        return render(request, "billing/documents/advance.html", {
            "payment": payment, "left": left, "form": form, "action": request.path,
            "card_url": reverse("clients:card", args=[payment.client_id]),
        })

    return submit(request, form, save, done=lambda saved: reverse("billing:factura", args=[saved.pk]), page=page)


# --- cancelling ------------------------------------------------------------------------------------------------------


def _cancel(request: HttpRequest, pk: int, kind: Kind) -> HttpResponse:
    user = user_of(request)
    document = kind.access(user, pk)
    if not policies.can_write_for(user, document.client):
        raise PermissionDenied
    form = CancelForm(request.POST)

    def save() -> Any:
        reason = form.cleaned_data["reason"]
        if kind.is_factura:
            return factura_services.factura_cancel(acting_user=user, factura_id=document.pk, reason=reason)
        return act_services.act_cancel(acting_user=user, act_id=document.pk, reason=reason)

    def page() -> HttpResponse:
        return render(request, "billing/documents/cancel.html", {
            "kind": kind, "document": document, "form": form, "action": request.path,
            "back_url": reverse(f"billing:{kind.code}", args=[document.pk])})

    return submit(request, form, save, done=lambda saved: reverse(f"billing:{kind.code}", args=[saved.pk]),
                  page=page)


@login_required
@require_POST
def act_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancels the act, with the reason (the right that cancels invoices)."""
    return _cancel(request, pk, ACTS)


@login_required
@require_POST
def factura_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancels the invoice-factura, with the reason."""
    return _cancel(request, pk, FACTURAS)
