"""The print forms of acts and invoice-facturas (INV-05, INV-06), through the print module (`core.printing`):

- the act: «Акт № … от …», executor and customer, the lines, totals with VAT, the sum in words, both parties'
  signatures — the stamp and the director's facsimile when asked (`?stamp=1`), as on «Счёт на оплату»;
- the invoice-factura in the form of Decree 1137 as in force on its date: from 2026-04-01 with line 5б, the advance
  invoice-facturas the shipment is set off against (Federal Law 425-FZ); before it without; an advance one with the
  calculated rate (22/122) and dashes in the goods' columns; never a stamp;
- the УПД (`?form=upd&status=1|2`): the same data as a universal transfer document — status 1, the invoice-factura
  and the transfer document; status 2, the transfer document only.

Printed forms are Russian whatever the user's language: they are legal documents of Russian law."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from kontora.accounts.policies import user_of
from kontora.billing.models import InvoiceFactura
from kontora.billing.selectors import documents as selectors
from kontora.billing.selectors import printing as forms
from kontora.core import printing

# The 2026 amendment of Decree 1137 (line 5б: the advance invoice-facturas of a shipment) applies from this day.
FORM_2026_FROM = datetime.date(2026, 4, 1)
UPD_STATUSES = ("1", "2")


def _rate(rate: Decimal | None, advance: bool) -> str:
    if rate is None:
        return "без НДС"
    shown = f"{rate.normalize():f}"
    return f"{shown}/{(rate + 100).normalize():f}" if advance else f"{shown}%"


def _party(client: Any) -> dict[str, str]:
    return {"name": client.full_name or client.short_name, "inn": client.inn or "", "kpp": client.kpp or "",
            "address": client.address or ""}


def _common(document: Any) -> dict[str, Any]:
    lines = selectors.document_lines(document)
    return {"document": document, "lines": lines, "entity": document.legal_entity,
            "customer": _party(document.client), "number": document.shown_number}


@login_required
@require_GET
def act_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The act as a PDF, or the printable page (`?format=html`); with the stamp and the director's facsimile when
    asked (`?stamp=1`)."""
    document = selectors.access_act(user_of(request), pk)
    stamped = request.GET.get("stamp") == "1"
    with translation.override("ru"):
        context = forms.act_context(document, stamped=stamped)
        title = context["doc"].title
        if request.GET.get("format") == "html":
            pdf_url = reverse("billing:act_print", args=[document.pk]) + "?" + urlencode(
                {"format": "pdf", **({"stamp": "1"} if stamped else {})})
            return render(request, forms.ACT_TEMPLATE,
                          printing.html_context({**context, "pdf_url": pdf_url}, title=title))
        return printing.pdf_response(forms.ACT_TEMPLATE, context, request=request,
                                     filename=forms.act_file_name(document), title=title)


def _day(on: datetime.date) -> str:
    """«7 декабря 2026 г.»"""
    return date_format(on, "j E Y г.")


@login_required
@require_GET
def factura_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice-factura (or, `?form=upd&status=1|2`, the УПД) as a PDF, in the form in force on its date."""
    document: InvoiceFactura = selectors.access_factura(user_of(request), pk)
    upd = request.GET.get("form") == "upd"
    status = request.GET.get("status", "1")
    if upd and status not in UPD_STATUSES:
        raise Http404
    with translation.override("ru"):
        context = _common(document)
        advance = document.is_advance
        context.update(
            advance=advance, form_2026=document.date >= FORM_2026_FROM, upd=upd, upd_status=status,
            rows=[(line, _rate(line.vat_rate, advance)) for line in context["lines"]], day=_day(document.date),
        )
        name = "upd" if upd else "factura"
        return printing.pdf_response("billing/documents/print_factura.html", context, request=request,
                                     landscape=True, filename=f"{name}-{document.number_year}-{document.number}.pdf")
