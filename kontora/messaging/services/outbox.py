"""The outbox (GRP-06): one row per recipient, sent by claim, send, record — never twice, never lost silently.

- **Claim.** A worker takes a due queued row by a conditional UPDATE (queued → sending, with the moment), committed
  before the letter leaves: two workers never send one row.
- **Send, record.** The server's answer is recorded in the row: sent; a temporary refusal (4xx, no connection) is
  queued again with back-off, up to MAX_ATTEMPTS; a permanent one (5xx) fails the row and suppresses the address
  for marketing mail; a mailbox that refuses its login holds the row with the reason.
- **Crash.** SMTP cannot make a send and its record one act: a process that dies between them leaves the row in
  "sending". Past SENDING_LEASE such rows become "unknown — check and resend": listed, never resent by themselves.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from html import escape
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients.models import Client
from kontora.core.audit import audit_record
from kontora.core.errors import NotAllowed, Refused
from kontora.messaging import hooks, locks
from kontora.messaging.models import (
    Channel,
    Letter,
    LetterAttachment,
    Mailbox,
    MailingAttachment,
    SmsAccount,
    Suppression,
)
from kontora.messaging.services import marketing
from kontora.messaging.services.mailboxes import server_of
from kontora.messaging.services.sms import sms_deliver, sms_status
from kontora.messaging.services.smtp import Reply, Server, SmtpSession, smtp_deliver

MAX_ATTEMPTS = 5
# A send takes at most a few of smtp.TIMEOUT_S; a row still "sending" after this was left by a process that died.
SENDING_LEASE = datetime.timedelta(minutes=10)
DUE_BATCH = 200


def backoff(attempts: int) -> datetime.timedelta:
    """The wait before the next try after `attempts` tries: 1, 4, 16, 64 minutes."""
    return datetime.timedelta(minutes=4 ** max(0, attempts - 1))


def _mailbox_of(user: User) -> Mailbox:
    mailbox = Mailbox.objects.filter(user=user).first()
    if mailbox is None:
        raise Refused(_("Set up your mailbox first: Settings → Parameters → «Почта»."))
    return mailbox


def letter_queue(
    *, acting_user: User, recipient: str, subject: str, text: str, html: str = "", client: Client | None = None,
    purpose: str = Letter.Purpose.TRANSACTIONAL, attachments: Sequence[marketing.Attachment] = (),
) -> Letter:
    """A letter from the user's own mailbox to one recipient, queued and, on commit, handed to a worker to send at
    once (a transactional letter is outside the sending window and the marketing limits). Its `attachments` are
    kept in the storage (at most `ATTACHMENTS_MAX_BYTES` together) and go with every send of the letter."""
    mailbox = _mailbox_of(acting_user)
    size = sum(len(item.data) for item in attachments)
    if size > marketing.ATTACHMENTS_MAX_BYTES:
        raise Refused(_("The attachments take %(size)s; together they may take at most %(limit)s.") % {
            "size": filesizeformat(size), "limit": filesizeformat(marketing.ATTACHMENTS_MAX_BYTES)})
    recipient = recipient.strip()
    try:
        validate_email(recipient)
    except ValidationError:
        raise ValidationError({"recipient": _("“%(address)s” is not an e-mail address.") % {
            "address": recipient[:100]}}) from None
    with transaction.atomic():
        letter = Letter.objects.create(
            purpose=purpose, author=acting_user, client=client, recipient=recipient, subject=subject[:500],
            text=text, html=html, next_try_at=timezone.now(),
            message_id=make_msgid(domain=mailbox.address.rpartition("@")[2] or None))
        for item in attachments:
            attached = LetterAttachment(letter=letter, name=item.name[:255], size=len(item.data),
                                        content_type=(item.content_type or "application/octet-stream")[:100])
            attached.content.save(item.name[:200], ContentFile(item.data), save=False)
            attached.save()
        audit_record(actor=acting_user, event="messaging.letter.queue", target=letter, client=client,
                     summary=_("Letter queued to %(address)s") % {"address": recipient},
                     extra={"attachments": [item.name for item in attachments]} if attachments else None)
        letter_id = letter.pk
        transaction.on_commit(lambda: hooks.SEND_NOW.get("now")(letter_id))
    return letter


def message_of(letter: Letter, mailbox: Mailbox) -> EmailMessage:
    """The letter as it leaves: from the author's mailbox, its own Message-ID (kept, so a resend is the same
    letter), plain text with the HTML as its alternative."""
    message = EmailMessage()
    message["From"] = Address(display_name=mailbox.sender_name, addr_spec=mailbox.address)
    message["To"] = letter.recipient
    message["Subject"] = letter.subject
    message["Message-ID"] = letter.message_id
    text, html = letter.text or "", letter.html
    if letter.purpose == Letter.Purpose.MARKETING:
        # RFC 2369 and RFC 8058: mail programs show an «Отписаться» button that posts to the link by itself.
        link = marketing.unsubscribe_url(letter)
        message["List-Unsubscribe"] = f"<{link}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        footer = _("To stop receiving these letters, follow the link: %(link)s") % {"link": link}
        text = f"{text.rstrip()}\n\n-- \n{footer}\n"
        if html:
            label = escape(_("Unsubscribe from these letters"))
            html += f'<p style="font-size:small;color:#666"><a href="{escape(link)}">{label}</a></p>'
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    if letter.mailing_id:
        for item in MailingAttachment.objects.filter(mailing_id=letter.mailing_id).order_by("pk"):
            main, _slash, sub = (item.content_type or "application/octet-stream").partition("/")
            message.add_attachment(bytes(item.data), maintype=main, subtype=sub or "octet-stream",
                                   filename=item.name)
    for attached in LetterAttachment.objects.filter(letter=letter).order_by("pk"):
        main, _slash, sub = attached.content_type.partition("/")
        with default_storage.open(str(attached.content.name), "rb") as stored:
            data = stored.read()
        message.add_attachment(data, maintype=main, subtype=sub or "octet-stream", filename=attached.name)
    return message


def _claim(letter_id: int, now: datetime.datetime) -> bool:
    return bool(Letter.objects.filter(pk=letter_id, state=Letter.State.QUEUED, next_try_at__lte=now).update(
        state=Letter.State.SENDING, claimed_at=now, attempts=F("attempts") + 1))


def _claim_marketing(letter_id: int, now: datetime.datetime) -> bool:
    """A marketing letter is claimed only if it passes its gate; the gate and the claim run under the author's
    mailbox lock, so two workers never both take the last place of a limit."""
    letter = Letter.objects.select_related("author").filter(pk=letter_id).first()
    if letter is None:
        return False
    with transaction.atomic():
        pace = (locks.sms_account_for_update(letter.author_id) if letter.channel == Channel.SMS
                else locks.mailbox_for_update(letter.author_id))
        if pace is None:
            return _claim(letter_id, now)  # sending records that the mailbox or the SMS account is gone
        gate = marketing.marketing_gate(letter, pace, now)
        due = Letter.objects.filter(pk=letter_id, state=Letter.State.QUEUED, next_try_at__lte=now)
        if gate.author_stopped:
            marketing.marketing_hold_authors([letter.author_id])
            return False
        if gate.hold:
            due.update(state=Letter.State.HELD, answer=gate.hold[:1000])
            return False
        if gate.later is not None:
            due.update(next_try_at=gate.later)
            return False
        return _claim(letter_id, now)


def _record(letter: Letter, reply: Reply, now: datetime.datetime, message_id: str = "") -> None:
    values: dict[str, Any] = {"answer": reply.text[:1000]}
    if reply.sent:
        values.update(state=Letter.State.SENT, sent_at=now)
        if message_id:  # the gateway's id of an SMS: what its delivery report names
            values["message_id"] = message_id[:255]
    elif reply.stage == "auth":
        values.update(state=Letter.State.HELD)
    elif reply.temporary and letter.attempts < MAX_ATTEMPTS:
        values.update(state=Letter.State.QUEUED, next_try_at=now + backoff(letter.attempts))
    else:
        values.update(state=Letter.State.FAILED)
    with transaction.atomic():
        # Written also over "unknown": a send that outlived its lease still knows how it went.
        Letter.objects.filter(pk=letter.pk, state__in=[Letter.State.SENDING, Letter.State.UNKNOWN]).update(**values)
        if values["state"] == Letter.State.FAILED and not reply.temporary:  # with the row's record, or not at all
            marketing.address_suppress(letter=letter, reason=Suppression.Reason.BOUNCED, answer=reply.text)


def _sms_send(letter: Letter) -> tuple[Reply, str]:
    """An SMS through its author's account, its gateway's answer filed as an SMTP answer is: sent; the account
    refused (held); worth another try (temporary); or refused for good."""
    account = SmsAccount.objects.filter(user_id=letter.author_id).first()
    if account is None:
        return Reply(0, _("The sender has no SMS account: Settings → Parameters → «SMS»."), "auth"), ""
    try:
        sms = sms_deliver(account, letter.recipient, letter.text)
    except Refused as exc:
        return Reply(0, exc.message, "auth"), ""
    if sms.ok:
        # A receipt that came on the session itself (an SMPP gateway that answers at once) is recorded now; the
        # others are asked for later (sms_deliveries_check).
        for receipt in sms.receipts:
            if receipt.message_id in (sms.message_ids or (sms.message_id,)):
                _delivery_record(letter.pk, DELIVERED if receipt.state == "DELIVRD" else UNDELIVERED,
                                 receipt.text)
        return Reply(250, sms.text or sms.message, "sent"), sms.message_id
    if sms.stage == "auth":
        return Reply(0, sms.message, "auth"), ""
    return Reply(0 if sms.temporary else 550, sms.message, sms.stage), ""


class Sessions:
    """A round's open SMTP connections, one per mailbox: a mailing's letters share one (closed by `close`)."""

    def __init__(self) -> None:
        self._open: dict[Server, SmtpSession] = {}

    def deliver(self, server: Server, message: EmailMessage) -> Reply:
        session = self._open.get(server) or self._open.setdefault(server, SmtpSession(server))
        return session.deliver(message)

    def close(self) -> None:
        for session in self._open.values():
            session.close()
        self._open.clear()


def letter_send(*, letter_id: int, now: datetime.datetime | None = None,
                sessions: Sessions | None = None) -> Letter | None:
    """Claims the letter if it is queued and due, sends it (over its mailbox's connection in `sessions`, else one
    of its own), records how it went; None when another worker has it or it is not due."""
    now = now or timezone.now()
    marketing_letter = Letter.objects.filter(pk=letter_id, purpose=Letter.Purpose.MARKETING).exists()
    if not (_claim_marketing(letter_id, now) if marketing_letter else _claim(letter_id, now)):
        return None
    letter = Letter.objects.select_related("author").get(pk=letter_id)
    if letter.channel == Channel.SMS:
        reply, message_id = _sms_send(letter)
        _record(letter, reply, timezone.now(), message_id)
        letter.refresh_from_db()
        return letter
    mailbox = Mailbox.objects.filter(user_id=letter.author_id).first()
    if mailbox is None:
        reply = Reply(0, _("The sender has no mailbox: Settings → Parameters → «Почта»."), "auth")
    else:
        try:
            server = server_of({"host": mailbox.host, "port": mailbox.port, "security": mailbox.security,
                                "login": mailbox.login, "password": ""}, mailbox)
        except Refused as exc:
            reply = Reply(0, exc.message, "auth")
        else:
            try:
                message = message_of(letter, mailbox)
            except OSError as exc:  # an attachment gone from the storage, or the storage unreachable: tried later
                reply = Reply(0, _("An attachment of the letter cannot be read: %(error)s") % {"error": exc}, "data")
            else:
                reply = sessions.deliver(server, message) if sessions is not None else smtp_deliver(server, message)
    _record(letter, reply, timezone.now())
    letter.refresh_from_db()
    return letter


def letters_send_due(*, now: datetime.datetime | None = None, rounds: int = 1) -> int:
    """Sends the queued letters that are due, DUE_BATCH a round, up to `rounds` rounds or until none is due (every
    letter tried leaves the due set: sent, failed, held, or due again later); how many were sent."""
    sent = 0
    sessions = Sessions()
    marketing.marketing_hold_authors()  # also the letters not yet due: the journal shows them held at once
    try:
        for _round in range(rounds):
            moment = now or timezone.now()
            due = list(Letter.objects.filter(state=Letter.State.QUEUED, next_try_at__lte=moment)
                       .order_by("next_try_at", "pk").values_list("pk", flat=True)[:DUE_BATCH])
            for letter_id in due:
                letter = letter_send(letter_id=letter_id, now=moment, sessions=sessions)
                sent += letter is not None and letter.state == Letter.State.SENT
            if len(due) < DUE_BATCH:
                break
    finally:
        sessions.close()
    return sent


def letters_send_soon() -> None:
    """Hands the due letters to a worker once the caller's transaction commits (a mailing's letters, queued by a
    run, need not wait for the per-minute round)."""
    transaction.on_commit(lambda: hooks.SEND_DUE.get("due")())


def letters_sending_expire(*, now: datetime.datetime | None = None) -> int:
    """Rows left "sending" past the lease (their process died between the send and its record) become "unknown":
    never resent by themselves."""
    now = now or timezone.now()
    return Letter.objects.filter(state=Letter.State.SENDING, claimed_at__lt=now - SENDING_LEASE).update(
        state=Letter.State.UNKNOWN,
        answer=_("The sending stopped before its result was recorded: the letter may or may not have left. Check "
                 "with the recipient and resend it if need be."))


def letter_resend(*, acting_user: User, letter_id: int) -> Letter:
    """An unknown, failed or held letter queued again by its author (or an administrator): a person's decision."""
    with transaction.atomic():
        letter = Letter.objects.filter(pk=letter_id).first()
        if letter is None or not (letter.author_id == acting_user.pk or acting_user.is_admin):
            raise NotAllowed
        again = Q(state__in=[Letter.State.UNKNOWN, Letter.State.FAILED, Letter.State.HELD])
        if not Letter.objects.filter(again, pk=letter_id).update(state=Letter.State.QUEUED, next_try_at=timezone.now(),
                                                                   attempts=0):
            raise Refused(_("Only a letter that failed, is held or whose fate is unknown can be sent again."))
        letter.refresh_from_db()
        audit_record(actor=acting_user, event="messaging.letter.resend", target=letter, client=letter.client_id,
                     summary=_("Letter to %(address)s queued again") % {"address": letter.recipient})
        transaction.on_commit(lambda: hooks.SEND_NOW.get("now")(letter_id))
    return letter


DELIVERED, UNDELIVERED = "delivered", "failed"
DELIVERY_WINDOW = datetime.timedelta(days=3)  # gateways keep a message's status about this long
DELIVERY_BATCH = 200


def _delivery_record(letter_id: int, state: str, text: str) -> None:
    Letter.objects.filter(pk=letter_id).update(delivery=state, delivery_text=text[:500], delivery_at=timezone.now())


def sms_deliveries_check(*, now: datetime.datetime | None = None) -> int:
    """Asks the gateways where the SMS sent lately stand and records the final answers (delivered or not); how many
    were recorded. A gateway that cannot be asked now is asked again in the next round."""
    now = now or timezone.now()
    pending = list(Letter.objects.filter(channel=Channel.SMS, state=Letter.State.SENT, delivery="",
                                         sent_at__gte=now - DELIVERY_WINDOW).exclude(message_id="")
                   .order_by("sent_at", "pk").values_list("pk", "author_id", "message_id")[:DELIVERY_BATCH])
    accounts = {account.user_id: account for account in SmsAccount.objects.filter(
        user_id__in={author_id for _pk, author_id, _id in pending})}
    recorded = 0
    for letter_id, author_id, message_id in pending:
        account = accounts.get(author_id)
        if account is None:
            continue
        try:
            status = sms_status(account, message_id)
        except Refused:
            continue
        if status.final and status.state in (DELIVERED, UNDELIVERED):
            _delivery_record(letter_id, status.state, status.text)
            recorded += 1
    return recorded
