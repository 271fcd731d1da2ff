"""The outbox's worker (GRP-06): a queued letter sent at once, the due ones every minute (retries after a temporary
refusal), and the rows a dead process left "sending" turned "unknown". Thin: the services inside."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_task

from kontora.core.tasks import periodic
from kontora.messaging.services import outbox


@db_task()
def letter_send_now(letter_id: int) -> None:
    outbox.letter_send(letter_id=letter_id)


@db_task()
def letters_send_due_now() -> None:
    """A mailing's letters, right after its run queued them (a few thousand at most: a run has at most its limit
    of clients)."""
    outbox.letters_send_due(rounds=50)


@periodic(crontab())
def letters_send_due() -> None:
    outbox.letters_sending_expire()
    outbox.letters_send_due()
    outbox.sms_deliveries_check()
