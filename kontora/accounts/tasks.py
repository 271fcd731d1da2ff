from __future__ import annotations

import socket

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kontora.accounts.models import UserSession


@db_task()
def session_resolve_hostname(session_id: int) -> None:
    """Reverse DNS of the user's address for Active users; done off the request, it can be slow."""
    record = UserSession.objects.filter(pk=session_id).only("ip").first()
    if record is None:
        return
    try:
        hostname = socket.gethostbyaddr(record.ip)[0]
    except (OSError, UnicodeError):
        return
    UserSession.objects.filter(pk=session_id).update(hostname=hostname[:255])


@db_periodic_task(crontab(minute="*/15"))
def sessions_prune_periodic() -> None:
    from kontora.accounts.services.signin import sessions_prune

    sessions_prune()
