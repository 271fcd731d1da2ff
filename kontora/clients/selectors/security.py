"""Reads of the card's "Security" tab (CLI-10): the security data and how the signature is shown (who may sign
is `clients.policies.securities.can(user, "sign", client)`, ACL-04)."""

from __future__ import annotations

from kontora.accounts import selectors as account_selectors
from kontora.accounts.models import User
from kontora.clients.models import Client, ClientSecurity
from kontora.clients.selectors.card import one_row


def security_of(client: Client) -> ClientSecurity:
    """The client's security data; an unsaved empty row until the first save."""
    return one_row(client, "security", ClientSecurity)


def inspector_name(user: User | None) -> str:
    """«Иванов Иван Иванович» → «Иванов И. И.»: how a signature is shown under the conclusion."""
    if user is None:
        return ""
    parts = (user.full_name or "").split()
    if len(parts) < 2:
        return str(user)
    return " ".join([parts[0], " ".join(f"{part[0]}." for part in parts[1:3])])


def signature_locked_minutes(user: User) -> int:
    """Minutes until this user may try the signature password again; 0 when they may now (a wrong signature
    password counts like a failed sign-in: accounts' lockout, in the base)."""
    return account_selectors.reentry_locked_minutes(user)
