"""Payments' pages (INV-04, CLI-14): the payment form (a modal, from the card, the journal or an invoice), a payment's
page with its storno and «Зачесть аванс», Журналы → «Журнал платежей» and the card's «Платежи».

Every page starts from the client set of the card level: a payment of a client the user may not open is the same
404 as a missing one; recording, cancelling and applying need the client's card editable (the services check it
again), cancelling the right `cancel_payments`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.billing import policies
from kontora.billing.forms.payments import (
    AdvanceApplyForm,
    PaymentCancelForm,
    PaymentClientForm,
    PaymentFilterForm,
    PaymentForm,
    money_text,
)
from kontora.billing.models import Invoice, Payment
from kontora.billing.selectors import payments as selectors
from kontora.billing.selectors.invoices import client_advance, payment_unapplied
from kontora.billing.services import payments as services
from kontora.clients import policies as client_policies
from kontora.clients.models import Client
from kontora.core.errors import Refused
from kontora.core.htmx import is_htmx
from kontora.core.selectors.calendar import user_today
from kontora.core.text import id_param
from kontora.core.ui.links import IdLink
from kontora.core.ui.pager import AFTER, BEFORE
from kontora.core.ui.submit import act, leaving_for, modal, submit

PAGE = 50
FORM = "billing/payments/payment_form.html"


def _writable(user: Any, client_id: Any) -> Client:
    """The client, opened by the user (404 otherwise) and editable by him (403 otherwise)."""
    client = client_policies.clients.get(user, client_id)
    if not policies.can_write_for(user, client):
        raise PermissionDenied
    return client


# --- the payment form ---------------------------------------------------------------------------------------------


def _asked(request: HttpRequest, client: Client) -> Invoice | None:
    """The invoice the form was opened for (`?invoice=`), when it is the client's."""
    number = id_param(request.GET.get("invoice"))
    return None if number is None else selectors.client_invoices(client).filter(pk=number).first()


def _payment_form(user: Any, client: Client, asked: Invoice | None, data: Any = None) -> PaymentForm:
    initial: dict[str, Any] = {"date": user_today(user), "payer": client.full_name or client.short_name}
    if asked is not None:
        initial["invoice"] = str(asked.pk)
        if asked.status in selectors.PAYABLE:
            initial["amount"] = asked.due
    return PaymentForm(data, client=client, asked=asked, initial=initial)


def _form_page(request: HttpRequest, client: Client, form: PaymentForm, asked: Invoice | None) -> HttpResponse:
    problem = ""
    if asked is not None and not form.is_bound:
        try:
            services.invoice_payable(asked)
        except Refused as exc:
            problem = exc.message
    context = {
        "form": form, "client": client, "problem": problem,
        "action": reverse("billing:payment_new", args=[client.pk]),
        "cancel_url": reverse("clients:card", args=[client.pk]),
    }
    return modal(request, FORM, context, page="core/ui/modal_page.html")


@login_required
@require_http_methods(["GET", "POST"])
def payment_new(request: HttpRequest, client_id: int) -> HttpResponse:
    """«Оплата»: a new payment of the client — for one of his invoices (`?invoice=` pre-fills it and its due) or
    his advance. Saved, the user goes to the payment's page (what it paid, the invoice's status)."""
    user = user_of(request)
    client = _writable(user, client_id)
    asked = _asked(request, client)
    form = _payment_form(user, client, asked, request.POST or None)

    def save() -> Payment:
        data = form.cleaned_data
        return services.payment_record(
            acting_user=user, client=client, date=data["date"], amount=data["amount"], invoice=data["invoice"],
            kind=data["kind"], payer=data["payer"], bank_document=data["bank_document"], note=data["note"],
            overpayment=services.Overpayment(data["overpayment"]), legal_entity=data["legal_entity"])

    return submit(request, form, save, done=lambda payment: reverse("billing:payment", args=[payment.pk]),
                  page=lambda: _form_page(request, client, form, asked),
                  message=lambda payment: gettext("Payment %(number)s recorded.") % {
                      "number": payment.shown_number})


@login_required
@require_http_methods(["GET", "POST"])
def payment_pick(request: HttpRequest) -> HttpResponse:
    """Ins in the journal: the client who paid (the clients picker), then the payment form for him in the same
    modal. A client the user may not open is a 404, one he may not edit a 403, as the form's own address answers."""
    user = user_of(request)
    form = PaymentClientForm(request.POST or None, user=user)
    if request.method == "POST":
        number = id_param(request.POST.get("client"))
        if number is not None:
            client = _writable(user, number)
            if not is_htmx(request):
                return HttpResponseRedirect(reverse("billing:payment_new", args=[client.pk]))
            return _form_page(request, client, _payment_form(user, client, None), None)
        form.is_valid()
    return modal(request, "billing/payments/pick_form.html", {
        "form": form, "action": reverse("billing:payment_pick"), "cancel_url": reverse("billing:payments"),
    }, page="core/ui/modal_page.html")


# --- one payment --------------------------------------------------------------------------------------------------


def _payment_page(request: HttpRequest, user: Any, found: Payment, *, cancel_form: PaymentCancelForm | None = None,
                  apply_form: AdvanceApplyForm | None = None) -> HttpResponse:
    client = found.client
    may_edit = policies.can_write_for(user, client)
    unapplied = payment_unapplied(found)
    may_apply = may_edit and unapplied > 0
    context = {
        "payment": found, "client": client,
        "allocations": selectors.payment_allocations(found),
        "unapplied": unapplied,
        "client_advance": client_advance(fetched_by=user, client=client),
        "may_cancel": may_edit and not found.is_cancelled and policies.can_cancel_payment(user),
        "may_apply": may_apply,
        "may_add": may_edit,
        "cancel_form": cancel_form or PaymentCancelForm(),
        "apply_form": (apply_form or AdvanceApplyForm(client=client)) if may_apply else None,
        "card_url": reverse("clients:card", args=[client.pk]),
        "journal_url": f"{reverse('billing:payments')}?{urlencode({'client': client.pk})}",
        "here": reverse("billing:payment", args=[found.pk]),
    }
    return render(request, "billing/payments/payment.html", context)


@login_required
@require_GET
def payment(request: HttpRequest, pk: int) -> HttpResponse:
    """A payment: its data, what it paid (the invoices and the parts), the advance left, who cancelled it and why;
    «Сторнировать» and «Зачесть аванс» for those who may."""
    user = user_of(request)
    return _payment_page(request, user, policies.payments.get(user, pk))


@login_required
@require_POST
def payment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """«Сторнировать»: the payment cancelled with the reason (the right `cancel_payments`, the client editable)."""
    user = user_of(request)
    found = policies.payments.get(user, pk)
    if not (policies.can_write_for(user, found.client) and policies.can_cancel_payment(user)):
        raise PermissionDenied
    form = PaymentCancelForm(request.POST)
    return submit(request, form, lambda: services.payment_cancel(
        acting_user=user, payment_id=found.pk, reason=form.cleaned_data["reason"]),
        done=lambda cancelled: reverse("billing:payment", args=[cancelled.pk]),
        page=lambda: _payment_page(request, user, found, cancel_form=form),
        message=lambda cancelled: gettext("Payment %(number)s cancelled.") % {"number": cancelled.shown_number})


@login_required
@require_POST
def payment_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """«Зачесть аванс»: the advance left on the payment applied to one of the client's open invoices."""
    user = user_of(request)
    found = policies.payments.get(user, pk)
    if not policies.can_write_for(user, found.client):
        raise PermissionDenied
    form = AdvanceApplyForm(request.POST, client=found.client)
    return submit(request, form, lambda: services.advance_apply(
        acting_user=user, payment_id=found.pk, invoice_id=form.cleaned_data["invoice"].pk,
        amount=form.cleaned_data["amount"]),
        done=lambda allocation: reverse("billing:payment", args=[found.pk]),
        page=lambda: _payment_page(request, user, found, apply_form=form),
        message=lambda allocation: gettext("%(amount)s of the advance applied to invoice %(number)s.") % {
            "amount": money_text(allocation.amount), "number": allocation.invoice.shown_number})


@login_required
@require_POST
def advances_apply(request: HttpRequest, client_id: int) -> HttpResponse:
    """«Зачесть авансы автоматически»: every advance of the client applied to his open invoices, the oldest payment's
    money to the oldest invoice first. Back to where the button was (`next`), else the client's payments."""
    user = user_of(request)
    client = _writable(user, client_id)
    back = leaving_for(request) or f"{reverse('billing:payments')}?{urlencode({'client': client.pk})}"
    made: list[Any] = []
    ran: list[bool] = []

    def run() -> None:
        made.extend(services.advances_apply_auto(acting_user=user, client=client))
        ran.append(True)

    answer = act(request, run, done=back)
    if not ran:  # refused: act has said why
        return answer
    if made:
        messages.success(request, ngettext(
            "%(count)s part of the client's advances is applied to his open invoices, the oldest first.",
            "%(count)s parts of the client's advances are applied to his open invoices, the oldest first.",
            len(made)) % {"count": len(made)})
    else:
        messages.info(request, gettext("Nothing to apply: the client has no advance left or no invoice to pay."))
    return answer


# --- the journal and the card's pane ------------------------------------------------------------------------------


class _Links:
    """The addresses a row needs, reversed once a page rather than once a row."""

    def __init__(self) -> None:
        self.payment, self.card = IdLink("billing:payment"), IdLink("clients:card")


def _rows(page_rows: list[Payment]) -> list[dict[str, Any]]:
    links = _Links()
    return [{
        "payment": row, "href": links.payment(row.pk), "client_href": links.card(row.client_id),
        "unapplied": 0 if row.is_cancelled else row.amount - (getattr(row, "applied", None) or 0),
    } for row in page_rows]


def _kept(request: HttpRequest) -> dict[str, str]:
    """The filter as asked, for the "show more" link."""
    return {name: str(value) for name, value in request.GET.items() if name not in (AFTER, BEFORE) and value}


@login_required
@require_GET
def journal(request: HttpRequest) -> HttpResponse:
    """Журналы → «Журнал платежей»: the payments of the clients the user may open — his own only without «журналы
    всех сотрудников» —, newest first, 50 at a time, filtered by period, kind, payee and storno, with the totals;
    `?client=` lists one client's every payment (a client he may not open is a 404, as the card's own)."""
    user = user_of(request)
    client = None
    if "client" in request.GET:
        client = client_policies.clients.get(user, id_param(request.GET.get("client")) or 0)
    all_employees = policies.sees_all_employees(user)
    form = PaymentFilterForm(request.GET or None, all_employees=all_employees and client is None)
    choice = form.choice(client)
    page = selectors.payments_page(user, choice, cursor=request.GET, size=PAGE)
    base = reverse("billing:payments")
    context: dict[str, Any] = {
        "rows": _rows(page.rows), "next_url": page.link(base, AFTER, **_kept(request)), "show_client": client is None,
    }
    if is_htmx(request) and AFTER in request.GET:
        return render(request, "billing/payments/journal_rows.html", context)
    may_edit = client is not None and policies.can_write_for(user, client)
    context.update({
        "form": form, "base": base, "client": client, "everyone": all_employees and not choice.mine and not client,
        "totals": selectors.payments_totals(user, choice),
        "hidden": selectors.hidden_count(user, choice, request.GET), "hidden_cap": selectors.HIDDEN_CAP,
        "new_url": reverse("billing:payment_new", args=[client.pk]) if may_edit and client else (
            reverse("billing:payment_pick") if client is None else ""),
        "apply_url": reverse("billing:advances_apply", args=[client.pk]) if may_edit and client else "",
        "here": request.get_full_path(),
    })
    return render(request, "billing/payments/journal.html", context)


@login_required
@require_GET
def card_payments(request: HttpRequest, client_id: int) -> HttpResponse:
    """The card's «Платежи»: the client's every payment, newest first, 50 at a time, with the totals; Ins records
    one when the user may edit the client. Drawn without the request (a pane of the card's form: no form of its
    own inside)."""
    user = user_of(request)
    client = client_policies.clients.get(user, client_id)
    choice = selectors.PaymentChoice(client=client)
    page = selectors.payments_page(user, choice, cursor=request.GET, size=PAGE)
    context: dict[str, Any] = {
        "rows": _rows(page.rows), "show_client": False, "client": client,
        "next_url": page.link(reverse("billing:card_payments", args=[client.pk]), AFTER),
    }
    if AFTER in request.GET:
        return HttpResponse(render_to_string("billing/payments/journal_rows.html", context))
    context.update({
        "totals": selectors.payments_totals(user, choice),
        "new_url": reverse("billing:payment_new", args=[client.pk]) if policies.can_write_for(user, client) else "",
        "journal_url": f"{reverse('billing:payments')}?{urlencode({'client': client.pk})}",
    })
    return HttpResponse(render_to_string("billing/payments/card_payments.html", context))
