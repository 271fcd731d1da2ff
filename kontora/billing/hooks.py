"""What billing plugs into the others: its rights, its record policies, the client rows it keeps."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
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
