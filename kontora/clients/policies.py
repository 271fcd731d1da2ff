"""What the client card lets this user do, as booleans for the view and the template.

The rules themselves live in kontora.clients.access; this module only bundles them for one card.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kontora.clients import access
from kontora.clients.models import Client


@dataclass(frozen=True)
class CardRights:
    can_edit: bool  # info: General and Operational tabs, contacts
    can_edit_main: bool  # main requisites, registration data, curator, specialist, grants
    can_make_private: bool


def card_rights(user: Any, client: Client | None) -> CardRights:
    if client is None:
        return CardRights(True, True, access.can_make_private(user, None))
    edit = access.can_edit(user, client)
    return CardRights(
        can_edit=edit,
        can_edit_main=edit and access.can_edit_main_data(user, client),
        can_make_private=edit and access.can_make_private(user, client),
    )


def can_edit_contacts(user: Any, client: Client) -> bool:
    return access.can_edit(user, client)
