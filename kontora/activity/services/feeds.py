"""The calendar address (PLN-04): made, replaced and revoked by its user; revoked when his password changes.

A token is 256 random bits, shown once to the user who made it; the base keeps only its SHA-256
(`CalendarFeed.token_hash`), so neither a copy of the base nor an audit row opens a feed. Every change is an audit
row about the user (never the token).
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.activity import locks
from kontora.activity.models import CalendarFeed
from kontora.core.audit import audit_record
from kontora.core.errors import Conflict, Refused
from kontora.core.services.notifications import notification_send

EVENT = "activity.calendar_feed"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _end(feeds: list[CalendarFeed], ended: str) -> None:
    now = timezone.now()
    for feed in feeds:
        feed.revoked_at, feed.ended = now, ended
        feed.save(update_fields=["revoked_at", "ended"])


def calendar_feed_create(*, acting_user: User) -> str:
    """A new calendar address for the acting user; a live one is replaced (it stops answering). Returns the token:
    the caller shows it once and forgets it."""
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            live = locks.live_feeds(acting_user.pk)
            _end(live, CalendarFeed.Ended.REPLACED)
            feed = CalendarFeed.objects.create(user=acting_user, token_hash=token_hash(token))
            audit_record(
                actor=acting_user, event=f"{EVENT}.{'replace' if live else 'create'}", target=feed,
                summary=_("Calendar address replaced") if live else _("Calendar address created"),
            )
    except IntegrityError as exc:  # another request made one meanwhile (nothing was live to lock)
        raise Conflict(_("Your calendar address was changed meanwhile in another window. Look at it again.")) \
            from exc
    return token


def calendar_feed_revoke(*, acting_user: User) -> None:
    """The acting user's calendar address stops answering (404, like an address that never was)."""
    with transaction.atomic():
        live = locks.live_feeds(acting_user.pk)
        if not live:
            raise Refused(_("You have no calendar address to revoke."))
        _end(live, CalendarFeed.Ended.REVOKED)
        audit_record(actor=acting_user, event=f"{EVENT}.revoke", target=live[0],
                     summary=_("Calendar address revoked"))


def calendar_feed_rotate(*, acting_user: User | None, user: User) -> None:
    """`user`'s password changed (accounts' PASSWORD_CHANGED, in its transaction): his live address, which may have
    leaked with the old password, stops answering; he is told, and makes a new one (a token is shown only to the
    one who makes it, so the program cannot hand him a new one unseen)."""
    with transaction.atomic():
        live = locks.live_feeds(user.pk)
        if not live:
            return
        _end(live, CalendarFeed.Ended.PASSWORD)
        audit_record(actor=acting_user, event=f"{EVENT}.rotate", target=live[0],
                     summary=_("Calendar address revoked: the password was changed"))
        if user.is_active:
            with translation.override(user.language or "ru"):
                text = _("Your password was changed, so your calendar address was revoked. "
                         "Make a new one in Settings → Parameters → Calendar.")
            notification_send(acting_user=acting_user, recipient=user, text=text,
                              url=reverse("activity:calendar_feed"), kind="message")
