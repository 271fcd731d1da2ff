"""Row locks of messaging, taken through core.locks (on SQLite the write transaction itself serialises)."""

from __future__ import annotations

from kontora.core.locks import locked
from kontora.messaging.models import Mailbox, SmsAccount


def mailbox_for_update(user_id: int) -> Mailbox | None:
    """A user's mailbox, locked: its marketing limits are counted and a letter claimed under it."""
    return locked(Mailbox.objects.filter(user_id=user_id)).first()


def sms_account_for_update(user_id: int) -> SmsAccount | None:
    """A user's SMS account, locked: its marketing limits are counted and an SMS claimed under it."""
    return locked(SmsAccount.objects.filter(user_id=user_id)).first()
