"""Acts of completed works and services (INV-05): entered from an invoice («ввести на основании»: its lines and
amounts copied, any of them left out) or on their own, changed while not cancelled, cancelled with who and why (the
right that cancels invoices). Each write in one transaction with its audit row on the client's card; the number is
taken in that transaction (kind "act", our legal entity, the date's year). The shared rules: `services.documents`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.billing import locks, policies
from kontora.billing.models import Act, ActLine, Invoice
from kontora.billing.services import documents
from kontora.billing.services.invoices import LineData
from kontora.clients.models import Client
from kontora.core.audit import audit_record, changes_between
from kontora.core.conflicts import Edit
from kontora.core.models import LegalEntity

NUMBER_KIND = "act"
ACT_FIELDS = ("client", "legal_entity", "invoice", "date", "vat_mode", "status", "gross", "vat", "note")


@dataclass(frozen=True)
class ActData:
    """An act as typed; an empty legal entity is our default one."""

    client: Client
    date: datetime.date
    lines: Sequence[LineData] = field(default_factory=tuple)
    legal_entity: LegalEntity | None = None
    vat_mode: str = Invoice.VatMode.INCLUDED
    note: str = ""


def _what(act: Act) -> str:
    return _("Act %(number)s") % {"number": act.shown_number}


def _save_new(acting_user: User, *, client: Client, entity: LegalEntity, date: datetime.date, vat_mode: str,
              note: str, invoice: Invoice | None, rows: list[ActLine]) -> Act:
    act: Act = documents.create_numbered(
        Act, acting_user, number_kind=NUMBER_KIND, fields=ACT_FIELDS, event="billing.act.create",
        summary=_("Act %(number)s created"), client=client, entity=entity, date=date, vat_mode=vat_mode, note=note,
        rows=rows, invoice=invoice)
    return act


def act_create(*, acting_user: User, data: ActData) -> Act:
    """A new act with its typed lines (VAT rates as the legal entity's regime offers them on its date)."""
    documents.check_client(acting_user, data.client)
    documents.check_date(acting_user, data.date)
    entity = documents.entity_or_default(acting_user, data.legal_entity)
    rows = documents.priced_rows(ActLine, entity=entity, date=data.date, vat_mode=data.vat_mode, lines=data.lines)
    with transaction.atomic():
        return _save_new(acting_user, client=data.client, entity=entity, date=data.date, vat_mode=data.vat_mode,
                         note=data.note, invoice=None, rows=rows)


def act_from_invoice(*, acting_user: User, invoice_id: int, date: datetime.date | None = None,
                     dropped: Iterable[int] = (), note: str = "") -> Act:
    """An act entered from an issued invoice: its client, legal entity and lines with the amounts it printed; the
    invoice's positions in `dropped` left out. Dated today unless `date` is given."""
    invoice = policies.invoices.get(acting_user, invoice_id)
    documents.check_client(acting_user, invoice.client)
    on = date or timezone.localdate()
    documents.check_date(acting_user, on)
    with transaction.atomic():
        invoice = locks.invoice(invoice.pk)
        documents.check_basis(invoice.client, invoice)
        rows = documents.rows_from_invoice(ActLine, invoice, dropped)
        return _save_new(acting_user, client=invoice.client, entity=invoice.legal_entity, date=on,
                         vat_mode=invoice.vat_mode, note=note, invoice=invoice, rows=rows)


def act_update(*, acting_user: User, act_id: int, date: datetime.date, note: str = "",
               lines: Sequence[LineData] | None = None, edit: Edit | None = None) -> Act:
    """Changes a not cancelled act: its date (within the number's year), note and — when `lines` is given — its
    lines, priced again (a rate the act already printed stays allowed). A form gives its `edit`: then only the
    fields the user changed are taken over the act as kept now (`documents.update_checked`)."""
    with transaction.atomic():
        act = locks.act(act_id)
        change, _changed = documents.update_checked(acting_user, act, documents.Change(date, note, lines), edit,
                                                    what=_what(act))
        old_rows = list(act.lines.select_related("item").order_by("position"))
        rows = None
        if change.lines is not None:
            rows = documents.priced_rows(ActLine, entity=act.legal_entity, date=change.date, vat_mode=act.vat_mode,
                                         lines=change.lines, kept_rates={row.vat_rate for row in old_rows})
        before = documents.values_of(act, ACT_FIELDS)
        act.date, act.note, act.changed_by = change.date, (change.note or "").strip(), acting_user
        changes = documents.lines_replace(act, old_rows, rows)
        act.save(update_fields=["date", "note", "net", "vat", "gross", "changed_by", "changed_at"])
        changes = changes_between(Act, before, documents.values_of(act, ACT_FIELDS), ACT_FIELDS) + changes
        audit_record(actor=acting_user, event="billing.act.update",
                     summary=_("Act %(number)s changed") % {"number": act.shown_number}, target=act,
                     client=act.client_id, changes=changes)
    return act


def act_cancel(*, acting_user: User, act_id: int, reason: str) -> Act:
    """Cancels the act (the right that cancels invoices): it stays, with who cancelled it, when and why."""
    reason = documents.cancel_checked(acting_user, reason)
    with transaction.atomic():
        act = locks.act(act_id)
        documents.cancel_audited(acting_user, act, reason, what=_what(act), event="billing.act.cancel",
                                 summary=_("Act %(number)s cancelled"), fields=ACT_FIELDS)
    return act
