"""The calendar address (PLN-04): whose feed a token opens, the tasks it lists, and the user's address as the
Parameters show it."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from kontora.activity import policies
from kontora.activity.models import CalendarFeed, Task
from kontora.clients import access

# What the feed lists: the user's tasks as assignee that are not closed, and those closed in the last
# `CLOSED_DAYS` days (a calendar keeps the recent past); at most `FEED_CAP`, the latest starts first.
CLOSED_DAYS = 30
FEED_CAP = 2000
TOKEN_MAX = 100  # a longer "token" is no token of ours: not even hashed


def feed_owner(token: str) -> Any | None:
    """The user whose live address `token` is, while he may sign in; None for a revoked, unknown or malformed one
    (the feed answers all of them with the same 404)."""
    if not token or len(token) > TOKEN_MAX:
        return None
    digest = hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=digest, revoked_at__isnull=True).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def feed_tasks(*, owner: Any, now: datetime.datetime | None = None) -> QuerySet[Task]:
    """`owner`'s own tasks as assignee for his feed, each with `client_open`: may he still open its client (else the
    feed says «клиент недоступен» and nothing more of it). One query."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=CLOSED_DAYS)
    tasks = (
        policies.journal_tasks(owner)
        .filter(assignee_id=owner.pk)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff))
        .select_related("client", "case")
        .annotate(client_open=Exists(access.openable_clients(owner).filter(pk=OuterRef("client_id"))))
        .order_by("-starts_at", "-id")
    )
    return tasks[:FEED_CAP]


def calendar_feed_state(user: Any) -> CalendarFeed | None:
    """The user's live address, or else the last one that ended (the page says when and why), or None."""
    if not user.pk:
        return None
    return CalendarFeed.objects.filter(user_id=user.pk).order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at", "-id").first()
