"""What the SMS interface (GRP-04) hands around: the gateway to talk to, and how a send or a status query went."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gateway:
    """An account ready to talk: its secrets in the clear, for one send only (never kept, never logged)."""

    protocol: str
    sender: str = ""
    host: str = ""
    port: int = 2775
    system_id: str = ""
    password: str = ""
    system_type: str = ""
    api_id: str = ""
    api_url: str = "https://sms.ru"


@dataclass(frozen=True)
class Receipt:
    """A delivery receipt an SMSC sent on the session (deliver_sm with the receipt's esm_class)."""

    message_id: str
    state: str  # DELIVRD, UNDELIV, EXPIRED, REJECTD …, as the SMSC wrote it
    error: str
    text: str  # the receipt's exact short_message


@dataclass(frozen=True)
class SmsReply:
    """How one SMS went. `text` is the gateway's exact answer (empty when none came), `message` what to tell the
    user in his language, quoting it; `code` the gateway's status (SMPP command_status as "0x0000000E", SMS.ru's
    status_code); `stage`: "connect", "auth", "number", "submit" or "sent"."""

    ok: bool
    stage: str
    code: str
    text: str
    message: str
    temporary: bool = False
    field: str | None = None
    message_id: str = ""  # the first part's id: what a receipt or sms_status names
    message_ids: tuple[str, ...] = ()
    parts: int = 0
    receipts: tuple[Receipt, ...] = ()
    balance: str = ""  # SMS.ru tells the account's balance with each answer


@dataclass(frozen=True)
class SmsStatus:
    """Where a sent message stands (sms_status): `final` once it will not change."""

    state: str  # "queued", "sent", "delivered", "failed", "unknown"
    final: bool
    code: str
    text: str  # the gateway's exact words
