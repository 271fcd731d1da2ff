"""Periodic tasks run once per schedule however many servers and workers run them: each run is claimed in the base.

Every worker's Huey scheduler enqueues every periodic task when its schedule comes round; the first run to insert
(task, scheduled minute) into `PeriodicClaim` does the work, the others see the unique row and skip.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from kontora.core.models import PeriodicClaim

log = logging.getLogger("kontora.periodic")

LOOKBACK_MINUTES = 60  # how late a run may start and still be told its scheduled minute
CLAIMS_KEPT = timedelta(days=7)
_now = timezone.now


def periodic_slot(validate: Callable[[datetime], bool], now: datetime) -> datetime:
    """The scheduled minute a run at `now` (aware) belongs to: the latest minute at or before it that the schedule
    names, so a run started late by a busy worker claims the same minute as a punctual one. In UTC."""
    minute = now.astimezone(UTC).replace(second=0, microsecond=0)
    for back in range(LOOKBACK_MINUTES):
        moment = minute - timedelta(minutes=back)
        if validate(moment.replace(tzinfo=None)):  # Huey's schedules are asked with naive UTC times
            return moment
    return minute


def periodic_claim(*, task: str, validate: Callable[[datetime], bool]) -> bool:
    """Claims this scheduled run of `task`: True for the one run that does the work, False for the others."""
    slot = periodic_slot(validate, _now())
    try:
        with transaction.atomic():
            PeriodicClaim.objects.create(task=task, slot=slot, host=socket.gethostname()[:255], pid=os.getpid())
    except IntegrityError:
        log.info("periodic task %s of %s already claimed by another worker", task, slot)
        return False
    PeriodicClaim.objects.filter(slot__lt=slot - CLAIMS_KEPT).delete()
    return True
