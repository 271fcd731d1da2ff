"""The duplicate check (CLI-16) with its record and limit: the check answers about the whole base — which INN,
name or phone is already registered, and whose curator has a client the user may not open — so every check is on
record (the values asked and the clients told of), and a user gets at most DUPLICATE_CHECKS_PER_MINUTE of them a
minute (counted in the base, so every web process counts the same). The card's save and its check while typing
both run it here."""

from __future__ import annotations

import logging
import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kontora.accounts.models import User
from kontora.clients import locks
from kontora.clients.selectors.duplicates import CHECK_EVENT, Report, checks_since, duplicate_report
from kontora.core.audit import audit_record
from kontora.core.errors import Throttled

log = logging.getLogger(__name__)

WINDOW = timedelta(minutes=1)
_TEXT_KEPT = 200  # a value asked is kept up to this length: enough to tell what was asked


def duplicate_check(
    *, acting_user: User, inn: str = "", short_name: str = "", phone: str = "", client_id: int | None = None,
) -> Report:
    """Runs a duplicate check and puts it on record (who, the values asked, on which card, which clients he was told
    of without seeing them), or refuses it with Throttled when the user already ran the minute's limit; a refused
    check runs nothing and is only logged."""
    limit = settings.DUPLICATE_CHECKS_PER_MINUTE
    with transaction.atomic():
        locks.checker_for_update(acting_user.pk)
        now = timezone.now()
        recent = checks_since(acting_user, now - WINDOW, limit=limit)
        if len(recent) >= limit:
            # The oldest of the minute's checks leaves the window first.
            seconds = max(1, math.ceil((recent[-1] + WINDOW - now).total_seconds()))
            log.warning("duplicate check of user %s refused: %d checks within a minute", acting_user.login, limit)
            raise Throttled(ngettext(
                "Too many duplicate checks in a minute. The check resumes in %(seconds)d second.",
                "Too many duplicate checks in a minute. The check resumes in %(seconds)d seconds.",
                seconds,
            ) % {"seconds": seconds}, retry_after=seconds)
        report = duplicate_report(user=acting_user, inn=inn, short_name=short_name, phones=(phone,),
                                  exclude_pk=client_id)
        audit_record(
            actor=acting_user, event=CHECK_EVENT, summary=_("Duplicate check"),
            extra={"inn": inn[:_TEXT_KEPT], "short_name": short_name[:_TEXT_KEPT], "phone": phone[:_TEXT_KEPT],
                   "client_id": client_id, "told": report.told_ids},
        )
    return report
