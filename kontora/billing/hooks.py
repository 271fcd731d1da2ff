"""What billing plugs into the others: its rights, its record policies and exits, the client rows it keeps, the
card's journals. Clients and core render what is registered; clients imports nothing of billing."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    _register_invoices_and_payments()
    _register_sales_and_works()


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
    _register_invoice_pages()


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


def _own_journal(user: Any, system: Any) -> bool:
    from kontora.billing.selectors.invoices import sees_all_employees

    return not sees_all_employees(user)


def _all_journal(user: Any, system: Any) -> bool:
    from kontora.billing.selectors.invoices import sees_all_employees

    return sees_all_employees(user)


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
