"""What billing plugs into the others: its rights, its record policies and exits, the client rows it keeps, the
card's journals. Clients and core render what is registered; clients imports nothing of billing."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    _register_invoices_and_payments()
    _register_sales_and_works()
    _register_printing()
    _register_statements()
    _register_payment_pages()
    _register_acts_and_facturas()


# --- invoices and payments (INV-01 … INV-04) -----------------------------------------------------------------------


def _register_invoices_and_payments() -> None:
    from kontora.accounts.hooks import ACCESS, ADMIN_AND_SUPERVISOR, RIGHTS, Right
    from kontora.billing import policies
    from kontora.billing.selectors import invoices
    from kontora.billing.services.payments import PAID_GOAL
    from kontora.clients.flexi.hooks import FILTER_FIELDS
    from kontora.clients.hooks import CLIENT_ROWS, ClientRows
    from kontora.core.hooks import POLICIES
    from kontora.targeting.hooks import GOAL_KINDS, GoalKind

    RIGHTS.register(Right(policies.CANCEL_INVOICES, _("Cancel invoices"),
                          _("Cancel an issued invoice that has no payments."), ACCESS,
                          roles=ADMIN_AND_SUPERVISOR, order=80))
    RIGHTS.register(Right(policies.CANCEL_PAYMENTS, _("Cancel payments"),
                          _("Cancel (storno) a recorded payment; the invoice's paid amount and status follow."),
                          ACCESS, roles=ADMIN_AND_SUPERVISOR, order=81))
    for policy in policies.POLICIES:
        POLICIES.register(policy)
    # Targeting (TGT-01): an invoice paid in full is its author's goal reached (services.payments.invoice_settle).
    GOAL_KINDS.register(GoalKind(PAID_GOAL, _("Invoice paid"), order=30))
    CLIENT_ROWS.register(ClientRows("invoices", _("Invoices"), invoices.clients_with_invoices))
    CLIENT_ROWS.register(ClientRows("payments", _("Payments"), invoices.clients_with_payments))
    for field_def in _filter_fields():
        FILTER_FIELDS.register(field_def)
    _register_invoice_pages()


def _filter_fields() -> list[Any]:
    """The Flexi-filter's Statistics conditions about invoices, payments and sales; all read card data (CARD)."""
    from kontora.billing.selectors import flexi as c
    from kontora.clients.flexi.hooks import CARD, FieldDef

    return [
        FieldDef("has_unpaid_invoices", "statistics", _("Has unpaid invoices"), "flag", c.has_unpaid_invoices,
                 order=200, reads=CARD),
        FieldDef("paid_in_period", "statistics", _("Paid in a period"), "sum", c.paid_in_period,
                 operators=("exists", "not_exists", "sum_ge"), order=201, reads=CARD),
        FieldDef("sales_in_period", "statistics", _("Sales in a period"), "sum", c.sales_in_period,
                 operators=("sum_ge", "sum_le"), order=202, reads=CARD),
    ]


def _register_invoice_pages() -> None:
    """The card's «Счета» tab (before «Продажи»), Журналы → «Журнал счетов», and the invoice pages' exits."""
    from kontora.clients.hooks import CARD_TABS, CardTab
    from kontora.core.hooks import EXITS, MENU, MenuItem

    CARD_TABS.register(CardTab("invoices", _("Invoices"), "billing:card_invoices", order=235))
    # One page; its menu item says what it shows, as the other journals' do.
    MENU.register(MenuItem("journals", _("Invoice journal"), "billing:invoices", _own_journal, order=40))
    MENU.register(MenuItem("journals", _("Invoice journal of all employees"), "billing:invoices", _all_journal,
                           order=40, query="whose=all"))
    for item in _invoice_exits():
        EXITS.register(item)


def _invoice_exits() -> list[Any]:
    from kontora.billing import policies
    from kontora.core.hooks import EDITS, LIST, OPENS, ROWS, Exit

    client, invoice = "clients.Client", "billing.Invoice"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    def card(obj: Any) -> dict[str, Any]:
        return {"client_id": obj.pk}

    def cancels(user: Any) -> bool:
        return policies.can_cancel_invoice(user)

    # The journal lists one's own invoices (every employee's with «журналы всех сотрудников») of the clients the
    # user opens; one client's journal (`?client=`) every author's invoices of a client he opens. The form is for
    # those who edit the client; the page and its payments for those who open it; issuing, copying and cancelling
    # (its own right besides) write, so they need the client's card editable.
    return [
        Exit("billing:card_invoices", client, OPENS, args=card),
        Exit("billing:invoices", invoice, OPENS, answer=LIST, once=True),
        Exit("billing:invoices", invoice, OPENS, data=lambda row: {"client": row.client_id}, answer=ROWS,
             key="client"),
        Exit("billing:invoice_new", client, EDITS, data=lambda row: {"client": row.pk}),
        Exit("billing:invoice_form", client, EDITS, "POST", data=lambda row: {"client": row.pk, "fixed": "1"}),
        Exit("billing:invoice", invoice, OPENS, args=pk),
        Exit("billing:invoice_payments", invoice, OPENS, args=pk),
        Exit("billing:invoice_edit", invoice, EDITS, args=pk),
        Exit("billing:invoice_issue", invoice, EDITS, "POST", args=pk),
        Exit("billing:invoice_copy", invoice, EDITS, "POST", args=pk),
        Exit("billing:invoice_cancel", invoice, EDITS, args=pk, who=cancels),
        Exit("billing:invoice_cancel", invoice, EDITS, "POST", args=pk, data=lambda row: {"reason": "Ошибка"},
             who=cancels, removes=True),
    ]


# --- sales and works (SAL-01, SAL-02) ------------------------------------------------------------------------------


def _register_sales_and_works() -> None:
    from kontora.billing import policies
    from kontora.billing.selectors.sales import clients_with_sales_or_works
    from kontora.clients.hooks import CARD_TABS, CLIENT_ROWS, CardTab, ClientRows
    from kontora.core.hooks import EXITS, POLICIES

    POLICIES.register(policies.sales)
    POLICIES.register(policies.works)
    CLIENT_ROWS.register(ClientRows("sales_works", _("Sales and works"), clients_with_sales_or_works))
    # The card's «Продажи» and «Работы» journals (SAL-01, SAL-02, CLI-14), gone with their functionality block.
    CARD_TABS.register(CardTab("sales", _("Sales"), "billing:card_sales", order=240, block="sales"))
    CARD_TABS.register(CardTab("works", _("Works"), "billing:card_works", order=245, block="works"))
    for item in _sales_exits():
        EXITS.register(item)


def _sales_exits() -> list[Any]:
    from kontora.core.hooks import EDITS, OPENS, Exit
    from kontora.core.permissions import is_administrator

    client, sale, work = "clients.Client", "billing.Sale", "billing.Work"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    def card(obj: Any) -> dict[str, Any]:
        return {"client_id": obj.pk}

    # The journals are the card's panes, for those who open it; a new row's form for those who edit the client; a
    # row's form is read-only to all who open the client and saved or deleted by its author (the matrix's rows are
    # a stranger's) or an administrator who edits the client.
    return [
        Exit("billing:card_sales", client, OPENS, args=card),
        Exit("billing:sale_new", client, EDITS, args=card),
        Exit("billing:sale_new", client, EDITS, "POST", args=card),
        Exit("billing:sale", sale, OPENS, args=pk),
        Exit("billing:sale", sale, EDITS, "POST", args=pk, who=is_administrator),
        Exit("billing:sale_delete", sale, EDITS, "POST", args=pk, who=is_administrator, removes=True),
        Exit("billing:card_works", client, OPENS, args=card),
        Exit("billing:work_new", client, EDITS, args=card),
        Exit("billing:work_new", client, EDITS, "POST", args=card),
        Exit("billing:work", work, OPENS, args=pk),
        Exit("billing:work", work, EDITS, "POST", args=pk, who=is_administrator),
        Exit("billing:work_delete", work, EDITS, "POST", args=pk, who=is_administrator, removes=True),
    ]


# --- «Счёт на оплату» and «Отправить по e-mail» (INV-06) -----------------------------------------------------------


def _register_printing() -> None:
    from kontora.core.hooks import EXITS

    for item in _printing_exits():
        EXITS.register(item)


def _printing_exits() -> list[Any]:
    from kontora.core.hooks import OPENS, Exit

    invoice = "billing.Invoice"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    # The print and the letter show the invoice's client's requisites: for whoever opens its card. The crawler asks
    # for the printable page — the PDF is the same view and check, its text compressed (a marker in it would go
    # unseen) and a second to draw; the letter's POST reaches the form (no mailbox in the matrix's world) and queues
    # nothing.
    return [
        Exit("billing:invoice_print", invoice, OPENS, args=pk, data=lambda obj: {"format": "html"}),
        Exit("billing:invoice_send", invoice, OPENS, args=pk),
        Exit("billing:invoice_send", invoice, OPENS, "POST", args=pk, data=lambda obj: {
            "recipient": "matrix@example.test", "subject": "Счёт", "text": "Счёт во вложении."}),
    ]


# --- bank statements (INV-04) ---------------------------------------------------------------------------------------


def _register_statements() -> None:
    from kontora.billing import policies
    from kontora.core.hooks import EXITS, MENU, POLICIES, MenuItem

    POLICIES.register(policies.statement_lines)
    MENU.register(MenuItem("journals", _("Load a bank statement"), "billing:statement_new", group=1, order=50))
    for item in _statement_exits():
        EXITS.register(item)


def _statement_exits() -> list[Any]:
    from kontora.core.hooks import EDITS, OPENS, ROWS, Exit

    line = "billing.StatementLine"

    def statement(obj: Any) -> dict[str, Any]:
        return {"pk": obj.statement_id}

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    def confirm(obj: Any) -> dict[str, Any]:
        return {"choice": "record"}

    # A statement is its importer's; its page names a line's client (and invoice) only while he may open the client;
    # a line's decision and «Провести» are his for a client whose payments he may write (edits the card) — the
    # matrix's lines are the user's own, each matched to one of his clients.
    return [
        Exit("billing:statement", line, OPENS, args=statement, answer=ROWS),
        Exit("billing:statement_line", line, EDITS, "POST", args=pk, data=confirm),
        Exit("billing:statement_record", line, EDITS, "POST", args=statement),
    ]


# --- payments' pages (INV-04, CLI-14) ------------------------------------------------------------------------------


def _register_payment_pages() -> None:
    from kontora.core.hooks import EXITS, MENU, MenuItem

    # One page; its menu item says whose payments it shows, as the other work journals' do.
    MENU.register(MenuItem("journals", _("Payments journal"), "billing:payments", _own_journal, order=20))
    MENU.register(MenuItem("journals", _("Payments journal of all employees"), "billing:payments", _all_journal,
                           order=20, query="whose=all"))
    for item in _payment_exits():
        EXITS.register(item)


def _own_journal(user: Any, system: Any) -> bool:
    from kontora.billing import policies

    return not policies.sees_all_employees(user)


def _all_journal(user: Any, system: Any) -> bool:
    from kontora.billing import policies

    return policies.sees_all_employees(user)


def _payment_exits() -> list[Any]:
    from kontora.billing import policies
    from kontora.core.hooks import EDITS, LIST, OPENS, Exit

    client, payment = "clients.Client", "billing.Payment"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    def card(obj: Any) -> dict[str, Any]:
        return {"client_id": obj.pk}

    def named(obj: Any) -> dict[str, Any]:
        return {"client": obj.pk}

    # The journal lists the payments of clients the user opens (his own without «журналы всех сотрудников»); one
    # client's journal and the card's pane every payment of a client he opens; a payment's page to whoever opens
    # its client. Recording, applying an advance and the storno change the client's data: his card editable (the
    # storno with its own right besides).
    return [
        Exit("billing:payments", payment, OPENS, answer=LIST, once=True),
        Exit("billing:payments", client, OPENS, data=named, key="client"),
        Exit("billing:card_payments", client, OPENS, args=card),
        Exit("billing:payment_new", client, EDITS, args=card),
        Exit("billing:payment_new", client, EDITS, "POST", args=card,
             data=lambda obj: {"date": "", "amount": "", "kind": "non_cash", "overpayment": "refuse"}),
        Exit("billing:payment_pick", client, EDITS, "POST", data=named),
        Exit("billing:advances_apply", client, EDITS, "POST", args=card),
        Exit("billing:payment", payment, OPENS, args=pk),
        Exit("billing:payment_apply", payment, EDITS, "POST", args=pk, data=lambda obj: {"invoice": ""}),
        Exit("billing:payment_cancel", payment, EDITS, "POST", args=pk, data=lambda obj: {"reason": ""},
             who=policies.can_cancel_payment),
    ]


# --- acts and invoice-facturas (INV-05) ------------------------------------------------------------------------------


def _register_acts_and_facturas() -> None:
    from kontora.billing.selectors.documents import clients_with_documents
    from kontora.clients.hooks import CLIENT_ROWS, ClientRows
    from kontora.core.hooks import EXITS, MENU, MenuItem

    # The policies of acts and invoice-facturas are registered with the invoices' (policies.POLICIES).
    CLIENT_ROWS.register(ClientRows("documents", _("Acts and invoice-facturas"), clients_with_documents))
    # Each journal is one page; its menu item says what it shows, as the other journals' do.
    MENU.register(MenuItem("journals", _("Act journal"), "billing:act_journal", _own_journal, order=40))
    MENU.register(MenuItem("journals", _("Act journal of all employees"), "billing:act_journal", _all_journal,
                           order=40, query="whose=all"))
    MENU.register(MenuItem("journals", _("Invoice-factura journal"), "billing:factura_journal", _own_journal,
                           order=41))
    MENU.register(MenuItem("journals", _("Invoice-factura journal of all employees"), "billing:factura_journal",
                           _all_journal, order=41, query="whose=all"))
    for item in _document_exits():
        EXITS.register(item)


def _document_exits() -> list[Any]:
    from kontora.billing import policies
    from kontora.core.hooks import EDITS, LIST, OPENS, Exit

    client, invoice, payment = "clients.Client", "billing.Invoice", "billing.Payment"
    act, factura = "billing.Act", "billing.InvoiceFactura"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    def card(obj: Any) -> dict[str, Any]:
        return {"client_id": obj.pk}

    # The prints are crawled as their printable pages, as the invoice's: the PDF is the same view and check.
    def printable(obj: Any) -> dict[str, Any]:
        return {"format": "html"}

    def upd(obj: Any) -> dict[str, Any]:
        return {"format": "html", "form": "upd", "status": "2"}

    # The journals list documents of clients the user opens (his own, or everyone's with «журналы всех
    # сотрудников»); the card's panes, a document's page and its prints are for those who open its client; a new
    # document, a change, «ввести на основании» and an advance invoice-factura for those who edit it; cancelling
    # with the right that cancels invoices besides.
    return [
        Exit("billing:act_journal", act, OPENS, answer=LIST, once=True),
        Exit("billing:factura_journal", factura, OPENS, answer=LIST, once=True),
        Exit("billing:card_acts", client, OPENS, args=card),
        Exit("billing:card_facturas", client, OPENS, args=card),
        Exit("billing:act_new", client, EDITS, args=card),
        Exit("billing:act_new", client, EDITS, "POST", args=card),
        Exit("billing:factura_new", client, EDITS, args=card),
        Exit("billing:factura_new", client, EDITS, "POST", args=card),
        Exit("billing:act", act, OPENS, args=pk),
        Exit("billing:act", act, EDITS, "POST", args=pk),
        Exit("billing:factura", factura, OPENS, args=pk),
        Exit("billing:factura", factura, EDITS, "POST", args=pk),
        Exit("billing:act_cancel", act, EDITS, "POST", args=pk, who=policies.can_cancel_document),
        Exit("billing:factura_cancel", factura, EDITS, "POST", args=pk, who=policies.can_cancel_document),
        Exit("billing:act_print", act, OPENS, args=pk, data=printable),
        Exit("billing:factura_print", factura, OPENS, args=pk, data=printable),
        Exit("billing:factura_print", factura, OPENS, args=pk, data=upd, key="upd"),
        Exit("billing:act_from_invoice", invoice, EDITS, args=pk),
        Exit("billing:act_from_invoice", invoice, EDITS, "POST", args=pk),
        Exit("billing:factura_from_invoice", invoice, EDITS, args=pk),
        Exit("billing:factura_from_invoice", invoice, EDITS, "POST", args=pk),
        Exit("billing:factura_advance", payment, EDITS, args=pk),
        Exit("billing:factura_advance", payment, EDITS, "POST", args=pk),
    ]
