"""What billing plugs into the others: its rights, its record policies and exits, the client rows it keeps, the
card's journals. Clients and core render what is registered; clients imports nothing of billing."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    _register_invoices_and_payments()
    _register_sales_and_works()
    _register_acts_and_facturas()


# --- invoices and payments (INV-01 … INV-04) -----------------------------------------------------------------------


def _register_invoices_and_payments() -> None:
    from kontora.accounts.hooks import ACCESS, ADMIN_AND_SUPERVISOR, RIGHTS, Right
    from kontora.billing import policies
    from kontora.billing.selectors import invoices
    from kontora.clients.hooks import CLIENT_ROWS, ClientRows
    from kontora.core.hooks import POLICIES

    RIGHTS.register(Right(policies.CANCEL_INVOICES, _("Cancel invoices"),
                          _("Cancel an issued invoice that has no payments."), ACCESS,
                          roles=ADMIN_AND_SUPERVISOR, order=80))
    RIGHTS.register(Right(policies.CANCEL_PAYMENTS, _("Cancel payments"),
                          _("Cancel (storno) a recorded payment; the invoice's paid amount and status follow."),
                          ACCESS, roles=ADMIN_AND_SUPERVISOR, order=81))
    for policy in policies.POLICIES:
        POLICIES.register(policy)
    CLIENT_ROWS.register(ClientRows("invoices", _("Invoices"), invoices.clients_with_invoices))
    CLIENT_ROWS.register(ClientRows("payments", _("Payments"), invoices.clients_with_payments))


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


def _own_journal(user: Any, system: Any) -> bool:
    from kontora.billing import policies

    return not policies.sees_all_employees(user)


def _all_journal(user: Any, system: Any) -> bool:
    from kontora.billing import policies

    return policies.sees_all_employees(user)


def _document_exits() -> list[Any]:
    from kontora.billing import policies
    from kontora.core.hooks import EDITS, LIST, OPENS, Exit

    client, invoice, payment = "clients.Client", "billing.Invoice", "billing.Payment"
    act, factura = "billing.Act", "billing.InvoiceFactura"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    def card(obj: Any) -> dict[str, Any]:
        return {"client_id": obj.pk}

    def upd(obj: Any) -> dict[str, Any]:
        return {"form": "upd", "status": "2"}

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
        Exit("billing:act_print", act, OPENS, args=pk),
        Exit("billing:factura_print", factura, OPENS, args=pk),
        Exit("billing:factura_print", factura, OPENS, args=pk, data=upd, key="upd"),
        Exit("billing:act_from_invoice", invoice, EDITS, args=pk),
        Exit("billing:act_from_invoice", invoice, EDITS, "POST", args=pk),
        Exit("billing:factura_from_invoice", invoice, EDITS, args=pk),
        Exit("billing:factura_from_invoice", invoice, EDITS, "POST", args=pk),
        Exit("billing:factura_advance", payment, EDITS, args=pk),
        Exit("billing:factura_advance", payment, EDITS, "POST", args=pk),
    ]
