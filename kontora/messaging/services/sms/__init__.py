"""Sending one SMS through the user's gateway (GRP-04): one interface over two real protocols — SMPP 3.4 (smpp.py,
through smpplib) and SMS.ru's HTTP API (smsru.py) — for the test SMS of Settings → Parameters → «SMS» and for the
outbox, which calls `sms_deliver` and files the reply as it files an SMTP `Reply`:

    reply.ok                        sent: the gateway took every part (`message_id`, `parts`)
    not ok, reply.stage == "auth"   the account itself was refused (a wrong password or api_id, no money, a sender
                                    name not approved): hold; such a reply is never `temporary`
    not ok, reply.temporary         try again later with back-off (no connection, throttling, a full queue)
    not ok, otherwise               a permanent refusal of this message or number: fail it

`sms_deliver` never raises for what a gateway or the network answers; it raises `Refused` (with the form field
to mark) only when the account as given cannot be used at all: a field missing, a secret sealed under another key.
Nothing here knows the outbox: it takes an account (or the tab's typed values), a number and a text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kontora.clients.services.mailing import mobile_e164
from kontora.core.errors import Refused
from kontora.messaging.models import SmsAccount
from kontora.messaging.services.mailboxes import password_unseal
from kontora.messaging.services.sms import smpp, smsru
from kontora.messaging.services.sms.replies import Gateway, Receipt, SmsReply, SmsStatus

__all__ = ["Gateway", "Receipt", "SmsReply", "SmsStatus", "gateway_of", "sms_deliver", "sms_status"]

SMPP, SMSRU = SmsAccount.Protocol.SMPP.value, SmsAccount.Protocol.SMSRU.value
ALPHA_SENDER = re.compile(r"[A-Za-z0-9 ._&'-]{1,11}")  # what operators register as a letter sender name
DIGIT_SENDER = re.compile(r"\+?[0-9]{1,15}")
# SMPP 3.4's C-Octet String limits, less the terminating NUL (smpplib would cut a longer value silently).
SMPP_LIMITS = {"system_id": 15, "password": 8, "system_type": 12}


def _secret(typed: Any, sealed: str, name: str) -> str:
    if typed:
        return str(typed)
    if not sealed:
        return ""
    secret = password_unseal(sealed)
    if secret is None:
        raise Refused(_("The kept password cannot be read (the base was restored under another mail key): "
                        "enter the password again."), field=name)
    return secret


def gateway_of(account_or_values: SmsAccount | Mapping[str, Any], kept: SmsAccount | None = None) -> Gateway:
    """The gateway to talk to: an account as kept, or the tab's typed values (a secret left empty: the kept one's).
    Refused, with the field, when it cannot be used as it stands."""
    values: Mapping[str, Any]
    if isinstance(account_or_values, SmsAccount):
        kept, values = account_or_values, {}
        source: Mapping[str, Any] = {name: getattr(kept, name) for name in (
            "protocol", "sender", "host", "port", "system_id", "system_type", "api_url")}
    else:
        values = source = account_or_values
    kept_password = kept.password_sealed if kept is not None else ""
    kept_api_id = kept.api_id_sealed if kept is not None else ""
    protocol = str(source.get("protocol") or SMSRU)
    gateway = Gateway(
        protocol=protocol, sender=str(source.get("sender") or "").strip(),
        host=str(source.get("host") or "").strip(), port=int(source.get("port") or 2775),
        system_id=str(source.get("system_id") or "").strip(), system_type=str(source.get("system_type") or ""),
        api_url=str(source.get("api_url") or "https://sms.ru").rstrip("/"),
        password=_secret(values.get("password"), kept_password, "password") if protocol == SMPP else "",
        api_id=_secret(values.get("api_id"), kept_api_id, "api_id") if protocol == SMSRU else "")
    _check(gateway)
    return gateway


def _check(gateway: Gateway) -> None:
    if gateway.sender and not (ALPHA_SENDER.fullmatch(gateway.sender) or DIGIT_SENDER.fullmatch(gateway.sender)):
        raise Refused(_("A sender name is up to 11 Latin letters and digits, or a number of up to 15 digits."),
                      field="sender")
    if gateway.protocol == SMSRU:
        if not gateway.api_id:
            raise Refused(_("Enter the api_id of your SMS.ru account."), field="api_id")
        if not gateway.api_url.startswith(("https://", "http://")):
            raise Refused(_("The API address starts with https://."), field="api_url")
        return
    if gateway.protocol != SMPP:
        raise Refused(_("Choose the protocol of your SMS gateway."), field="protocol")
    if not gateway.host:
        raise Refused(_("Enter the SMPP server."), field="host")
    if not gateway.system_id:
        raise Refused(_("Enter the system_id (login) the gateway gave you."), field="system_id")
    for name, limit in SMPP_LIMITS.items():
        value = getattr(gateway, name)
        if not value.isascii() or len(value) > limit:
            raise Refused(_("SMPP allows at most %(count)d Latin characters here.") % {"count": limit}, field=name)


def sms_deliver(account_or_values: SmsAccount | Mapping[str, Any], number: str, text: str, *,
                kept: SmsAccount | None = None) -> SmsReply:
    """Sends `text` to `number` (E.164, or as a card holds it) through the account, cut into parts as needed;
    says how it went and never raises for the gateway's answer. Refused only for an account that cannot be used
    (see gateway_of) or an empty text."""
    gateway = gateway_of(account_or_values, kept)
    if not text.strip():
        raise Refused(_("Enter the text of the message."), field="text")
    try:
        e164 = mobile_e164(number)
    except ValidationError as exc:
        reason = " ".join(exc.messages)
        return SmsReply(False, "number", "", "", _("The number %(number)s cannot take an SMS: %(reason)s") % {
            "number": number, "reason": reason}, field="number")
    if gateway.protocol == SMPP:
        return smpp.deliver(gateway, e164, text)
    return smsru.deliver(gateway, e164, text)


def sms_status(account: SmsAccount, message_id: str) -> SmsStatus:
    """Where a message sent through the account stands now. SMS.ru answers /sms/status; an SMPP gateway is asked
    with query_sm. Refused when the gateway cannot be asked (the status is then simply not known yet)."""
    gateway = gateway_of(account)
    if gateway.protocol == SMPP:
        return smpp.status(gateway, message_id)
    return smsru.status(gateway, message_id)
