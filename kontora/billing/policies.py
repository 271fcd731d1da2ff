"""Who may see and act on billing's rows: invoices and payments (INV-01 … INV-04), sales and works (SAL-01, SAL-02).

All are client-owned data: a user sees those of the clients whose card he may open (the card level of
`clients.access`).

Invoices and payments are written for the clients whose card he may edit. Cancelling an invoice or a payment needs its
own right besides (`cancel_invoices`, `cancel_payments`); a document dated before today is written only with the
right «change main data with a past date» (`change_past_data`).

The card's sales and works journals list every author's rows to whoever opens the card; a row is changed and deleted
by its author or an administrator, on a client he may edit; everyone else reads it.
"""

from __future__ import annotations

import datetime
from typing import Any, Generic, TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from kontora.accounts.policies import has_right, sees_all_employees
from kontora.billing.models import (
    Act,
    Invoice,
    InvoiceFactura,
    JournalRow,
    Payment,
    Sale,
    StatementImport,
    StatementLine,
    Work,
)
from kontora.clients import access
from kontora.clients.policies import OwnedPolicy
from kontora.core.errors import FieldRefused
from kontora.core.permissions import Policy, is_administrator
from kontora.core.selectors.calendar import user_today

R = TypeVar("R", bound=JournalRow)

CANCEL_INVOICES = "cancel_invoices"
CANCEL_PAYMENTS = "cancel_payments"
CHANGE_PAST_DATA = "change_past_data"

invoices: OwnedPolicy[Invoice] = OwnedPolicy(Invoice, related=("client", "legal_entity", "bank_account", "author"))
payments: OwnedPolicy[Payment] = OwnedPolicy(Payment, related=("client", "invoice", "legal_entity", "author"))
acts: OwnedPolicy[Act] = OwnedPolicy(Act, related=("client", "legal_entity", "invoice", "author"))
facturas: OwnedPolicy[InvoiceFactura] = OwnedPolicy(
    InvoiceFactura, related=("client", "legal_entity", "invoice", "payment", "author"))
POLICIES = (invoices, payments, acts, facturas)


def visible_invoices(user: Any) -> QuerySet[Invoice]:
    """The invoices of the clients the user may open."""
    return Invoice.objects.filter(client__in=access.openable_clients(user).values("pk"))


def visible_payments(user: Any) -> QuerySet[Payment]:
    """The payments of the clients the user may open."""
    return Payment.objects.filter(client__in=access.openable_clients(user).values("pk"))


def own_payments(user: Any) -> Q:
    """The payments that are the user's work: he recorded it, or its client is his (curator or specialist)."""
    return Q(author=user) | Q(client__curator=user) | Q(client__specialist=user)


def journal_payments(user: Any) -> QuerySet[Payment]:
    """The payments of the journal: of the clients the user may open (checked row by row), his own only unless he
    sees every employee's."""
    if access.visibility_shape(user) == access.NOBODY:
        return Payment.objects.none()
    rows = Payment.objects.filter(access.opens_row_client(user))
    return rows if sees_all_employees(user) else rows.filter(own_payments(user))


def _hidden(model: type[Any], user: Any, own: Q) -> QuerySet[Any]:
    """Rows of a work journal kept from the user by client access alone: about a client he may not open — and not
    about someone else's private client, which is not even counted (private stays silent); his `own` rows only
    unless he sees every employee's."""
    if access.visibility_shape(user) == access.NOBODY or access.opens_every_shared(user):
        return model._default_manager.none()
    shared = access.not_private_to_others(user).filter(pk=OuterRef("client_id"))
    rows = model._default_manager.filter(Exists(shared)).exclude(access.opens_row_client(user))
    return rows if sees_all_employees(user) else rows.filter(own)


def hidden_payments(user: Any) -> QuerySet[Payment]:
    """Payments of «Журнал платежей» kept from the user by client access alone (`_hidden`)."""
    return _hidden(Payment, user, own_payments(user))


def hidden_invoices(user: Any) -> QuerySet[Invoice]:
    """Invoices of «Журнал счетов» kept from the user by client access alone (`_hidden`); his own: he wrote them."""
    return _hidden(Invoice, user, Q(author_id=user.pk))


def hidden_acts(user: Any) -> QuerySet[Act]:
    """Acts of «Журнал актов» kept from the user by client access alone (`_hidden`), by the invoices' rule."""
    return _hidden(Act, user, Q(author_id=user.pk))


def hidden_facturas(user: Any) -> QuerySet[InvoiceFactura]:
    """Invoice-facturas of «Журнал счетов-фактур» kept from the user by client access alone, by the acts' rule."""
    return _hidden(InvoiceFactura, user, Q(author_id=user.pk))


def can_write_for(user: Any, client: Any) -> bool:
    """Invoices, payments, sales and works of a client are written by those who may edit the client's card."""
    return access.standing(user, client).edits


def writable_client_ids(user: Any, client_ids: Any) -> set[int]:
    """Those of the clients `can_write_for` allows, asked in one query (a batch of payments of many clients)."""
    ids = set(client_ids)
    if not ids or access.visibility_shape(user) == access.NOBODY:
        return set()
    rows = access.openable_clients(user).filter(pk__in=ids).annotate(**access.standing_annotations(user))
    return {client.pk for client in rows if access.standing_of_row(user, client).edits}


def can_date(user: Any, date: datetime.date) -> bool:
    """A row dated before the user's today (invoice, payment, sale, work) needs the right to change past-dated
    data."""
    return date >= user_today(user) or bool(has_right(user, CHANGE_PAST_DATA))


def refuse_past_date(user: Any, *dates: datetime.date | None) -> None:
    """`can_date`'s one refusal, next to the date field, unless the user may write every given date (the row's old
    and new ones): a Refused to the invoices' and payments' callers, a field's ValidationError to the forms."""
    if any(day is not None and not can_date(user, day) for day in dates):
        raise FieldRefused(gettext("You have no right to change data dated before today: choose today's date or "
                                   "later."), field="date")


def can_cancel_invoice(user: Any) -> bool:
    return bool(has_right(user, CANCEL_INVOICES))


def can_cancel_payment(user: Any) -> bool:
    return bool(has_right(user, CANCEL_PAYMENTS))


# --- sales and works ------------------------------------------------------------------------------------------------


def _visible_rows(user: Any, model: type[R]) -> QuerySet[R]:
    if access.visibility_shape(user) == access.NOBODY:
        return model._default_manager.none()
    return model._default_manager.filter(access.opens_row_client(user))


def visible_sales(user: Any) -> QuerySet[Sale]:
    return _visible_rows(user, Sale)


def visible_works(user: Any) -> QuerySet[Work]:
    return _visible_rows(user, Work)


def is_author_or_administrator(user: Any, record: JournalRow) -> bool:
    """A sale or a work is changed later only by its author or an administrator (the manual: «Продажи»)."""
    return is_administrator(user) or (record.author_id is not None and record.author_id == getattr(user, "pk", None))


class JournalRowPolicy(Policy[R], Generic[R]):
    """A sale or a work: read by whoever opens its client, changed and deleted by its author or an administrator on
    a client he may edit (which he opens, so he reads the row)."""

    def __init__(self, model: type[R], *, related: tuple[str, ...]) -> None:
        self.model = model
        self.related = related

    def visible(self, user: Any) -> QuerySet[R]:
        return _visible_rows(user, self.model)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "view":
            return self.visible(user).filter(pk=obj.pk).exists()
        if action in ("change", "delete"):
            return is_author_or_administrator(user, obj) and can_write_for(user, obj.client_id)
        raise ValueError(f"unknown action {action!r}")


sales = JournalRowPolicy(Sale, related=("client", "item", "item__goods_group", "item__folder", "author",
                                        "responsible"))
works = JournalRowPolicy(Work, related=("client", "receiver", "author", "responsible"))


# --- bank statements (INV-04) ---------------------------------------------------------------------------------------


def visible_statements(user: Any) -> QuerySet[StatementImport]:
    """A loaded statement holds clients' money: its importer reads it, and an administrator."""
    if not getattr(user, "is_authenticated", False):
        return StatementImport.objects.none()
    if is_administrator(user):
        return StatementImport.objects.all()
    return StatementImport.objects.filter(author_id=user.pk)


def may_load_statements(user: Any) -> bool:
    """Any signed-in user loads a statement: what he may record is decided per client (he writes payments for)."""
    return bool(user.is_authenticated and user.is_active)


class StatementLinePolicy(Policy[StatementLine]):
    """A line of a visible statement; one matched to a client is the reader's only while he may open the client."""

    model = StatementLine
    related = ("statement", "client", "invoice", "payment")

    def visible(self, user: Any) -> QuerySet[StatementLine]:
        rows = StatementLine.objects.filter(statement__in=visible_statements(user).values("pk"))
        if access.visibility_shape(user) == access.NOBODY:
            return rows.filter(client__isnull=True)
        return rows.filter(Q(client__isnull=True) | access.opens_row_client(user))

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "view":
            return self.visible(user).filter(pk=obj.pk).exists()
        if action == "change":  # decided by the importer, for a client whose payments he may write
            if obj.statement.author_id != user.pk:
                return False
            return self.visible(user).filter(pk=obj.pk).exists() if obj.client_id is None \
                else can_write_for(user, obj.client_id)
        raise ValueError(f"unknown action {action!r}")


statement_lines = StatementLinePolicy()


# --- acts and invoice-facturas (INV-05) ----------------------------------------------------------------------------

def journal_acts(user: Any) -> QuerySet[Act]:
    """The acts of the journal «Журнал актов»: of clients the user opens; his own unless he sees everyone's."""
    if access.visibility_shape(user) == access.NOBODY:
        return Act.objects.none()
    rows = Act.objects.filter(access.opens_row_client(user))
    return rows if sees_all_employees(user) else rows.filter(author=user)


def journal_facturas(user: Any) -> QuerySet[InvoiceFactura]:
    """The invoice-facturas of «Журнал счетов-фактур», by the same rule as the acts'."""
    if access.visibility_shape(user) == access.NOBODY:
        return InvoiceFactura.objects.none()
    rows = InvoiceFactura.objects.filter(access.opens_row_client(user))
    return rows if sees_all_employees(user) else rows.filter(author=user)


def can_cancel_document(user: Any) -> bool:
    """Acts and invoice-facturas are cancelled with the right that cancels invoices."""
    return bool(has_right(user, CANCEL_INVOICES))
