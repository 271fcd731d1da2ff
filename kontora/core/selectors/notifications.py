"""The bell, the notifications page, and whom an administrator may write to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, QuerySet

from kontora.core.models import Notification
from kontora.core.ui.pager import Keyset, Page

NEWEST_FIRST = Keyset("-id")


def notification_state(user: Any) -> tuple[int, int]:
    """(unread count, newest unread id) of the user: one query over the (user, read_at, -id) index."""
    row = Notification.objects.filter(user=user, read_at__isnull=True).aggregate(count=Count("id"), last=Max("id"))
    return row["count"] or 0, row["last"] or 0


def notifications_unread_after(user: Any, after_id: int, *, limit: int = 5) -> list[Notification]:
    """The newest unread notifications above `after_id` (not yet shown as toasts), oldest first."""
    rows = (
        Notification.objects.filter(user=user, read_at__isnull=True, pk__gt=after_id)
        .select_related("sender")
        .order_by("-id")[:limit]
    )
    return list(reversed(rows))


def notification_list(*, fetched_by: Any, cursor: Mapping[str, str], size: int = 50) -> Page[Notification]:
    """A page of the user's notifications, newest first, from `cursor` (core.ui.pager)."""
    return NEWEST_FIRST.page(Notification.objects.filter(user=fetched_by).select_related("sender"), cursor, size=size)


def message_recipients() -> QuerySet[Any]:
    """Users who can sign in and so can read a message."""
    return get_user_model().objects.filter(disabled=False, dismissed=False).order_by("full_name", "id")
