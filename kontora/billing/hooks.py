"""What billing plugs into the others: its rights and its record policies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kontora.accounts.hooks import ACCESS, ADMIN_AND_SUPERVISOR, RIGHTS, Right
    from kontora.billing import policies
    from kontora.core.hooks import POLICIES

    RIGHTS.register(Right(policies.CANCEL_INVOICES, _("Cancel invoices"),
                          _("Cancel an issued invoice that has no payments."), ACCESS,
                          roles=ADMIN_AND_SUPERVISOR, order=80))
    RIGHTS.register(Right(policies.CANCEL_PAYMENTS, _("Cancel payments"),
                          _("Cancel (storno) a recorded payment; the invoice's paid amount and status follow."),
                          ACCESS, roles=ADMIN_AND_SUPERVISOR, order=81))
    for policy in policies.POLICIES:
        POLICIES.register(policy)
