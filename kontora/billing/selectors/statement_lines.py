"""Reads of loaded bank statements for their pages (INV-04): the user's statements, one statement or 404, its lines
with what each was matched to and the choices of an undecided one, and the totals.

A line's client and invoice are shown only while the reader may open the client; the candidates of an ambiguous
line likewise. The page's queries do not grow with the lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import Http404
from django.utils.translation import gettext as _

from kontora.billing import policies
from kontora.billing.models import StatementImport, StatementLine
from kontora.clients import access
from kontora.core.audit import shown
from kontora.core.text import id_param

ZERO = Decimal("0.00")
Match, Decision = StatementLine.Match, StatementLine.Decision


def statement_list(*, fetched_by: Any) -> Any:
    """The statements the user loaded (an administrator: everyone's), newest first, with their line counts."""
    return (policies.visible_statements(fetched_by).select_related("author", "legal_entity", "bank_account")
            .annotate(lines_total=Count("lines"), lines_recorded=Count("lines", filter=Q(lines__payment__isnull=False)))
            .order_by("-created_at", "-id"))


def access_statement(user: Any, statement_id: Any) -> StatementImport:
    """The statement, or the same 404 for a missing one and another user's."""
    if id_param(statement_id) is None:
        raise Http404
    found = (policies.visible_statements(user).select_related("author", "legal_entity", "bank_account")
             .filter(pk=statement_id).first())
    if found is None:
        raise Http404
    return found


@dataclass
class Row:
    line: StatementLine
    client: Any = None  # shown only when the reader opens it
    invoice: Any = None
    options: list[tuple[str, str]] = field(default_factory=list)  # an undecided line's choices: value → label
    undecided: bool = False


@dataclass
class Totals:
    matched: int = 0
    matched_sum: Decimal = ZERO
    unmatched: int = 0
    unmatched_sum: Decimal = ZERO
    excluded: int = 0
    duplicates: int = 0
    recorded: int = 0
    recorded_sum: Decimal = ZERO


def _name(client: Any) -> str:
    return str(client.short_name or client.full_name)


def _invoice_label(invoice: Any) -> str:
    return _("Invoice %(number)s of %(date)s — %(client)s, due %(due)s") % {
        "number": invoice.shown_number, "date": f"{invoice.date:%d.%m.%Y}", "client": _name(invoice.client),
        "due": shown(invoice.due)}


def statement_rows(*, fetched_by: Any, statement: StatementImport) -> tuple[list[Row], Totals]:
    """The statement's lines with their match as the reader may see it, and the totals (four queries)."""
    user = fetched_by
    opens = (access.opens_row_client(user) if access.visibility_shape(user) != access.NOBODY else Q(pk__in=[]))
    flag = ExpressionWrapper(Q(client__isnull=False) & opens, output_field=BooleanField())
    lines = list(statement.lines.select_related("client", "invoice", "payment").annotate(k_opens=flag)
                 .order_by("position"))
    invoice_ids = {c.get("invoice") for line in lines for c in line.candidates if c.get("invoice")}
    client_ids = {c.get("client") for line in lines for c in line.candidates if not c.get("invoice")}
    invoices = {invoice.pk: invoice for invoice in policies.visible_invoices(user).filter(pk__in=invoice_ids)
                .select_related("client")} if invoice_ids else {}
    clients = {client.pk: client for client in access.openable_clients(user).filter(pk__in=client_ids)} \
        if client_ids else {}
    rows: list[Row] = []
    totals = Totals()
    for line in lines:
        row = Row(line=line)
        if line.k_opens:  # type: ignore[attr-defined]
            row.client, row.invoice = line.client, line.invoice
        if line.payment_id is not None:
            totals.recorded += 1
            totals.recorded_sum += line.amount
        elif line.match == Match.DUPLICATE:
            totals.duplicates += 1
        elif line.decision == Decision.EXCLUDE:
            totals.excluded += 1
        elif line.decision == Decision.RECORD and row.client is not None:
            totals.matched += 1
            totals.matched_sum += line.amount
        else:
            totals.unmatched += 1
            totals.unmatched_sum += line.amount
        if line.payment_id is None and line.match != Match.DUPLICATE:
            row.undecided = line.decision != Decision.RECORD or row.client is None
            for candidate in line.candidates:
                invoice = invoices.get(candidate.get("invoice") or 0)
                client = clients.get(candidate.get("client") or 0)
                if invoice is not None:
                    row.options.append((f"invoice:{invoice.pk}", _invoice_label(invoice)))
                elif client is not None and not candidate.get("invoice"):
                    row.options.append((f"client:{client.pk}", _("%(client)s — advance") % {"client": _name(client)}))
        rows.append(row)
    return rows, totals
