"""The outbox (GRP-06) against a real SMTP server: a letter is claimed, sent and recorded once; a temporary
refusal retries with back-off; a permanent one fails the row and suppresses the address; a mailbox that refuses
its login holds the row; a row a dead process left "sending" becomes "unknown", never resent by itself."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from kontora.core.errors import Refused
from kontora.core.models import AuditEvent
from kontora.messaging.models import Letter, Suppression
from kontora.messaging.services.mailboxes import mailbox_save
from kontora.messaging.services.outbox import (
    SENDING_LEASE,
    letter_queue,
    letter_resend,
    letter_send,
    letters_send_due,
    letters_sending_expire,
)
from tests.clients.factories import ClientFactory
from tests.messaging.support import LOGIN, PASSWORD


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _mailbox(user: Any, server: Any, password: str = PASSWORD) -> None:
    mailbox_save(acting_user=user, values={"host": "localhost", "port": server.port, "security": server.security,
                                           "sender_name": "Отдел продаж", "address": LOGIN, "login": LOGIN,
                                           "password": password})


def _letter(user: Any, to: str = "client@example.test", **fields: Any) -> Letter:
    return letter_queue(acting_user=user, recipient=to, subject="Счёт № 42", text="Добрый день!", **fields)


@pytest.mark.feature("GRP-06")
def test_a_letter_is_claimed_sent_and_recorded_once(admin_user, smtp_refusing):
    # given a queued letter about a client
    _mailbox(admin_user, smtp_refusing)
    letter = _letter(admin_user, client=ClientFactory(curator=admin_user), html="<p>Добрый день!</p>")
    # when two workers both try to send it
    first = letter_send(letter_id=letter.pk)
    second = letter_send(letter_id=letter.pk)
    # then it left once, and its row says so with the server's answer
    assert second is None
    assert first is not None and first.state == Letter.State.SENT and first.sent_at is not None
    assert first.answer == "250 2.0.0 Ok: queued as K0NT0RA" and first.attempts == 1
    assert len(smtp_refusing.inbox.letters) == 1
    got = smtp_refusing.inbox.letters[0]
    assert str(got["Subject"]) == "Счёт № 42" and got["Message-ID"] == letter.message_id
    assert got.get_body(("html",)).get_content().strip() == "<p>Добрый день!</p>"
    assert got.get_body(("plain",)).get_content().strip() == "Добрый день!"


@pytest.mark.feature("GRP-06")
def test_a_temporary_refusal_is_retried_after_a_pause_and_then_sent(admin_user, smtp_refusing):
    _mailbox(admin_user, smtp_refusing)
    smtp_refusing.inbox.refusals = ["451 4.7.1 Greylisted, try again later"]
    letter = _letter(admin_user)
    now = timezone.now()
    # the first try is refused for now: queued again a minute later, with the server's words
    tried = letter_send(letter_id=letter.pk, now=now)
    assert tried is not None and tried.state == Letter.State.QUEUED
    assert "451 4.7.1 Greylisted" in tried.answer
    assert tried.next_try_at is not None and tried.next_try_at - now >= datetime.timedelta(minutes=1)
    # not due before its time; sent once due
    assert letters_send_due(now=now + datetime.timedelta(seconds=30)) == 0
    assert letters_send_due(now=now + datetime.timedelta(minutes=2)) == 1
    letter.refresh_from_db()
    assert (letter.state, letter.attempts) == (Letter.State.SENT, 2)
    assert len(smtp_refusing.inbox.letters) == 1


@pytest.mark.feature("GRP-06", "GRP-07")
def test_a_permanent_refusal_fails_the_letter_and_suppresses_the_address(admin_user, smtp_refusing):
    _mailbox(admin_user, smtp_refusing)
    smtp_refusing.inbox.unknown = {"gone@example.test"}
    letter = letter_send(letter_id=_letter(admin_user, to="gone@example.test").pk)
    assert letter is not None and letter.state == Letter.State.FAILED
    assert "550 5.1.1" in letter.answer and "gone@example.test" in letter.answer
    assert Suppression.objects.get(address_key="gone@example.test").reason == Suppression.Reason.BOUNCED
    answer = AuditEvent.objects.get(event="messaging.suppression.add").extra["answer"]
    assert answer.endswith("550 5.1.1 <gone@example.test>: Recipient address rejected: User unknown")
    # a letter to another address of the same run still leaves (the positive control)
    other = letter_send(letter_id=_letter(admin_user).pk)
    assert other is not None and other.state == Letter.State.SENT


@pytest.mark.feature("GRP-06")
def test_a_mailbox_that_refuses_its_login_holds_the_letter_with_the_reason(admin_user, smtp_refusing):
    _mailbox(admin_user, smtp_refusing, password="устаревший")
    letter = letter_send(letter_id=_letter(admin_user).pk)
    assert letter is not None and letter.state == Letter.State.HELD
    assert letter.answer.startswith("The mail server did not accept the login or the password: 535")
    assert smtp_refusing.inbox.letters == []


@pytest.mark.feature("GRP-06")
def test_a_letter_left_sending_by_a_dead_process_becomes_unknown_and_is_never_resent_by_itself(admin_user,
                                                                                             smtp_refusing):
    _mailbox(admin_user, smtp_refusing)
    letter = _letter(admin_user)
    # given a worker that claimed the letter and died before recording (the row stays "sending")
    claimed = timezone.now() - SENDING_LEASE - datetime.timedelta(seconds=1)
    Letter.objects.filter(pk=letter.pk).update(state=Letter.State.SENDING, claimed_at=claimed, attempts=1)
    # when the workers look after the outbox
    assert letters_sending_expire() == 1
    assert letters_send_due(now=timezone.now() + datetime.timedelta(days=1)) == 0
    # then the row says its fate is unknown, and nothing was sent again
    letter.refresh_from_db()
    assert letter.state == Letter.State.UNKNOWN and "may or may not have left" in letter.answer
    assert smtp_refusing.inbox.letters == []
    # until its author decides to send it again
    letter_resend(acting_user=admin_user, letter_id=letter.pk)
    sent = letter_send(letter_id=letter.pk)
    assert sent is not None and sent.state == Letter.State.SENT and len(smtp_refusing.inbox.letters) == 1


@pytest.mark.feature("GRP-06")
def test_a_letter_still_sending_within_its_lease_is_left_alone(admin_user, smtp_refusing):
    _mailbox(admin_user, smtp_refusing)
    letter = _letter(admin_user)
    Letter.objects.filter(pk=letter.pk).update(state=Letter.State.SENDING, claimed_at=timezone.now())
    assert letters_sending_expire() == 0


@pytest.mark.feature("GRP-06")
def test_without_a_mailbox_or_with_a_bad_address_nothing_is_queued(admin_user, smtp_refusing):
    with pytest.raises(Refused, match="Set up your mailbox first"):
        _letter(admin_user)
    _mailbox(admin_user, smtp_refusing)
    with pytest.raises(ValidationError):
        _letter(admin_user, to="не адрес")
    assert not Letter.objects.exists()


@pytest.mark.feature("GRP-06", "INV-06")
def test_a_letters_attachments_are_stored_and_go_with_every_send(admin_user, smtp_refusing, settings, tmp_path):
    from kontora.messaging.models import LetterAttachment
    from kontora.messaging.services.marketing import Attachment

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    _mailbox(admin_user, smtp_refusing)
    smtp_refusing.inbox.refusals = ["451 4.3.0 Try again later"]
    letter = _letter(admin_user, attachments=[Attachment("Счёт 42.pdf", "application/pdf", b"%PDF-1.7 body"),
                                              Attachment("readme.txt", "text/plain", "текст".encode())])
    # kept in the storage, not in the base
    stored = list(LetterAttachment.objects.filter(letter=letter).order_by("pk"))
    assert [item.name for item in stored] == ["Счёт 42.pdf", "readme.txt"]
    assert (tmp_path / stored[0].content.name).read_bytes() == b"%PDF-1.7 body"
    # refused once, then sent: the same files go with the retry
    assert letter_send(letter_id=letter.pk).state == Letter.State.QUEUED
    letter.refresh_from_db()
    assert letter_send(letter_id=letter.pk, now=letter.next_try_at).state == Letter.State.SENT
    got = smtp_refusing.inbox.letters[0]
    files = [(part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
             for part in got.iter_attachments()]
    assert files == [("Счёт 42.pdf", "application/pdf", b"%PDF-1.7 body"),
                     ("readme.txt", "text/plain", "текст".encode())]
    assert got.get_body(("plain",)).get_content().strip() == "Добрый день!"


@pytest.mark.feature("GRP-06", "INV-06")
def test_attachments_over_the_limit_queue_nothing(admin_user, smtp_refusing, monkeypatch):
    from kontora.messaging.services import marketing
    from kontora.messaging.services.marketing import Attachment

    _mailbox(admin_user, smtp_refusing)
    monkeypatch.setattr(marketing, "ATTACHMENTS_MAX_BYTES", 10)
    with pytest.raises(Refused, match="attachments take"):
        _letter(admin_user, attachments=[Attachment("big.pdf", "application/pdf", b"x" * 11)])
    assert not Letter.objects.exists()
