"""Reads of the company's Registration data with its history of changes in legal documents (CLI-06), and of a
person's passport and personal data (CLI-01)."""

from __future__ import annotations

from kontora.clients.models import Client, ClientLegalChange, ClientPersonal, ClientRegistration
from kontora.clients.selectors.card import one_row


def registration_of(client: Client) -> ClientRegistration:
    """The company's registration data; an unsaved empty row when nothing was entered yet."""
    return one_row(client, "registration", ClientRegistration)


def legal_changes_of(client: Client) -> list[ClientLegalChange]:
    return list(ClientLegalChange.objects.filter(client=client))




def personal_of(client: Client) -> ClientPersonal:
    """The person's passport and personal data; an unsaved empty row when nothing was entered yet."""
    return one_row(client, "personal", ClientPersonal)


def snils_shown(value: str) -> str:
    """SNILS as people write it: 112-233-445 95."""
    if len(value) != 11:
        return value
    return f"{value[:3]}-{value[3:6]}-{value[6:9]} {value[9:]}"
