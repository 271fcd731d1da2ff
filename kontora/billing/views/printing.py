"""«Счёт на оплату» of an invoice (INV-06): the PDF (by default) or the printable page (`?format=html`), with the
stamp and signatures when asked (`?stamp=1`); and «Отправить по e-mail» — the PDF attached to a letter from the
user's own mailbox. Both for whoever may open the invoice's client (404 otherwise)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from kontora.accounts.policies import user_of
from kontora.billing.forms.printing import InvoiceSendForm
from kontora.billing.selectors import printing as selectors
from kontora.billing.selectors.invoices import access_invoice
from kontora.billing.services.printing import invoice_send as send_service
from kontora.core import printing
from kontora.core.ui.submit import leaving_for, modal, submit
from kontora.messaging.models import Letter
from kontora.messaging.selectors.recipients import mailbox_problem


@login_required
@require_GET
def invoice_print(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = access_invoice(user_of(request), pk)
    stamped = request.GET.get("stamp") == "1"
    context = selectors.invoice_context(invoice, stamped=stamped)
    title = context["doc"].title
    if request.GET.get("format") == "html":
        pdf_url = reverse("billing:invoice_print", args=[invoice.pk]) + "?" + urlencode(
            {"format": "pdf", **({"stamp": "1"} if stamped else {})})
        return render(request, selectors.INVOICE_TEMPLATE,
                      printing.html_context({**context, "pdf_url": pdf_url}, title=title))
    return printing.pdf_response(selectors.INVOICE_TEMPLATE, context, filename=selectors.invoice_file_name(invoice),
                                 title=title, request=request)


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
