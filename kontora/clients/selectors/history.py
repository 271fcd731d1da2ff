"""The card's change history (CLI-12): the audit rows about the client, newest first, with who wrote them.

One table for both. Every write of the card already writes its audit row (`core.audit.audit_record`, with
`client=`) in the same transaction; keeping a second, per-app history table beside it would store each change
twice and let the two disagree (a history entry without its audit row or the reverse). So the history is a
read of `core.AuditEvent` by `client_id` (indexed `core_audit_client`): the rows keep the texts the user saw
(`summary`, `changes`), so they read the same after a directory item is renamed or deleted, and they outlive
the card (no foreign key). Audit rows are client-owned data: they are listed only for a client the asking user
may open.
"""

from __future__ import annotations

from collections.abc import Mapping

from kontora.accounts.models import User
from kontora.clients import policies
from kontora.clients.models import Client
from kontora.core.models import AuditEvent
from kontora.core.ui.pager import Keyset, Page

LIMIT = 50
NEWEST_FIRST = Keyset("-at", "-id")


def history_page(
    *, fetched_by: User, client: Client, cursor: Mapping[str, str] | None = None, size: int = LIMIT,
) -> Page[AuditEvent]:
    """A page of the rows about the card, newest first, if `fetched_by` may open it (else none), with their actors."""
    # The access check is the client's standing, memoised for the request (the card asked it already), and
    # `client_id = …` stays a plain condition, so the partial index on (client_id, -at, -id) serves the read.
    rows = AuditEvent.objects.filter(client_id=client.pk).select_related("actor")
    if not policies.history.can(fetched_by, "view", client):
        rows = rows.none()
    return NEWEST_FIRST.page(rows, cursor or {}, size=size)


def client_history(*, fetched_by: User, client: Client, limit: int = LIMIT) -> list[AuditEvent]:
    """The newest `limit` rows about the card, if `fetched_by` may open it (else none)."""
    return history_page(fetched_by=fetched_by, client=client, size=limit).rows
