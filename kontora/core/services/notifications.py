"""In-app notifications: sending one to a user, marking them read.

Open pages learn of new notifications by polling (core:notifications_poll), so sending needs no
side effect beyond the row itself: it works the same with one web process or fifty.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.core.audit import audit_record
from kontora.core.models import Notification
from kontora.core.permissions import Actor

log = logging.getLogger(__name__)

TEXT_MAX_LENGTH = 2000


def notification_send(
    *, acting_user: Actor | None, recipient: Actor, text: str, url: str = "", kind: str = "message"
) -> Notification:
    """Puts a notification on the recipient's bell; `url` is a local link ("/clients/5/") or empty.

    The program's own notice (a process step assigned, a job done): no audit row, the notification is its
    record. Raises ValidationError keyed by "recipient" or "text" so a form can show it next to the field.
    """
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not recipient.is_active:
        errors["recipient"] = _("This user cannot sign in: the account is disabled or the employee is dismissed.")
    if not text:
        errors["text"] = _("Enter the text of the message.")
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = _("The text is too long: at most %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    if url and (not url.startswith("/") or url.startswith("//")):
        # Links in notifications lead inside the program only; anything else is a programming error.
        raise ValueError(f"notification url must be a local path, got {url!r}")
    with transaction.atomic():
        notification = Notification.objects.create(
            user_id=recipient.pk, sender_id=acting_user.pk if acting_user else None, kind=kind[:32], text=text,
            url=url[:300],
        )
    log.info(
        "notification #%s (%s) to %s from %s",
        notification.pk, kind, recipient.login, getattr(acting_user, "login", "system"),
    )
    return notification


def message_send(*, acting_user: Actor, recipient: Actor, text: str) -> Notification:
    """Administration → Message to a user: a message from a person, recorded in the audit."""
    with transaction.atomic():
        notification = notification_send(acting_user=acting_user, recipient=recipient, text=text)
        audit_record(actor=acting_user, event="core.message.send", target=notification, summary=_("Message sent"),
                     extra={"recipient": recipient.login})
    return notification


def notification_mark_read(*, acting_user: Actor, notification_id: int) -> int:
    """Marks one of the user's own notifications read; returns how many rows changed (0 or 1)."""
    with transaction.atomic():
        return Notification.objects.filter(
            pk=notification_id, user_id=acting_user.pk, read_at__isnull=True
        ).update(read_at=timezone.now())


def notification_mark_all_read(*, acting_user: Actor) -> int:
    """Marks every unread notification of the user read; returns how many there were."""
    with transaction.atomic():
        return Notification.objects.filter(user_id=acting_user.pk, read_at__isnull=True).update(read_at=timezone.now())
