"""SMPP 3.4 (GRP-04) through smpplib: one session per send, as smtp.py opens one connection per letter — connect,
bind_transceiver, one submit_sm per part (concatenated behind a UDH, the data_coding of the alphabet used, a
delivery receipt requested), unbind.

Receipts: a transceiver session may carry deliver_sm receipts; those that arrive before the unbind's answer are
acknowledged and returned with the reply (an SMSC that answers at once, as the tests' does). Most receipts come
later, when the session is gone: `status` then asks the SMSC with query_sm, as the outbox's later check would.
"""

from __future__ import annotations

import re
import socket
import struct
from typing import Any

import smpplib.client
import smpplib.consts as c
import smpplib.exceptions
import smpplib.smpp
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kontora.core.errors import Refused
from kontora.messaging.services.sms.parts import DATA_CODING, segments
from kontora.messaging.services.sms.replies import Gateway, Receipt, SmsReply, SmsStatus

TIMEOUT_S = 20
RECEIPT_ESM = 0x04  # esm_class of a deliver_sm that is an SMSC delivery receipt
NAMES = {value: name.removeprefix("SMPP_") for name, value in vars(c).items()
         if name.startswith("SMPP_ESME_") and isinstance(value, int)}
# command_status → (what to tell the user, worth a retry, the form field at fault). The account's own refusals
# (bind, sender) are told at stage "auth": every message would meet them, so the outbox holds rather than fails.
BIND_REFUSALS: dict[int, tuple[Promise, bool, str | None]] = {
    c.SMPP_ESME_RINVPASWD: (gettext_lazy("The SMS gateway did not accept the password"), False, "password"),
    c.SMPP_ESME_RINVSYSID: (gettext_lazy("The SMS gateway does not know this system_id"), False, "system_id"),
    c.SMPP_ESME_RINVSYSTYP: (gettext_lazy("The SMS gateway did not accept the system_type"), False, "system_type"),
    c.SMPP_ESME_RBINDFAIL: (gettext_lazy("The SMS gateway refused the connection (bind)"), False, None),
    c.SMPP_ESME_RALYBND: (gettext_lazy("The SMS gateway says this account is already connected"), True, None),
    c.SMPP_ESME_RTHROTTLED: (gettext_lazy("The SMS gateway is throttling the account: too many requests"), True, None),
}
SUBMIT_REFUSALS: dict[int, tuple[Promise, bool, str | None]] = {
    c.SMPP_ESME_RINVDSTADR: (gettext_lazy("The SMS gateway refused the number"), False, "number"),
    c.SMPP_ESME_RINVSRCADR: (gettext_lazy("The SMS gateway did not accept the sender name"), False, "sender"),
    c.SMPP_ESME_RTHROTTLED: (gettext_lazy("The SMS gateway is throttling the account: too many messages at once"),
                             True, None),
    c.SMPP_ESME_RMSGQFUL: (gettext_lazy("The SMS gateway's queue is full"), True, None),
    c.SMPP_ESME_RX_T_APPN: (gettext_lazy("The SMS gateway refused the message for now"), True, None),
    c.SMPP_ESME_RSYSERR: (gettext_lazy("The SMS gateway had an internal error"), True, None),
    c.SMPP_ESME_RINVMSGLEN: (gettext_lazy("The SMS gateway refused the message's length"), False, "text"),
    c.SMPP_ESME_RSUBMITFAIL: (gettext_lazy("The SMS gateway refused the message"), False, None),
}
STATES = {c.SMPP_MESSAGE_STATE_ENROUTE: ("sent", False), c.SMPP_MESSAGE_STATE_ACCEPTED: ("sent", False),
          c.SMPP_MESSAGE_STATE_DELIVERED: ("delivered", True), c.SMPP_MESSAGE_STATE_EXPIRED: ("failed", True),
          c.SMPP_MESSAGE_STATE_DELETED: ("failed", True), c.SMPP_MESSAGE_STATE_UNDELIVERABLE: ("failed", True),
          c.SMPP_MESSAGE_STATE_REJECTED: ("failed", True), c.SMPP_MESSAGE_STATE_UNKNOWN: ("unknown", False)}
_RECEIPT = re.compile(r"id:(?P<id>\S+).*?stat:(?P<stat>\w+)(?:.*?err:(?P<err>\w+))?", re.S)


def _text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value or "")


def said(command: str, status: int) -> str:
    """The gateway's answer as it came: "submit_sm_resp 0x00000058 ESME_RTHROTTLED"."""
    return f"{command} 0x{status:08X} {NAMES.get(status, '')}".strip()


def _addresses(gateway: Gateway, e164: str) -> dict[str, Any]:
    sender = gateway.sender
    if sender and sender.lstrip("+").isdigit():
        source = {"source_addr_ton": c.SMPP_TON_INTL, "source_addr_npi": c.SMPP_NPI_ISDN,
                  "source_addr": sender.lstrip("+")}
    else:
        source = {"source_addr_ton": c.SMPP_TON_ALNUM if sender else c.SMPP_TON_UNK,
                  "source_addr_npi": c.SMPP_NPI_UNK, "source_addr": sender}
    return {**source, "dest_addr_ton": c.SMPP_TON_INTL, "dest_addr_npi": c.SMPP_NPI_ISDN,
            "destination_addr": e164.lstrip("+")}


class _Session:
    """One bound session: PDUs read until the one awaited, receipts and enquire_links answered on the way."""

    def __init__(self, gateway: Gateway) -> None:
        self.where = f"{gateway.host}:{gateway.port}"
        self.client = smpplib.client.Client(gateway.host, gateway.port, timeout=TIMEOUT_S,
                                            allow_unknown_opt_params=True)
        self.receipts: list[Receipt] = []

    def connect(self, gateway: Gateway) -> None:
        try:
            socket.getaddrinfo(gateway.host, gateway.port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise Refused(_("The SMS gateway “%(host)s” is not found: %(reason)s.") % {
                "host": gateway.host, "reason": exc.strerror or exc}) from exc
        try:
            self.client.connect()
        except smpplib.exceptions.ConnectionError as exc:
            raise Refused(_("Cannot connect to the SMS gateway %(where)s.") % {"where": self.where}) from exc

    def send(self, sent: Any, answer: str) -> Any:
        """Sends the PDU and reads up to its answer (the same sequence number)."""
        try:
            self.client.send_pdu(sent)
            while True:
                pdu = self.client.read_pdu()
                if pdu.command == "deliver_sm":
                    self._receipt(pdu)
                elif pdu.command == "enquire_link":
                    self.client._enquire_link_received(pdu)
                elif pdu.command in (answer, "generic_nack") and pdu.sequence == sent.sequence:
                    return pdu
        except (smpplib.exceptions.ConnectionError, smpplib.exceptions.PDUError, OSError, struct.error,
                ValueError) as exc:
            raise Refused(_("The SMS gateway %(where)s broke off the connection: %(reason)s") % {
                "where": self.where, "reason": exc or type(exc).__name__}) from exc

    def _receipt(self, pdu: Any) -> None:
        text = _text(pdu.short_message)
        if (pdu.esm_class or 0) & RECEIPT_ESM:
            match = _RECEIPT.search(text)
            message_id = _text(getattr(pdu, "receipted_message_id", None)) or (match["id"] if match else "")
            self.receipts.append(Receipt(message_id=message_id.rstrip("\0"), state=match["stat"] if match else "",
                                         error=(match["err"] or "") if match else "", text=text))
        answer = smpplib.smpp.make_pdu("deliver_sm_resp", client=self.client)
        answer.sequence = pdu.sequence
        self.client.send_pdu(answer)

    def unbind(self) -> None:
        """Unbinds politely; receipts that come before its answer are kept."""
        if self.client.state in (c.SMPP_CLIENT_STATE_BOUND_TX, c.SMPP_CLIENT_STATE_BOUND_TRX):
            try:
                self.send(smpplib.smpp.make_pdu("unbind", client=self.client), "unbind_resp")
            except Refused:
                pass  # everything asked was answered already

    def disconnect(self) -> None:
        if self.client._socket is not None:
            self.client.disconnect()


def _refusal(table: dict[int, tuple[Promise, bool, str | None]], command: str, status: int, stage: str,
             **sent: Any) -> SmsReply:
    answer = said(command, status)
    what, temporary, field = table.get(status, (gettext_lazy("The SMS gateway refused the message"), False, None))
    if stage == "submit" and field == "sender":
        stage = "auth"
    elif stage == "auth" and temporary:
        stage = "connect"  # "auth" is the account's lasting refusal (hold); a busy bind is only tried again later
    return SmsReply(False, stage, f"0x{status:08X}", answer, f"{what}: {answer}", temporary=temporary,
                    field=field, **sent)


def _bind(session: _Session, gateway: Gateway) -> SmsReply | None:
    bind = smpplib.smpp.make_pdu("bind_transceiver", client=session.client, system_id=gateway.system_id,
                                 password=gateway.password, system_type=gateway.system_type)
    answer = session.send(bind, "bind_transceiver_resp")
    if answer.status != c.SMPP_ESME_ROK:
        return _refusal(BIND_REFUSALS, answer.command, answer.status, "auth")
    session.client.state = c.SMPP_CLIENT_STATE_BOUND_TRX
    return None


def deliver(gateway: Gateway, e164: str, text: str) -> SmsReply:
    """Sends one message (all its parts) in one session; the reply quotes the SMSC's answers."""
    cut = segments(text)
    session = _Session(gateway)
    ids: list[str] = []
    stage = "connect"  # where a lost session leaves the message: before any submit it was never sent
    try:
        session.connect(gateway)
    except Refused as exc:
        return SmsReply(False, "connect", "", "", exc.message, temporary=True, field="host",
                        parts=len(cut.payloads))
    try:
        refused = _bind(session, gateway)
        if refused is not None:
            return refused
        for payload in cut.payloads:
            submit = smpplib.smpp.make_pdu(
                "submit_sm", client=session.client, **_addresses(gateway, e164),
                esm_class=c.SMPP_GSMFEAT_UDHI if cut.udhi else c.SMPP_MSGMODE_DEFAULT,
                data_coding=DATA_CODING[cut.encoding], registered_delivery=c.SMPP_SMSC_DELIVERY_RECEIPT_BOTH,
                short_message=payload)
            stage = "submit"
            answer = session.send(submit, "submit_sm_resp")
            if answer.status != c.SMPP_ESME_ROK:
                # Parts already taken may still arrive: the ids say which; the outbox resends the whole text.
                return _refusal(SUBMIT_REFUSALS, answer.command, answer.status, "submit",
                                message_id=ids[0] if ids else "", message_ids=tuple(ids), parts=len(cut.payloads))
            ids.append(_text(answer.message_id).rstrip("\0"))
        session.unbind()
    except Refused as exc:
        # After a submit went out its fate is unknown: the reply says which parts the gateway confirmed.
        return SmsReply(False, stage, "", "", exc.message, temporary=True,
                        message_id=ids[0] if ids else "", message_ids=tuple(ids), parts=len(cut.payloads))
    finally:
        session.disconnect()
    answer = "; ".join(f"submit_sm_resp 0x00000000 message_id {message_id}" for message_id in ids)
    return SmsReply(True, "sent", "0x00000000", answer, answer, message_id=ids[0], message_ids=tuple(ids),
                    parts=len(cut.payloads), receipts=tuple(session.receipts))


def status(gateway: Gateway, message_id: str) -> SmsStatus:
    """query_sm for one message: its state as the SMSC has it."""
    session = _Session(gateway)
    try:
        session.connect(gateway)
        refused = _bind(session, gateway)
        if refused is not None:
            raise Refused(refused.message, field=refused.field)
        query = smpplib.smpp.make_pdu("query_sm", client=session.client, message_id=message_id,
                                      **{key: value for key, value in _addresses(gateway, "").items()
                                         if key.startswith("source")})
        answer = session.send(query, "query_sm_resp")
        session.unbind()
    finally:
        session.disconnect()
    if answer.status != c.SMPP_ESME_ROK:
        return SmsStatus("unknown", False, f"0x{answer.status:08X}", said(answer.command, answer.status))
    state, final = STATES.get(answer.message_state or 0, ("unknown", False))
    return SmsStatus(state, final, str(answer.message_state),
                     f"query_sm_resp message_state {answer.message_state} error_code {answer.error_code or 0}")
