"""Background work of the accounts app: thin Huey tasks around services.sessions."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_task

from kontora.accounts.services import sessions as services
from kontora.core.tasks import periodic


@db_task()
def session_resolve_hostname(session_id: int) -> None:
    """The computer name of a new session for Active users (reverse DNS can be slow: off the request)."""
    services.session_hostname_resolve(session_id=session_id)


@periodic(crontab(minute="*/15"))
def sessions_prune_periodic() -> None:
    services.sessions_prune()
