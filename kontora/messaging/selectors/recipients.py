"""Who a marketing mailing reaches (GRP-03, GRP-04, GRP-07): a client's subscribed e-mail addresses or mobile
numbers — never a client excluded from that mailing, never a suppressed address (unsubscribed, or refused for good
by its server or gateway)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kontora.clients.models import ClientMailing, ClientMailingAddress
from kontora.clients.services.mailing import mobile_e164
from kontora.messaging.models import Channel, Mailbox, SmsAccount, Suppression


@dataclass
class Recipients:
    """Per client: the addresses a letter goes to, or why none does."""

    addresses: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # client id → [(address, whose)]
    reasons: dict[int, str] = field(default_factory=dict)  # client id → why it gets no letter


def _e164(value: str) -> str:
    """A mobile number as the gateways take it, or "" for one that is not a mobile number."""
    try:
        return mobile_e164(value)
    except ValidationError:
        return ""


def _reasons(channel: str) -> tuple[str, str, str]:
    if channel == Channel.SMS:
        return (_("Excluded from SMS mailing."), _("The number refused mailings or its gateway refused it."),
                _("No subscribed mobile number."))
    return (_("Excluded from e-mail mailing."), _("The address unsubscribed or was refused by its mail server."),
            _("No subscribed e-mail address."))


def marketing_recipients(client_ids: Iterable[int], channel: str = Channel.EMAIL) -> Recipients:
    """Three queries whatever the number of clients. E-mail goes to subscribed addresses; SMS to subscribed mobile
    numbers, as E.164 (a number that is not a mobile one is left out)."""
    ids = list(client_ids)
    sms = channel == Channel.SMS
    excluded = set(ClientMailing.objects.filter(client_id__in=ids, **{"exclude_sms" if sms else "exclude_email": True})
                   .values_list("client_id", flat=True))
    kind = ClientMailingAddress.Kind.MOBILE if sms else ClientMailingAddress.Kind.EMAIL
    rows = [(client_id, _e164(value) if sms else value, whose) for client_id, value, whose in
            ClientMailingAddress.objects.filter(client_id__in=ids, kind=kind, subscribed=True)
            .order_by("client_id", "id").values_list("client_id", "value", "owner_name")]
    suppressed = set(Suppression.objects.filter(address_key__in={value.lower() for _c, value, _o in rows if value})
                     .values_list("address_key", flat=True))
    found = Recipients()
    had_suppressed: set[int] = set()
    for client_id, value, whose in rows:
        if client_id in excluded or not value:
            continue
        if value.lower() in suppressed:
            had_suppressed.add(client_id)
            continue
        if value not in {address for address, _whose in found.addresses.get(client_id, [])}:
            found.addresses.setdefault(client_id, []).append((value, whose))
    excluded_reason, suppressed_reason, none_reason = _reasons(channel)
    for client_id in ids:
        if client_id in found.addresses:
            continue
        if client_id in excluded:
            found.reasons[client_id] = excluded_reason
        elif client_id in had_suppressed:
            found.reasons[client_id] = suppressed_reason
        else:
            found.reasons[client_id] = none_reason
    return found


def may_receive(client_id: int | None, address: str, channel: str = Channel.EMAIL) -> bool:
    """Is a queued marketing message still wanted when it is due: the address (the mobile number) subscribed for
    its client, the client not excluded, the address not suppressed (each may have changed since it was queued)."""
    if client_id is None or Suppression.objects.filter(address_key=address.lower()).exists():
        return False
    if channel == Channel.SMS:
        if ClientMailing.objects.filter(client_id=client_id, exclude_sms=True).exists():
            return False
        numbers = ClientMailingAddress.objects.filter(client_id=client_id, kind=ClientMailingAddress.Kind.MOBILE,
                                                      subscribed=True).values_list("value", flat=True)
        return any(_e164(number) == address for number in numbers)
    if ClientMailing.objects.filter(client_id=client_id, exclude_email=True).exists():
        return False
    return ClientMailingAddress.objects.filter(client_id=client_id, kind=ClientMailingAddress.Kind.EMAIL,
                                               value_key=address.lower(), subscribed=True).exists()


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


def sms_problem(user: Any) -> str:
    """Why the user's SMS mailings could not be sent now, or ""."""
    if not SmsAccount.objects.filter(user=user).exists():
        return _("Set up your SMS account first: Settings → Parameters → «SMS».")
    return ""


def mailbox_problem(user: Any) -> str:
    """Why the user cannot send a transactional letter (an invoice) now: no mailbox of his own; or ""."""
    if not Mailbox.objects.filter(user=user).exists():
        return _("Set up your mailbox first: Settings → Parameters → «Почта».")
    return ""
