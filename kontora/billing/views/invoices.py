"""Invoice pages (INV-01 … INV-03, CLI-14): the card's «Счета» journal, Журналы → «Журнал счетов», the invoice's
form (a new one from the card with its client fixed, or from the journal with a client picker; a change) and the
invoice's page with «Выставить», «Отменить», «Копировать» and its «Платежи» tab.

The form recounts a line's and the invoice's amounts on the server as the user types (`invoice_form`, htmx,
through `selectors.amounts`, the same arithmetic the service saves with) and draws itself again when a line is
added, removed or picked from the nomenclature, or the payee or the date changes (the accounts follow the payee,
the VAT rates the payee's regime on the date).

A change carries the values the user read (`InvoiceForm`'s snapshot, the lines among them) through every redraw;
the service merges it field by field over the invoice as kept now, and a conflict comes back on the form re-based
on the values as kept now, the conflicting field (or the lines) marked beside the user's value (core.conflicts).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.billing import policies
from kontora.billing.forms.invoices import (
    LINE_FIELDS,
    MAX_LINES,
    TABLE,
    CancelForm,
    InvoiceForm,
    JournalFilterForm,
    LineForm,
    invoice_stored,
    item_line,
    line_count,
    line_prefix,
    rate_label,
    rate_value,
    stored_lines,
    text_lines,
    typed_lines,
)
from kontora.billing.models import Invoice
from kontora.billing.selectors import invoices as selectors
from kontora.billing.selectors.amounts import Line, LineAmounts, invoice_totals
from kontora.billing.selectors.card import card_journal_pills
from kontora.billing.selectors.payments import HIDDEN_CAP
from kontora.billing.selectors.vat import Offer
from kontora.billing.services import invoices as services
from kontora.clients import policies as client_policies
from kontora.clients.models import Client
from kontora.core.conflicts import EditConflict
from kontora.core.errors import DomainError, NotAllowed, Refused, error_messages
from kontora.core.htmx import go, is_htmx
from kontora.core.models import LegalEntity
from kontora.core.selectors.calendar import user_today
from kontora.core.text import id_param
from kontora.core.ui.pager import AFTER
from kontora.core.ui.submit import act, modal
from kontora.directories.models import NomenclatureItem

PAGE = 50
# An invoice takes money once issued and until paid in full (services.payments.invoice_payable says why not).
PAYABLE = (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID)
# Acts and invoice-facturas are entered on an issued invoice, paid or not (services.documents).
BASIS = (Invoice.Status.ISSUED, Invoice.Status.PARTLY_PAID, Invoice.Status.PAID)


# --- journals ---------------------------------------------------------------------------------------------------


def _row(invoice: selectors.InvoiceRow) -> dict[str, Any]:
    return {"invoice": invoice, "href": reverse("billing:invoice", args=[invoice.pk])}


@login_required
@require_GET
def card_invoices(request: HttpRequest, client_id: int) -> HttpResponse:
    """The card's «Счета» tab: the strip of billing's journals and the client's invoices, every author's, newest
    first, 50 at a time, with the totals; Ins (and the button) opens a new invoice of the client."""
    user = user_of(request)
    client = client_policies.clients.get(user, client_id)
    page = selectors.client_invoices_page(client, cursor=request.GET, size=PAGE)
    context = {
        "client": client,
        "rows": [_row(invoice) for invoice in page.rows],
        "next_url": page.link(reverse("billing:card_invoices", args=[client.pk]), AFTER),
        "with_client": False,
        "columns": 8,
    }
    if AFTER in request.GET:
        return HttpResponse(render_to_string("billing/invoices/journal_rows.html", context))
    context.update({
        "pills": card_journal_pills(client.pk, "invoices"),
        "totals": selectors.client_invoices_totals(client),
        "can_add": policies.can_write_for(user, client),
        "new_url": reverse("billing:invoice_new") + f"?client={client.pk}",
        "journal_url": reverse("billing:invoices") + f"?client={client.pk}",
    })
    return HttpResponse(render_to_string("billing/invoices/card_invoices.html", context, request=request))


def _journal_client(user: Any, raw: str | None) -> Client | None:
    if raw in (None, ""):
        return None
    return client_policies.clients.get(user, raw)  # 404 for a client the user may not open


@login_required
@require_GET
def journal(request: HttpRequest) -> HttpResponse:
    """Журналы → «Журнал счетов»: the user's invoices (every employee's with «журналы всех сотрудников») of the
    clients he opens, filtered by period, status and payee, newest first, with the totals of the filtered set; with
    `?client=` one client's invoices, every author's."""
    user = user_of(request)
    client = _journal_client(user, request.GET.get("client"))
    form = JournalFilterForm(request.GET or None)
    choice = form.choice()
    page = selectors.invoice_journal(fetched_by=user, client=client, after=request.GET.get(AFTER, ""), size=PAGE,
                                     **choice)
    base = reverse("billing:invoices")
    kept = {name: request.GET.get(name, "") for name in ("date_from", "date_to", "status", "legal_entity", "client")}
    context: dict[str, Any] = {
        "rows": [_row(invoice) for invoice in page.rows],
        "next_url": page.link(base, AFTER, **kept),
        "with_client": True,
        "columns": 9,
    }
    if is_htmx(request) and request.GET.get(AFTER):
        return render(request, "billing/invoices/journal_rows.html", context)
    everyone = client is None and policies.sees_all_employees(user)
    invoices = selectors.journal_invoices(user, selectors.JournalChoice(client=client, **choice))
    new_url = reverse("billing:invoice_new")
    context.update({
        "form": form, "base": base, "client": client, "everyone": everyone,
        "totals": selectors.invoice_totals_of(invoices),
        "hidden": selectors.hidden_invoices_count(user, selectors.JournalChoice(client=client, **choice),
                                                  after=request.GET.get(AFTER, "")),
        "hidden_cap": HIDDEN_CAP,
        "new_url": f"{new_url}?client={client.pk}" if client is not None else new_url,
    })
    return render(request, "billing/invoices/journal.html", context)


# --- the form ---------------------------------------------------------------------------------------------------


@dataclass
class Editor:
    """The invoice form as drawn: its head, its lines with their amounts, the totals."""

    head: InvoiceForm
    lines: list[dict[str, Any]]
    totals: Any
    offer: Offer | None
    offer_error: str
    show_errors: bool


def _index(raw: Any) -> int | None:
    """A line's index from the query string (0 is the first line, so not an id)."""
    text = str(raw or "")
    return int(text) if text.isascii() and text.isdigit() and int(text) < MAX_LINES else None


def _entity(raw: Any) -> LegalEntity | None:
    if isinstance(raw, LegalEntity):
        return raw
    pk = id_param(raw)
    return LegalEntity.objects.filter(pk=pk).first() if pk is not None else None


def _date(raw: Any, default: datetime.date) -> datetime.date:
    try:
        value = forms.DateField(widget=forms.DateInput).to_python(raw)
    except ValidationError:
        return default
    return value or default


def _offer(entity: LegalEntity | None, on: datetime.date) -> tuple[Offer | None, str]:
    if entity is None:
        return None, ""
    try:
        return selectors.rates_offered(entity, on), ""
    except Refused as exc:
        return None, exc.message


def _lines_data(lines: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"lines": str(len(lines))}
    for index, values in enumerate(lines):
        for name in LINE_FIELDS:
            value = values.get(name, "")
            data[f"{line_prefix(index)}-{name}"] = "" if value is None else str(value)
    return data


def _line_amounts(form: LineForm, included: bool) -> LineAmounts | None:
    if not form.is_valid() or form.blank:
        return None
    data = form.cleaned_data
    try:
        return invoice_totals([Line(quantity=data["quantity"], price=data["price"],
                                    discount=data.get("discount") or Decimal(0), vat_rate=form.rate(),
                                    vat_included=included)]).lines[0]
    except Refused:
        return None


def _editor(user: Any, *, head: InvoiceForm, lines: list[dict[str, Any]] | Mapping[str, Any], offer: Offer | None,
            offer_error: str, included: bool, show_errors: bool = False) -> Editor:
    data = lines if isinstance(lines, Mapping) else _lines_data(lines)
    rows: list[dict[str, Any]] = []
    search = reverse("billing:invoice_items")
    for index in range(line_count(data)):
        form = LineForm(data, prefix=line_prefix(index), offer=offer)
        # typing a name looks the nomenclature up (invoice_items); a match picked fills the line
        form.fields["name"].widget.attrs.update({
            "hx-get": f"{search}?line={index}", "hx-trigger": "input changed delay:300ms",
            "hx-target": f"#line-{index}-found", "hx-swap": "innerHTML", "autocomplete": "off"})
        rows.append({"index": index, "form": form, "amounts": _line_amounts(form, included)})
    counted = [row["amounts"] for row in rows if row["amounts"] is not None]
    totals = {"net": sum((a.net for a in counted), Decimal("0.00")), "vat": sum((a.vat for a in counted),
              Decimal("0.00")), "gross": sum((a.gross for a in counted), Decimal("0.00"))}
    return Editor(head=head, lines=rows, totals=totals, offer=offer, offer_error=offer_error, show_errors=show_errors)


def _client_for_writing(user: Any, raw: Any) -> Client:
    """The invoice's client: one the user opens (404 otherwise) and may write invoices for (403 otherwise)."""
    client = client_policies.clients.get(user, raw)
    if not policies.can_write_for(user, client):
        raise PermissionDenied
    return client


def _head_initial(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: values.get(name) for name in InvoiceForm.base_fields}


def _new_initial(user: Any, client: Client | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    defaults = selectors.invoice_defaults(fetched_by=user)
    today = user_today(user)
    head = {"client": client.pk if client else None, "legal_entity": defaults.legal_entity,
            "bank_account": defaults.bank_account, "date": today, "vat_mode": Invoice.VatMode.INCLUDED}
    offer, _error = _offer(defaults.legal_entity, today)
    return head, [{"vat_rate": rate_value(offer.default) if offer else "", "quantity": "1"}]


def _stored(invoice: Invoice) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    lines = stored_lines(invoice)
    return invoice_stored(invoice, lines), lines


def _head_form(user: Any, *, data: Any = None, initial: Mapping[str, Any], client: Client | None, fixed: bool,
               entity: LegalEntity | None, read_token: str = "") -> InvoiceForm:
    return InvoiceForm(data, initial=dict(initial), user=user, client=client, entity=entity, fixed_client=fixed,
                       read_token=read_token)


def _counting(user: Any, values: Mapping[str, Any]) -> tuple[Offer | None, str, bool]:
    """The VAT rates offered (or why none) and whether VAT is included, by the head's payee, date and VAT mode."""
    offer, offer_error = _offer(_entity(values.get("legal_entity")), _date(values.get("date"), user_today(user)))
    return offer, offer_error, values.get("vat_mode", Invoice.VatMode.INCLUDED) != Invoice.VatMode.ON_TOP


def _draw(request: HttpRequest, *, user: Any, values: Mapping[str, Any], lines: Any, client: Client | None,
          fixed: bool, bound: bool = False, initial: Mapping[str, Any] | None = None) -> Editor:
    """The editor over `values` (the head as posted or initial) and `lines`; `bound`: checked, errors shown.
    `initial`: what a bound head compares with when no snapshot of what was read is posted (the values as stored);
    drawn again unbound over what is typed, the head carries the posted snapshot on."""
    offer, offer_error, included = _counting(user, values)
    head = _head_form(user, data=values if bound else None,
                      initial=_head_initial(initial if initial is not None else values), client=client,
                      fixed=fixed, entity=_entity(values.get("legal_entity")),
                      read_token=str(values.get(InvoiceForm.read_key + "-read", "") or ""))
    return _editor(user, head=head, lines=lines, offer=offer, offer_error=offer_error, included=included,
                   show_errors=bound)


def _page(request: HttpRequest, editor: Editor, *, invoice: Invoice | None, client: Client | None, fixed: bool,
          status: int = 200) -> HttpResponse:
    if invoice is not None:
        action, back = reverse("billing:invoice_edit", args=[invoice.pk]), reverse("billing:invoice",
                                                                                     args=[invoice.pk])
    else:
        action = reverse("billing:invoice_new") + (f"?client={client.pk}" if fixed and client else "")
        back = (reverse("clients:card", args=[client.pk]) + "#tab-invoices") if fixed and client else reverse(
            "billing:invoices")
    return render(request, "billing/invoices/form.html", {
        "editor": editor, "invoice": invoice, "client": client, "fixed": fixed, "action": action, "back": back,
    }, status=status)


def _rebased(user: Any, editor: Editor, exc: EditConflict) -> Editor:
    """After a conflict: the head re-based on the invoice as kept now (the conflicting fields marked); the lines the
    user's if he changed them, else as kept now, so saving again writes his changes and nothing of the old reading."""
    head = editor.head
    mine = TABLE in head.changed_data
    head.apply_error(exc)
    if mine:
        return editor
    lines = text_lines(exc.current.get("", {}).get(TABLE))
    offer, offer_error, included = _counting(user, head.data)
    return _editor(user, head=head, lines=lines, offer=offer, offer_error=offer_error, included=included,
                   show_errors=True)


def _save(request: HttpRequest, user: Any, editor: Editor, invoice: Invoice | None) -> tuple[Invoice | None, Editor]:
    """The invoice saved through its service, or None with the errors put next to their fields (and the editor to
    draw: re-based after a conflict)."""
    head = editor.head
    lines_ok = all(row["form"].is_valid() for row in editor.lines)
    typed = [row["form"] for row in editor.lines if not row["form"].blank] if lines_ok else []
    if not head.is_valid() or not lines_ok:
        return None, editor
    if not typed:
        head.add_error(None, _("Add at least one line to the invoice."))
        return None, editor
    data = head.cleaned_data
    items = {item.pk: item for item in NomenclatureItem.objects.filter(
        pk__in=[form.cleaned_data["item"] for form in typed if form.cleaned_data.get("item")])}
    invoice_data = services.InvoiceData(
        client=data["client"], date=data["date"], legal_entity=data["legal_entity"],
        bank_account=data.get("bank_account"), attention=data.get("attention"), due_date=data.get("due_date"),
        vat_mode=data["vat_mode"], note=data.get("note") or "",
        lines=[services.LineData(name=form.cleaned_data["name"] or "", quantity=form.cleaned_data["quantity"],
                                 price=form.cleaned_data["price"], unit=form.cleaned_data.get("unit") or "",
                                 discount=form.cleaned_data.get("discount") or Decimal(0), vat_rate=form.rate(),
                                 item=items.get(form.cleaned_data.get("item") or 0))
               for form in typed],
    )
    try:
        if invoice is None:
            return services.invoice_create(acting_user=user, data=invoice_data), editor
        return services.invoice_update(acting_user=user, invoice_id=invoice.pk, data=invoice_data,
                                       edit=head.edit()), editor
    except NotAllowed:
        raise
    except EditConflict as exc:
        return None, _rebased(user, editor, exc)
    except (DomainError, ValidationError) as exc:
        field = getattr(exc, "field", None)
        for text in error_messages(exc):
            head.add_error(field if field in head.fields else None, text)
        return None, editor


def _editor_answer(request: HttpRequest, user: Any, *, invoice: Invoice | None, client: Client | None,
                   fixed: bool, initial: tuple[dict[str, Any], list[dict[str, Any]]]) -> HttpResponse:
    if request.method == "POST":
        editor = _draw(request, user=user, values=request.POST, lines=request.POST, client=client, fixed=fixed,
                       bound=True, initial=initial[0] if invoice is not None else None)
        saved, editor = _save(request, user, editor, invoice)
        if saved is not None:
            messages.success(request, _("Invoice %(number)s saved.") % {"number": saved.shown_number})
            return go(request, reverse("billing:invoice", args=[saved.pk]))
        return _page(request, editor, invoice=invoice, client=client, fixed=fixed)
    head, lines = initial
    editor = _draw(request, user=user, values=head, lines=lines, client=client, fixed=fixed)
    return _page(request, editor, invoice=invoice, client=client, fixed=fixed)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_new(request: HttpRequest) -> HttpResponse:
    """A new invoice: from a card (`?client=`, the client fixed) or from the journal (a client picker)."""
    user = user_of(request)
    raw = request.GET.get("client")
    client = _client_for_writing(user, raw) if raw else None
    if client is None and request.method == "POST" and request.POST.get("client"):
        client = _client_for_writing(user, request.POST.get("client"))
    fixed = bool(raw)
    return _editor_answer(request, user, invoice=None, client=client, fixed=fixed,
                          initial=_new_initial(user, client))


def _editable(user: Any, pk: int) -> Invoice:
    invoice = selectors.access_invoice(user, pk)
    if not policies.can_write_for(user, invoice.client):
        raise PermissionDenied
    return invoice


def may_edit(invoice: Invoice) -> bool:
    """A draft, or an issued invoice nothing is paid on yet, is changed (services.invoices.invoice_update)."""
    return invoice.status in (Invoice.Status.DRAFT, Invoice.Status.ISSUED) and invoice.paid == 0


@login_required
@require_http_methods(["GET", "POST"])
def invoice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice's form for a change (a draft, or issued with nothing paid); otherwise back to its page."""
    user = user_of(request)
    invoice = _editable(user, pk)
    if not may_edit(invoice):
        messages.error(request, _("Payments are counted towards the invoice or it is cancelled: it cannot be "
                                  "changed."))
        return go(request, reverse("billing:invoice", args=[invoice.pk]))
    return _editor_answer(request, user, invoice=invoice, client=invoice.client, fixed=True,
                          initial=_stored(invoice))


@login_required
@require_POST
def invoice_form(request: HttpRequest) -> HttpResponse:
    """The form drawn again as the user changes it (htmx): `op=amounts` answers the lines' and the totals' amounts
    (out of band, the inputs stay as typed); `add`, `remove` (`line`), `pick` (`line`, `item`) and `head` (the
    client, payee, date or VAT mode changed) answer the form's body with the lines as typed."""
    user = user_of(request)
    data = request.POST
    fixed = data.get("fixed") == "1"
    client = _client_for_writing(user, data["client"]) if data.get("client") else None
    op = request.GET.get("op", "head")
    if op == "amounts":
        editor = _draw(request, user=user, values=data, lines=data, client=client, fixed=fixed)
        return render(request, "billing/invoices/partials/amounts.html", {"editor": editor})
    lines = typed_lines(data)
    index = _index(request.GET.get("line"))
    if op == "add":
        offer, _error = _offer(_entity(data.get("legal_entity")), _date(data.get("date"), user_today(user)))
        lines.append({"quantity": "1", "vat_rate": rate_value(offer.default) if offer else ""})
    elif op == "remove" and index is not None and index < len(lines):
        del lines[index]
    elif op == "pick" and index is not None and index < len(lines):
        item_id = id_param(request.GET.get("item")) or 0
        item = NomenclatureItem.objects.select_related("unit", "vat_rate").filter(pk=item_id, is_active=True).first()
        if item is not None:
            offer, _error = _offer(_entity(data.get("legal_entity")), _date(data.get("date"), user_today(user)))
            lines[index] = item_line(item, offer, lines[index])
    values: dict[str, Any] = dict(data.items())
    if op == "head" and values.get("legal_entity") != values.get("entity_was"):
        account = selectors.default_account(_entity(values.get("legal_entity")))
        values["bank_account"] = account.pk if account else ""
    editor = _draw(request, user=user, values=values, lines=lines, client=client, fixed=fixed)
    return render(request, "billing/invoices/partials/form_body.html", {"editor": editor, "fixed": fixed,
                                                                         "client": client})


@login_required
@require_GET
def invoice_items(request: HttpRequest) -> HttpResponse:
    """The nomenclature's goods and services whose name or article match what is typed in a line's name (htmx):
    each offered as a button that fills the line."""
    index = _index(request.GET.get("line"))
    if index is None:
        raise Http404
    text = request.GET.get(f"{line_prefix(index)}-name", "")
    return render(request, "billing/invoices/partials/items_found.html", {
        "items": selectors.nomenclature_found(text), "index": index, "typed": text.strip()})


# --- the invoice's page and its actions ------------------------------------------------------------------------


@login_required
@require_GET
def invoice(request: HttpRequest, pk: int) -> HttpResponse:
    """«Счёт № АМ-422 от 07.12.2026»: the client, the payee, the status, the lines, the totals with VAT, paid and
    due; the buttons the user's rights and the invoice's state allow."""
    user = user_of(request)
    found = selectors.access_invoice(user, pk)
    writes = policies.can_write_for(user, found.client)
    lines = list(found.lines.order_by("position"))
    return render(request, "billing/invoices/invoice.html", {
        "invoice": found, "lines": lines,
        "vat_by_rate": _vat_by_rate(lines),
        "can_edit": writes and may_edit(found),
        "can_issue": writes and found.status == Invoice.Status.DRAFT,
        "can_cancel": writes and policies.can_cancel_invoice(user) and found.status != Invoice.Status.CANCELLED,
        "can_copy": writes,
        "can_pay": writes and found.status in PAYABLE,
        "can_base": writes and found.status in BASIS,
        "payment_url": reverse("billing:payment_new", args=[found.client_id]) + f"?invoice={found.pk}",
        "card_url": reverse("clients:card", args=[found.client_id]) + "#tab-invoices",
    })


def _vat_by_rate(lines: list[Any]) -> list[tuple[str, Decimal]]:
    by_rate: dict[Any, Decimal] = {}
    for line in lines:
        by_rate[line.vat_rate] = by_rate.get(line.vat_rate, Decimal("0.00")) + line.vat
    return [(rate_label(rate), amount) for rate, amount in by_rate.items()]


@login_required
@require_POST
def invoice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """«Выставить»: the draft becomes an issued invoice."""
    user = user_of(request)
    found = _editable(user, pk)
    page = reverse("billing:invoice", args=[found.pk])
    return act(request, lambda: services.invoice_issue(acting_user=user, invoice_id=found.pk), done=page,
               message=_("The invoice is issued."))


@login_required
@require_http_methods(["GET", "POST"])
def invoice_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """«Отменить» with a reason (the right to cancel invoices); refused while live payments count towards it."""
    user = user_of(request)
    found = _editable(user, pk)
    if not policies.can_cancel_invoice(user):
        raise PermissionDenied
    form = CancelForm(request.POST or None)
    page = reverse("billing:invoice", args=[found.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.invoice_cancel(acting_user=user, invoice_id=found.pk, reason=form.cleaned_data["reason"])
        except NotAllowed:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The invoice is cancelled."))
            return go(request, page)
    return modal(request, "billing/invoices/cancel_form.html",
                 {"form": form, "invoice": found, "action": reverse("billing:invoice_cancel", args=[found.pk]),
                  "back": page}, page="core/ui/modal_page.html")


@login_required
@require_POST
def invoice_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """«Копировать»: a new draft with the invoice's client, payee and lines, dated today; its form opens."""
    user = user_of(request)
    found = _editable(user, pk)
    try:
        copy = services.invoice_copy(acting_user=user, invoice_id=found.pk, date=user_today(user))
    except NotAllowed:
        raise
    except DomainError as exc:
        for text in error_messages(exc):
            messages.error(request, text)
        return go(request, reverse("billing:invoice", args=[found.pk]))
    messages.success(request, _("Invoice %(number)s is a copy of %(source)s.") % {
        "number": copy.shown_number, "source": found.shown_number})
    return go(request, reverse("billing:invoice_edit", args=[copy.pk]))


@login_required
@require_GET
def invoice_payments(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice's «Платежи» tab: the payments counted towards it, live and cancelled, with the part applied."""
    user = user_of(request)
    found = selectors.access_invoice(user, pk)
    return render(request, "billing/invoices/partials/payments.html", {
        "invoice": found, "payments": list(selectors.invoice_payments(fetched_by=user, invoice=found)),
    })
