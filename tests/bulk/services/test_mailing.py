"""Mailing through group processing (GRP-03): a run queues one letter to each subscribed address of each client
the author may open — the placeholders of an individual letter filled per recipient — lists clients without a
letter with the reason, never reaches another's private client, and the letters leave through the real server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from kontora.accounts.models import ClientScope, Role, UserRight
from kontora.bulk.models import BulkOutcome
from kontora.bulk.services.plan import MailDraft, Plan
from kontora.bulk.services.runs import bulk_run_apply, bulk_run_start
from kontora.clients.models import ClientMailing
from kontora.core.models import LegalEntity
from kontora.core.services.jobs import job_run
from kontora.messaging.models import Letter, Mailing
from kontora.messaging.services.outbox import letters_send_due
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory, ContactFactory
from tests.messaging.support import mailbox_of, subscribed


@pytest.fixture(autouse=True)
def english(settings: Any, db: Any) -> Iterator[None]:
    settings.PUBLIC_URL = "https://crm.romashka.test"
    with translation.override("en"):
        yield


def _manager(**fields: Any) -> Any:
    user = UserFactory(role=Role.MANAGER, client_scope=ClientScope.OWN, language="en", **fields)
    UserRight.objects.create(user=user, code="group_processing")
    return user


DRAFT = MailDraft(subject="{клиент}: новинки", text="Здравствуйте, {контакт}!\nВаш менеджер {куратор}, {организация}.",
                  html="<p>Здравствуйте, <b>{контакт}</b>!</p><script>alert(1)</script>", individual=True)


@pytest.mark.feature("GRP-03")
def test_a_run_queues_an_individual_letter_to_each_subscribed_address_it_may(smtp_refusing: Any) -> None:
    LegalEntity.objects.create(full_name="ООО «Ромашка»", short_name="ООО «Ромашка»", inn="7707083893",
                               is_default=True)
    author = _manager(full_name="Смирнова Анна")
    mailbox_of(author, smtp_refusing)
    stranger = UserFactory(role=Role.MANAGER, client_scope=ClientScope.FULL)
    alpha = ClientFactory(curator=author, short_name="Альфа")
    ContactFactory(client=alpha, full_name="Иванов Иван Петрович", email="ivanov@alpha.test")
    subscribed(alpha, "ivanov@alpha.test", whose="Иванов Иван Петрович")
    subscribed(alpha, "office@alpha.test", whose="Альфа")
    subscribed(alpha, "old@alpha.test", subscribed=False)
    excluded = ClientFactory(curator=author, short_name="Бета")
    subscribed(excluded, "beta@beta.test")
    ClientMailing.objects.create(client=excluded, exclude_email=True)
    secret = ClientFactory(curator=stranger, private=True)
    subscribed(secret, "secret@private.test")
    run = bulk_run_start(acting_user=author, client_ids=[alpha.pk, excluded.pk, secret.pk], selection="marked",
                         plan=Plan(), mail=DRAFT)
    job_run(job_id=run.job_id)
    # one letter per subscribed address of the client he may open, the placeholders filled for each
    letters = {letter.recipient: letter for letter in Letter.objects.all()}
    assert sorted(letters) == ["ivanov@alpha.test", "office@alpha.test"]
    ivanov = letters["ivanov@alpha.test"]
    assert ivanov.subject == "Альфа: новинки" and ivanov.purpose == Letter.Purpose.MARKETING
    assert ivanov.text == "Здравствуйте, Иван Петрович!\nВаш менеджер Смирнова Анна, ООО «Ромашка»."
    assert ivanov.html == "<p>Здравствуйте, <b>Иван Петрович</b>!</p>"  # the script never kept
    assert letters["office@alpha.test"].text.startswith("Здравствуйте, Альфа!")
    # the outcomes say who got a letter and why the others did not
    outcomes = {o.client_id: o for o in BulkOutcome.objects.all()}
    assert outcomes[alpha.pk].result == BulkOutcome.Result.CHANGED
    assert "ivanov@alpha.test" in outcomes[alpha.pk].changes[0]["new"]
    assert (outcomes[excluded.pk].result, outcomes[excluded.pk].reason) == (
        BulkOutcome.Result.UNCHANGED, "Excluded from e-mail mailing.")
    assert (outcomes[secret.pk].result, outcomes[secret.pk].reason) == (
        BulkOutcome.Result.SKIPPED, "The client is not available to you.")
    # and the letters leave through the server, once each
    letters_send_due()
    assert sorted(to for _sender, (to,) in smtp_refusing.inbox.envelopes) == ["ivanov@alpha.test",
                                                                             "office@alpha.test"]
    assert set(Letter.objects.values_list("state", flat=True)) == {Letter.State.SENT}


@pytest.mark.feature("GRP-03")
def test_a_run_taken_over_after_a_crash_queues_no_letter_twice(smtp_refusing: Any, progress_every_client: None
                                                               ) -> None:
    author = _manager()
    mailbox_of(author, smtp_refusing)
    clients = [ClientFactory(curator=author) for _ in range(3)]
    for number, client in enumerate(clients):
        subscribed(client, f"buyer{number}@example.test")
    run = bulk_run_start(acting_user=author, client_ids=[c.pk for c in clients], selection="marked", plan=Plan(),
                         mail=MailDraft(subject="Новости", text="Здравствуйте!", html="", individual=False))
    # the first process committed two clients and died before its checkpoint of the second was read back; the one
    # taking over resumes one client behind
    def die_after_two(done: int, total: int | None, message: str) -> None:
        if done == 2:
            raise SystemExit("killed")

    with pytest.raises(SystemExit):
        bulk_run_apply(run_id=run.pk, progress=die_after_two)
    assert Letter.objects.count() == 2
    bulk_run_apply(run_id=run.pk, progress=lambda *args: None, resume={"next": 1})
    assert Letter.objects.count() == 3 and Mailing.objects.count() == 1
    assert sorted(Letter.objects.values_list("recipient", flat=True)) == [
        "buyer0@example.test", "buyer1@example.test", "buyer2@example.test"]
