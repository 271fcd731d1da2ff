"""Who a marketing mailing reaches (GRP-03, GRP-07): a client's subscribed e-mail addresses — never a client
excluded from e-mail mailing, never a suppressed address (unsubscribed, or refused for good by its server)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from kontora.clients.models import ClientMailing, ClientMailingAddress
from kontora.messaging.models import Mailbox, Suppression


@dataclass
class Recipients:
    """Per client: the addresses a letter goes to, or why none does."""

    addresses: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # client id → [(address, whose)]
    reasons: dict[int, str] = field(default_factory=dict)  # client id → why it gets no letter


def marketing_recipients(client_ids: Iterable[int]) -> Recipients:
    """Three queries whatever the number of clients."""
    ids = list(client_ids)
    excluded = set(ClientMailing.objects.filter(client_id__in=ids, exclude_email=True)
                   .values_list("client_id", flat=True))
    rows = list(ClientMailingAddress.objects.filter(
        client_id__in=ids, kind=ClientMailingAddress.Kind.EMAIL, subscribed=True)
        .order_by("client_id", "id").values_list("client_id", "value", "value_key", "owner_name"))
    suppressed = set(Suppression.objects.filter(address_key__in={key for _c, _v, key, _o in rows})
                     .values_list("address_key", flat=True))
    found = Recipients()
    had_suppressed: set[int] = set()
    for client_id, value, key, whose in rows:
        if client_id in excluded:
            continue
        if key in suppressed:
            had_suppressed.add(client_id)
            continue
        found.addresses.setdefault(client_id, []).append((value, whose))
    for client_id in ids:
        if client_id in found.addresses:
            continue
        if client_id in excluded:
            found.reasons[client_id] = _("Excluded from e-mail mailing.")
        elif client_id in had_suppressed:
            found.reasons[client_id] = _("The address unsubscribed or was refused by its mail server.")
        else:
            found.reasons[client_id] = _("No subscribed e-mail address.")
    return found


def may_receive(client_id: int | None, address: str) -> bool:
    """Is a queued marketing letter still wanted when it is due: the address subscribed for its client, the client
    not excluded, the address not suppressed (each may have changed since the mailing was made)."""
    key = address.lower()
    if Suppression.objects.filter(address_key=key).exists():
        return False
    if client_id is None:
        return False
    if ClientMailing.objects.filter(client_id=client_id, exclude_email=True).exists():
        return False
    return ClientMailingAddress.objects.filter(client_id=client_id, kind=ClientMailingAddress.Kind.EMAIL,
                                               value_key=key, subscribed=True).exists()


def public_url_missing() -> str:
    return _("Marketing mail is not sent: the server's public address is not set (KONTORA_PUBLIC_URL), and every "
             "such letter must carry a working unsubscribe link. Ask the administrator to set it.")


def mail_problem(user: Any) -> str:
    """Why the user's mailings could not be sent now (shown on the E-mail tab before he writes one), or ""."""
    if not settings.PUBLIC_URL:
        return public_url_missing()
    if not Mailbox.objects.filter(user=user).exists():
        return _("Set up your mailbox first: Settings → Parameters → «Почта».")
    return ""
