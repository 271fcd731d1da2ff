"""Counts of clients for the statistics reports."""

from __future__ import annotations

import datetime
from typing import Any

from kontora.clients import access


def clients_registered(user: Any, *, subject_id: int, start: datetime.datetime, end: datetime.datetime) -> int:
    """How many clients `subject_id` registered in [start, end), among those the asking `user` may open."""
    return access.openable_clients(user).filter(created_by_id=subject_id, created_at__gte=start,
                                                created_at__lt=end).count()
