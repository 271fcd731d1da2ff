"""Bank statement import (INV-04): a 1C exchange file loaded and matched, its lines confirmed, then recorded as
payments in one go.

- `statement_load`: the file read (`selectors.statement`), refused when its account is none of ours; its incoming
  lines kept in the base with their match (`selectors.statement_match`), outgoing ones skipped and counted; a
  document recorded before is marked a duplicate and never recorded again;
- `statement_line_set`: the user picks an ambiguous or unmatched line's invoice or client, or excludes a line;
- `statement_record`: every confirmed line becomes a non-cash payment through `payments_record_many` (what
  `payment_record` does, line by line, in a few queries for the whole statement), all in one transaction — one
  refused line leaves nothing recorded, its refusal naming the line; lines without a client stay for the user.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.billing import locks, policies
from kontora.billing.models import StatementImport, StatementLine
from kontora.billing.selectors import statement_match as matching
from kontora.billing.selectors.statement import Direction, statement_read
from kontora.billing.services.payments import Overpayment, PaymentItem, payments_record_many
from kontora.core.audit import audit_record, shown
from kontora.core.errors import DomainError, NotAllowed, Refused
from kontora.core.models import BankAccount
from kontora.core.services.inserts import rows_update
from kontora.core.text import id_param

Match, Decision = StatementLine.Match, StatementLine.Decision
MATCHED = (Match.BY_NUMBER, Match.BY_INN_SUM, Match.CLIENT)


@dataclass(frozen=True)
class Recorded:
    """What «Провести» did: the lines recorded now, the lines left for the user, duplicates found at the last
    moment (recorded meanwhile by someone else)."""

    recorded: int
    left: int
    duplicates: int


def _account(accounts: tuple[str, ...]) -> BankAccount:
    found = {row.account: row for row in BankAccount.objects.filter(account__in=accounts)
             .select_related("legal_entity")}
    for account in accounts:
        if account in found:
            return found[account]
    raise Refused(_("The statement is for account %(accounts)s, which is none of our legal entities' accounts "
                    "(Settings → Constants): load the statement of our account.")
                  % {"accounts": ", ".join(accounts) or "—"}, field="file")


def _key(line: StatementLine) -> tuple[str, datetime.date, Decimal, str]:
    return (line.number, line.date, line.amount, line.payer_inn)


def _duplicates(user: User, lines: list[StatementLine]) -> set[int]:
    """Indexes of the lines recorded before (a live payment of the same bank document) or repeated in the list."""
    found = matching.recorded_before(fetched_by=user, documents=[_key(line) for line in lines],
                                     dates=[(line.payment_date,) for line in lines])
    seen: set[tuple[str, datetime.date, Decimal, str]] = set()
    for index, line in enumerate(lines):
        if _key(line) in seen:
            found.add(index)
        seen.add(_key(line))
    return found


def statement_load(*, acting_user: User, data: bytes, filename: str) -> StatementImport:
    """Reads the 1C exchange file, keeps its incoming lines with their match and returns the statement; refused
    (with the reason in Russian) when the file is not a readable 1C statement of one of our accounts."""
    if not data:
        raise Refused(_("The file is empty: choose the statement exported from the bank (1C format)."),
                      field="file")
    try:
        statement = statement_read(data)
    except Refused as refused:
        raise Refused(refused.message, field="file") from None
    account = _account(statement.accounts)
    ours = set(BankAccount.objects.values_list("account", flat=True))
    incoming = [doc for doc in statement.documents
                if doc.direction == Direction.INCOMING and doc.amount > 0
                and (doc.recipient_account in (account.account, "")) and doc.payer_account not in ours]
    skipped = len(statement.documents) - len(incoming)
    if not incoming:
        raise Refused(_("The statement has no incoming payments to our account (%(skipped)d outgoing lines "
                        "skipped).") % {"skipped": skipped}, field="file")
    lines = [
        StatementLine(position=position, number=doc.number[:64], date=doc.date, received=doc.received,
                      amount=doc.amount, payer=doc.payer[:500], payer_inn=doc.payer_inn[:12],
                      payer_account=doc.payer_account[:34], purpose=doc.purpose)
        for position, doc in enumerate(incoming, start=1)
    ]
    found = matching.match_lines(fetched_by=acting_user, legal_entity_id=account.legal_entity_id, lines=[
        matching.Incoming(line.date, line.amount, line.payer_inn, line.purpose) for line in lines])
    duplicates = _duplicates(acting_user, lines)
    for index, (line, match) in enumerate(zip(lines, found, strict=True)):
        if index in duplicates:
            line.match = Match.DUPLICATE
            continue
        line.match, line.invoice_id, line.client_id = match.match, match.invoice_id, match.client_id
        line.candidates = match.candidates
        line.decision = Decision.RECORD if match.match in MATCHED else Decision.PENDING
    with transaction.atomic():
        imported = StatementImport.objects.create(
            author=acting_user, filename=(filename or "")[:255], legal_entity=account.legal_entity,
            bank_account=account, period_start=statement.start, period_end=statement.end, skipped_outgoing=skipped)
        for line in lines:
            line.statement = imported
        StatementLine.objects.bulk_create(lines, batch_size=500)
        audit_record(actor=acting_user, event="billing.statement.load",
                     summary=_("Bank statement %(file)s loaded") % {"file": imported.filename}, target=imported,
                     extra={"lines": len(lines), "skipped": skipped, "duplicates": len(duplicates),
                            "matched": sum(1 for line in lines if line.decision == Decision.RECORD)})
    return imported


def _own(user: User, statement: StatementImport) -> None:
    """Lines are decided and recorded by the statement's importer only (an administrator reads it)."""
    if statement.author_id != user.pk:
        raise NotAllowed(_("Only the one who loaded the statement decides and records its lines."))


def _pick(user: User, line: StatementLine, choice: str, typed: str) -> None:
    entity = line.statement.legal_entity_id
    kind, _sep, value = choice.partition(":")
    picked = id_param(value)
    if kind == "invoice" and picked is not None:
        invoice = matching.writable_invoice(fetched_by=user, legal_entity_id=entity, invoice_id=picked)
        if invoice is None:
            raise Refused(_("The invoice is not found among the open invoices you may write for."), field="choice")
        line.invoice_id, line.client_id = invoice.pk, invoice.client_id
    elif kind == "client" and picked is not None:
        client = matching.writable_client(fetched_by=user, client_id=picked)
        if client is None:
            raise Refused(_("The client is not found among those you may write for."), field="choice")
        line.invoice_id, line.client_id = None, client.pk
    elif kind == "typed":
        invoices = matching.invoice_typed(fetched_by=user, legal_entity_id=entity, text=typed,
                                          year=line.date.year)
        clients = [] if invoices else matching.clients_typed(fetched_by=user, inn=typed)
        if len(invoices) == 1:
            line.invoice_id, line.client_id = invoices[0].pk, invoices[0].client_id
        elif len(clients) == 1:
            line.invoice_id, line.client_id = None, clients[0].pk
        elif len(invoices) + len(clients) > 1:
            raise Refused(_("«%(text)s» names several invoices or clients: type the number with its prefix "
                            "(«АМ-422»).") % {"text": typed.strip()}, field="typed")
        else:
            raise Refused(_("No open invoice numbered «%(text)s» of %(year)d nor client with this INN is found "
                            "among those you may write for.") % {"text": typed.strip(), "year": line.date.year},
                          field="typed")
    else:
        raise Refused(_("Choose the invoice or the client the payment is for."), field="choice")
    line.match = Match.CHOSEN
    line.decision = Decision.RECORD


def statement_line_set(*, acting_user: User, line_id: int, choice: str, typed: str = "") -> StatementLine:
    """The user's decision on a line: `choice` is "exclude", "record" (as matched), "invoice:<id>", "client:<id>"
    (his advance) or "typed" (the invoice number or the client's INN in `typed`)."""
    with transaction.atomic():
        line = locks.statement_line(line_id)
        _own(acting_user, line.statement)
        if line.payment_id is not None:
            raise Refused(_("The line is recorded already."), field="choice")
        if line.match == Match.DUPLICATE:
            raise Refused(_("The payment of this line was recorded before: it is not recorded again."),
                          field="choice")
        before = line.get_decision_display()
        if choice == "exclude":
            line.decision = Decision.EXCLUDE
        elif choice == "record":
            if line.client_id is None:
                raise Refused(_("Choose the invoice or the client the payment is for."), field="choice")
            line.decision = Decision.RECORD
        else:
            _pick(acting_user, line, choice, typed)
        line.save(update_fields=["match", "invoice", "client", "decision"])
        audit_record(actor=acting_user, event="billing.statement.line",
                     summary=_("Bank statement %(file)s: line %(position)d decided")
                     % {"file": line.statement.filename, "position": line.position},
                     target=line.statement, client=line.client_id,
                     changes=[{"field": _("Line %(position)d") % {"position": line.position}, "old": before,
                               "new": line.get_decision_display()}])
    return line


def _line_refused(line: StatementLine, refused: Refused | NotAllowed) -> Refused:
    return Refused(_("Line %(position)d (document No. %(number)s of %(date)s, %(amount)s): %(message)s Nothing is "
                     "recorded.") % {"position": line.position, "number": line.number,
                                     "date": f"{line.date:%d.%m.%Y}", "amount": shown(line.amount),
                                     "message": refused.message})


def statement_record(*, acting_user: User, statement_id: int) -> Recorded:
    """Records every confirmed line of the statement as a non-cash payment, all or nothing: towards the invoice
    found (its excess kept as the client's advance) or as the client's advance. Lines without a client, undecided
    or excluded stay as they are."""
    with transaction.atomic():
        statement = locks.statement(statement_id)
        _own(acting_user, statement)
        lines = list(statement.lines.filter(payment__isnull=True).select_related("client", "invoice")
                     .order_by("position"))
        ready = [line for line in lines if line.decision == Decision.RECORD and line.client_id is not None]
        if not ready:
            raise Refused(_("No line is confirmed for recording: choose the invoice or client of the lines "
                            "first."))
        late = _duplicates(acting_user, ready)
        for index in sorted(late):
            ready[index].match, ready[index].decision = Match.DUPLICATE, Decision.PENDING
        today = timezone.localdate()
        to_record = [line for index, line in enumerate(ready) if index not in late]
        past = [line for line in to_record if line.payment_date < today]
        if past and not policies.can_date(acting_user, past[0].payment_date):
            raise Refused(_("%(count)d of the payments are dated before today (the day the money came): recording "
                            "them needs the right «Change main data with a past date». Ask an administrator.")
                          % {"count": len(past)})
        writable = matching.writable_clients(acting_user, {line.client_id for line in to_record if line.client_id})
        for line in to_record:
            if line.client_id not in writable:  # his access changed since the statement was loaded
                raise NotAllowed(_line_refused(line, Refused(_("You may not write payments for this client."))).message)
        items = []
        for line in to_record:
            assert line.client is not None  # chosen above
            items.append(PaymentItem(
                client=line.client, invoice=line.invoice, date=line.payment_date, amount=line.amount,
                payer=line.payer[:300], bank_document=line.number,
                note=_("Bank statement %(file)s, line %(position)d: %(purpose)s")
                % {"file": statement.filename, "position": line.position, "purpose": line.purpose},
                overpayment=Overpayment.ADVANCE, legal_entity=statement.legal_entity))

        def refused_as(index: int, refusal: Refused | NotAllowed) -> DomainError:
            named = _line_refused(to_record[index], refusal)
            return NotAllowed(named.message) if isinstance(refusal, NotAllowed) else named

        payments = payments_record_many(acting_user=acting_user, items=items, refused_as=refused_as)
        for line, payment in zip(to_record, payments, strict=True):
            line.payment = payment
        rows_update(StatementLine, to_record, ("payment",))  # not bulk_update: its CASE costs more than the rows
        if late:
            StatementLine.objects.filter(pk__in=[ready[index].pk for index in late]).update(
                match=Match.DUPLICATE, decision=Decision.PENDING)
        left = sum(1 for line in lines if line.payment is None and line.decision != Decision.EXCLUDE
                   and line.match != Match.DUPLICATE)
        statement.status = StatementImport.Status.RECORDED if left == 0 else StatementImport.Status.PARTLY_RECORDED
        statement.recorded_at = timezone.now()
        statement.save(update_fields=["status", "recorded_at"])
        audit_record(actor=acting_user, event="billing.statement.record",
                     summary=_("Bank statement %(file)s recorded") % {"file": statement.filename},
                     target=statement, extra={"recorded": len(to_record), "left": left, "duplicates": len(late)})
    return Recorded(recorded=len(to_record), left=left, duplicates=len(late))
