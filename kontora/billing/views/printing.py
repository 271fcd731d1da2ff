"""Billing's print forms (INV-05, INV-06), each the PDF by default or the printable page (`?format=html`), through the
print module (`core.printing`) and the one print selector (`selectors.printing`):

- «Счёт на оплату» of an invoice, with the stamp and signatures when asked (`?stamp=1`); and «Отправить по e-mail» —
  the PDF attached to a letter from the user's own mailbox;
- the act, with the stamp and the director's facsimile when asked (`?stamp=1`);
- the invoice-factura in the form of Decree 1137 in force on its date, or (`?form=upd&status=1|2`) the УПД of the
  same data — never stamped, whatever is asked.

Each for whoever may open the document's client (404 otherwise). The act, the invoice-factura and the УПД are Russian
whatever the user's language: they are documents of Russian law."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from kontora.accounts.policies import user_of
from kontora.billing.forms.printing import InvoiceSendForm
from kontora.billing.selectors import printing as selectors
from kontora.billing.selectors.documents import access_act, access_factura
from kontora.billing.selectors.invoices import access_invoice
from kontora.billing.services.printing import invoice_send as send_service
from kontora.core import printing
from kontora.core.ui.submit import leaving_for, modal, submit
from kontora.messaging.models import Letter
from kontora.messaging.selectors.recipients import mailbox_problem


def _printed(request: HttpRequest, template: str, context: dict[str, Any], *, url: str, query: dict[str, str],
             filename: str, title: str, landscape: bool = False) -> HttpResponse:
    """The form as a PDF, or as the printable page (`?format=html`) whose PDF link keeps the same choices."""
    if request.GET.get("format") == "html":
        pdf_url = url + "?" + urlencode({"format": "pdf", **query})
        return render(request, template, printing.html_context({**context, "pdf_url": pdf_url}, landscape=landscape,
                                                               title=title))
    return printing.pdf_response(template, context, filename=filename, title=title, landscape=landscape,
                                 request=request)


def _stamped(request: HttpRequest) -> tuple[bool, dict[str, str]]:
    """«с печатью и подписью» asked (`?stamp=1`), and the query that keeps it."""
    stamped = request.GET.get("stamp") == "1"
    return stamped, ({"stamp": "1"} if stamped else {})


@login_required
@require_GET
def invoice_print(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = access_invoice(user_of(request), pk)
    stamped, query = _stamped(request)
    context = selectors.invoice_context(invoice, stamped=stamped)
    return _printed(request, selectors.INVOICE_TEMPLATE, context, query=query,
                    url=reverse("billing:invoice_print", args=[invoice.pk]),
                    filename=selectors.invoice_file_name(invoice), title=context["doc"].title)


@login_required
@require_GET
def act_print(request: HttpRequest, pk: int) -> HttpResponse:
    act = access_act(user_of(request), pk)
    stamped, query = _stamped(request)
    with translation.override("ru"):
        context = selectors.act_context(act, stamped=stamped)
        return _printed(request, selectors.ACT_TEMPLATE, context, query=query,
                        url=reverse("billing:act_print", args=[act.pk]),
                        filename=selectors.act_file_name(act), title=context["doc"].title)


@login_required
@require_GET
def factura_print(request: HttpRequest, pk: int) -> HttpResponse:
    factura = access_factura(user_of(request), pk)
    upd = request.GET.get("form") == "upd"
    status = request.GET.get("status", "1")
    if upd and status not in selectors.UPD_STATUSES:
        raise Http404
    # `?stamp=1` is heard and refused by the selector: an invoice-factura and a УПД are never stamped.
    stamped, _query = _stamped(request)
    with translation.override("ru"):
        context = selectors.factura_context(factura, upd=upd, upd_status=status, stamped=stamped)
        return _printed(request, selectors.FACTURA_TEMPLATE, context,
                        query={"form": "upd", "status": status} if upd else {},
                        url=reverse("billing:factura_print", args=[factura.pk]),
                        filename=selectors.factura_file_name(factura, upd=upd), title=context["doc"].title,
                        landscape=True)


@login_required
@require_http_methods(["GET", "POST"])
def invoice_send(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    invoice = access_invoice(user, pk)
    form = InvoiceSendForm(request.POST or None, initial=selectors.send_initial(invoice, user))

    def send() -> Letter:
        data = form.cleaned_data
        return send_service(acting_user=user, invoice_id=invoice.pk, recipient=data["recipient"],
                            subject=data["subject"], text=data["text"], stamped=data["stamp"])

    back = leaving_for(request) or reverse("clients:card", args=[invoice.client_id])
    context = {"form": form, "invoice": invoice, "problem": mailbox_problem(user), "back": back,
               "action": reverse("billing:invoice_send", args=[invoice.pk]),
               "print_url": reverse("billing:invoice_print", args=[invoice.pk])}
    # Sent from the invoice's page (its «next»), the user goes back there; else to the client's card.
    return submit(request, form, send, done=lambda letter: back,
        message=lambda letter: gettext("The invoice is queued to %(address)s: the outbox sends it in a moment.") % {
            "address": letter.recipient},
        page=lambda: modal(request, "billing/print/send_form.html", context, page="core/ui/modal_page.html"))
