"""Marketing mail (GRP-03, GRP-07) against a real SMTP server: only subscribed, never excluded, never suppressed
addresses; the sending window and the per-mailbox limits (time frozen by the `now` the worker is given); the
unsubscribe headers and link, which work without signing in; the public address required; the author's right
asked again when each letter is due. Transactional mail ignores all of it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.utils import translation

from kontora.accounts.models import ClientScope, Role, UserRight
from kontora.clients.models import ClientMailing, ClientMailingAddress
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent
from kontora.messaging.models import Letter, Mailbox, Suppression
from kontora.messaging.selectors.recipients import marketing_recipients
from kontora.messaging.services.marketing import (
    ATTACHMENTS_MAX_BYTES,
    Attachment,
    mailing_create,
    marketing_letter_queue,
)
from kontora.messaging.services.outbox import letter_queue, letter_send, letters_send_due
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.messaging.support import mailbox_of, moscow, subscribed

PUBLIC = "https://crm.romashka.test"
MOSCOW = ZoneInfo("Europe/Moscow")
NOON = moscow(1, 12)  # tomorrow, inside the default window, 09:00–20:00


@pytest.fixture(autouse=True)
def english(settings: Any, db: Any) -> Iterator[None]:
    settings.PUBLIC_URL = PUBLIC
    with translation.override("en"):
        yield


def _manager() -> Any:
    user = UserFactory(role=Role.MANAGER, client_scope=ClientScope.OWN, language="en")
    UserRight.objects.create(user=user, code="group_processing")
    return user


def _mailing(user: Any, **fields: Any) -> Any:
    values = {"subject": "Новинки декабря", "text": "Здравствуйте!", "html": "", "individual": False,
              "attachments": (), **fields}
    return mailing_create(acting_user=user, **values)


def _queue(user: Any, address: str = "buyer@example.test", **fields: Any) -> Letter:
    client = ClientFactory(curator=user)
    subscribed(client, address)
    return marketing_letter_queue(mailing=_mailing(user, **fields), client=client, recipient=address, values={})


@pytest.mark.feature("GRP-07")
def test_a_mailing_reaches_only_subscribed_not_excluded_not_suppressed_addresses() -> None:
    user = _manager()
    wanted, unsubscribed, excluded, suppressed, bare = (ClientFactory(curator=user) for _ in range(5))
    subscribed(wanted, "Wanted@Example.test")
    subscribed(wanted, "off@example.test", subscribed=False)
    subscribed(unsubscribed, "gone@example.test", subscribed=False)
    subscribed(excluded, "excluded@example.test")
    ClientMailing.objects.create(client=excluded, exclude_email=True)
    subscribed(suppressed, "bounced@example.test")
    Suppression.objects.create(address_key="bounced@example.test", reason=Suppression.Reason.BOUNCED)
    found = marketing_recipients([c.pk for c in (wanted, unsubscribed, excluded, suppressed, bare)])
    assert found.addresses == {wanted.pk: [("Wanted@Example.test", "")]}
    assert found.reasons == {unsubscribed.pk: "No subscribed e-mail address.", bare.pk: "No subscribed e-mail address.",
                             excluded.pk: "Excluded from e-mail mailing.",
                             suppressed.pk: "The address unsubscribed or was refused by its mail server."}


@pytest.mark.feature("GRP-07")
def test_a_marketing_letter_carries_the_unsubscribe_headers_link_and_attachments(smtp_refusing: Any) -> None:
    user = _manager()
    mailbox_of(user, smtp_refusing)
    letter = _queue(user, subject="Скидки для «Ромашки»", html="<p>Здравствуйте!</p>",
                    attachments=(Attachment("прайс.pdf", "application/pdf", b"%PDF-1.4 price"),))
    sent = letter_send(letter_id=letter.pk, now=NOON)
    assert sent is not None and sent.state == Letter.State.SENT, sent.answer  # type: ignore[union-attr]
    got = smtp_refusing.inbox.letters[0]
    assert str(got["Subject"]) == "Скидки для «Ромашки»"
    link = got["List-Unsubscribe"].strip("<>")
    assert link.startswith(PUBLIC + "/messaging/unsubscribe/")
    assert got["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"List-Unsubscribe: <{link}>\r\n".encode() in smtp_refusing.inbox.raw[0]  # as mail programs read it
    assert link in got.get_body(("plain",)).get_content()
    assert f'href="{link}"' in got.get_body(("html",)).get_content()
    files = [(part.get_filename(), part.get_content()) for part in got.iter_attachments()]
    assert files == [("прайс.pdf", b"%PDF-1.4 price")]


@pytest.mark.feature("GRP-07")
def test_the_unsubscribe_link_works_without_signing_in_and_one_click_is_recorded(smtp_refusing: Any) -> None:
    user = _manager()
    mailbox_of(user, smtp_refusing)
    letter = _queue(user, "Buyer@Example.test")
    other_client = ClientFactory(curator=user)
    subscribed(other_client, "buyer@example.test")
    letter_send(letter_id=letter.pk, now=NOON)
    path = smtp_refusing.inbox.letters[0]["List-Unsubscribe"].strip("<>").removeprefix(PUBLIC)
    browser = HttpClient()
    # the page asks first (a mail scanner opening the link unsubscribes nobody) …
    page = browser.get(path)
    assert page.status_code == 200 and b"unsubscribe-confirm" in page.content
    assert ClientMailingAddress.objects.filter(subscribed=True).count() == 2
    # … and the mail program's one-click POST (no CSRF token, no session) unsubscribes every client's row of it
    answer = browser.post(path, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    suppression = Suppression.objects.get(address_key="buyer@example.test")
    assert suppression.reason == Suppression.Reason.UNSUBSCRIBED
    # with one audit row, of nobody's act, about the letter's client
    audit = AuditEvent.objects.get(event="messaging.suppression.add")
    assert (audit.actor_id, audit.client_id, audit.target_id) == (None, letter.client_id, suppression.pk)
    assert audit.summary == "Buyer@Example.test больше не получает рассылок: Отписался"
    rows = list(ClientMailingAddress.objects.all())
    assert [row.subscribed for row in rows] == [False, False]
    assert {row.consent_how for row in rows} == {ClientMailingAddress.Consent.ONE_CLICK}
    assert all(row.consent_at is not None for row in rows)
    # a forged token reaches nothing
    assert browser.post(path[:-3] + "xx/").status_code == 404


@pytest.mark.feature("GRP-07")
def test_a_queued_letter_whose_address_unsubscribed_meanwhile_is_held_not_sent(smtp_refusing: Any) -> None:
    user = _manager()
    mailbox_of(user, smtp_refusing)
    letter = _queue(user)
    Suppression.objects.create(address_key="buyer@example.test", reason=Suppression.Reason.UNSUBSCRIBED)
    held = letter_send(letter_id=letter.pk, now=NOON)
    letter.refresh_from_db()
    assert held is None and letter.state == Letter.State.HELD and "refused mailings" in letter.answer
    assert smtp_refusing.inbox.letters == []
    # positive control: the same letter to a wanted address leaves
    second = _queue(user, "fresh@example.test")
    assert letter_send(letter_id=second.pk, now=NOON).state == Letter.State.SENT  # type: ignore[union-attr]


@pytest.mark.feature("GRP-07")
def test_transactional_mail_ignores_the_window_the_limits_and_marketing_suppression(smtp_refusing: Any) -> None:
    user = _manager()
    mailbox_of(user, smtp_refusing, limit_minute=1, window_from=datetime.time(9), window_to=datetime.time(10))
    Suppression.objects.create(address_key="buyer@example.test", reason=Suppression.Reason.UNSUBSCRIBED)
    night = moscow(1, 23, 30)
    for _ in range(2):
        letter = letter_queue(acting_user=user, recipient="buyer@example.test", subject="Счёт № 7", text="Счёт.")
        assert letter_send(letter_id=letter.pk, now=night).state == Letter.State.SENT  # type: ignore[union-attr]
    assert len(smtp_refusing.inbox.letters) == 2
    assert "List-Unsubscribe" not in smtp_refusing.inbox.letters[0]


@pytest.mark.feature("GRP-07")
def test_marketing_letters_wait_for_the_sending_window_on_the_authors_clock(smtp_refusing: Any) -> None:
    user = _manager()
    mailbox_of(user, smtp_refusing, window_from=datetime.time(9), window_to=datetime.time(18))
    letter = _queue(user)
    evening = moscow(1, 19)
    assert letter_send(letter_id=letter.pk, now=evening) is None
    letter.refresh_from_db()
    assert letter.state == Letter.State.QUEUED and smtp_refusing.inbox.letters == []
    assert letter.next_try_at == moscow(2, 9)
    sent = letter_send(letter_id=letter.pk, now=moscow(2, 9, 1))
    assert sent is not None and sent.state == Letter.State.SENT


@pytest.mark.feature("GRP-07")
def test_marketing_letters_keep_to_the_mailboxes_limit_a_minute(smtp_refusing: Any) -> None:
    user = _manager()
    mailbox_of(user, smtp_refusing, limit_minute=2)
    letters = [_queue(user, f"buyer{n}@example.test") for n in range(3)]
    states = [letter_send(letter_id=letter.pk, now=NOON + datetime.timedelta(seconds=n))
              for n, letter in enumerate(letters)]
    assert [s.state if s else None for s in states] == [Letter.State.SENT, Letter.State.SENT, None]
    letters[2].refresh_from_db()
    # due again when the first of the minute's two leaves the window
    assert letters[2].next_try_at == NOON + datetime.timedelta(minutes=1)
    assert letter_send(letter_id=letters[2].pk, now=NOON + datetime.timedelta(minutes=1, seconds=1)) is not None
    assert len(smtp_refusing.inbox.letters) == 3


@pytest.mark.feature("GRP-07")
def test_letters_are_held_when_their_author_loses_the_right(smtp_refusing: Any) -> None:
    user = _manager()
    mailbox_of(user, smtp_refusing)
    first, second = _queue(user, "a@example.test"), _queue(user, "b@example.test")
    assert letter_send(letter_id=first.pk, now=NOON) is not None
    UserRight.objects.filter(user=user).delete()
    assert letter_send(letter_id=second.pk, now=NOON) is None
    second.refresh_from_db()
    assert second.state == Letter.State.HELD and "may no longer do group processing" in second.answer
    assert len(smtp_refusing.inbox.letters) == 1


@pytest.mark.feature("GRP-07")
def test_every_queued_letter_of_an_author_who_lost_the_right_is_held_at_once_not_when_each_comes_due(
        smtp_refusing: Any) -> None:
    user, other = _manager(), _manager()
    mailbox_of(user, smtp_refusing)
    mailbox_of(other, smtp_refusing)
    # given letters of two authors waiting for later (over a limit, outside the window) and one transactional
    later = NOON + datetime.timedelta(days=2)
    waiting = [_queue(user, f"w{n}@example.test") for n in range(3)]
    Letter.objects.filter(pk__in=[letter.pk for letter in waiting]).update(next_try_at=later)
    others = _queue(other, "other@example.test")
    Letter.objects.filter(pk=others.pk).update(next_try_at=later)
    invoice = letter_queue(acting_user=user, recipient="accountant@example.test", subject="Счёт", text="Счёт")
    Letter.objects.filter(pk=invoice.pk).update(next_try_at=later)
    # when the author loses the right and the worker's round runs, none of his letters being due yet
    UserRight.objects.filter(user=user).delete()
    letters_send_due(now=NOON)
    # then each of his marketing letters is held with the reason; the other author's and the invoice still queued
    states = dict(Letter.objects.values_list("recipient", "state"))
    assert [states[f"w{n}@example.test"] for n in range(3)] == [Letter.State.HELD] * 3
    assert states["other@example.test"] == states["accountant@example.test"] == Letter.State.QUEUED
    assert set(Letter.objects.filter(state=Letter.State.HELD).values_list("answer", flat=True)) == {
        "The mailing stopped: its author may no longer do group processing."}
    assert smtp_refusing.inbox.letters == []


@pytest.mark.feature("GRP-07")
def test_without_the_public_address_marketing_mail_is_refused_and_a_queued_letter_held(settings: Any,
                                                                                        smtp_refusing: Any) -> None:
    user = _manager()
    mailbox_of(user, smtp_refusing)
    letter = _queue(user)
    settings.PUBLIC_URL = ""
    with pytest.raises(Refused, match="KONTORA_PUBLIC_URL"):
        _mailing(user)
    assert letter_send(letter_id=letter.pk, now=NOON) is None
    letter.refresh_from_db()
    assert letter.state == Letter.State.HELD and "KONTORA_PUBLIC_URL" in letter.answer
    assert smtp_refusing.inbox.letters == []


@pytest.mark.feature("GRP-03")
def test_a_mailing_refuses_broken_placeholders_big_attachments_and_no_right(smtp_refusing: Any) -> None:
    user = _manager()
    mailbox_of(user, smtp_refusing)
    with pytest.raises(ValidationError) as broken:
        _mailing(user, text="Здравствуйте, {контакт!", individual=True, subject="{клиен}: новости",
                 attachments=(Attachment("big.bin", "application/octet-stream", b"x" * (ATTACHMENTS_MAX_BYTES + 1)),))
    errors = broken.value.message_dict
    assert errors["mail_text"] == ["A placeholder is not closed: every «{» needs its «}»."]
    assert errors["mail_subject"][0].startswith("Unknown placeholder {клиен}")
    assert errors["mail_files"][0].startswith("The attachments take 10.0")
    with pytest.raises(ValidationError, match="individual letter"):
        _mailing(user, text="Здравствуйте, {контакт}!")
    UserRight.objects.filter(user=user).delete()
    with pytest.raises(NotAllowed):
        _mailing(type(user).objects.get(pk=user.pk))
    assert not Mailbox.objects.exclude(user=user).exists() and not Letter.objects.exists()


@pytest.mark.feature("GRP-06")
def test_a_rounds_letters_of_one_mailbox_share_one_connection(smtp_refusing: Any) -> None:
    user = _manager()
    mailbox_of(user, smtp_refusing, window_from=datetime.time(0), window_to=datetime.time(0))
    for number in range(3):
        _queue(user, f"buyer{number}@example.test")
    smtp_refusing.inbox.refusals = ["451 4.3.0 Try later"]  # one letter put off: the connection carries on
    assert letters_send_due() == 2
    assert len(smtp_refusing.inbox.letters) == 2 and len(smtp_refusing.inbox.peers) == 1
    # a letter of its own (a transactional one) opens its own connection (positive control of the count)
    letter = letter_queue(acting_user=user, recipient="buyer@example.test", subject="Счёт", text="Счёт.")
    assert letter_send(letter_id=letter.pk).state == Letter.State.SENT  # type: ignore[union-attr]
    assert len(smtp_refusing.inbox.peers) == 2
