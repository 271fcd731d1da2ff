"""Marketing mail (GRP-03, GRP-07): mailings and their letters, the placeholders of an individual letter, the
unsubscribe link, and what a marketing letter must pass when it is due.

A marketing letter is sent only while it is still wanted (the address subscribed, the client not excluded, the
address not suppressed — each read again when the letter is due), only inside its author's sending window and
limits, only while its author may still do group processing, and only with an unsubscribe link on the server's
public address (`KONTORA_PUBLIC_URL`): without one, a mailing is refused.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import make_msgid

import nh3
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients.models import Client, ClientMailingAddress
from kontora.clients.services.mailing import mailing_unsubscribe
from kontora.core.audit import audit_record
from kontora.core.errors import NotAllowed, Refused
from kontora.core.selectors.calendar import user_zone
from kontora.messaging.models import (
    Channel,
    Letter,
    Mailbox,
    Mailing,
    MailingAttachment,
    MarketingPace,
    SmsAccount,
    Suppression,
)
from kontora.messaging.selectors.recipients import may_receive, public_url_missing

# Mailings are a part of group processing (the manual's «Групповая обработка → E-Mail»): its right sends them.
RIGHT = "group_processing"
ATTACHMENTS_MAX_BYTES = 10 * 1024 * 1024  # together; most mail servers refuse letters over 20–25 MB
UNSUBSCRIBE_SALT = "kontora.messaging.unsubscribe"

# The placeholders of an individual letter: the Russian names first (the interface's), the English as aliases.
PLACEHOLDERS = {"клиент": "client", "контакт": "contact", "куратор": "curator", "организация": "organisation",
                "client": "client", "contact": "contact", "curator": "curator", "organisation": "organisation"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes


def html_clean(html: str) -> str:
    """A mailing's HTML as it may be sent and shown: tags, attributes and link schemes on nh3's allow-list (no
    script, no event handler, no javascript: link)."""
    return nh3.clean(html or "").strip()


def placeholders_check(text: str, *, individual: bool) -> list[str]:
    """The problems of a text's placeholders, in the user's language (empty when it is fine)."""
    if text.count("{") != text.count("}"):
        return [_("A placeholder is not closed: every «{» needs its «}».")]
    unknown = sorted({name for name in _PLACEHOLDER.findall(text) if name.strip().lower() not in PLACEHOLDERS})
    problems = [_("Unknown placeholder {%(name)s}: use {клиент}, {контакт}, {куратор} or {организация}.") % {
        "name": name} for name in unknown]
    if not problems and not individual and _PLACEHOLDER.search(text):
        problems.append(_("Placeholders are filled in only in an individual letter to each recipient: tick it."))
    return problems


def placeholders_fill(text: str, values: Mapping[str, str], *, html: bool = False) -> str:
    from html import escape

    def one(match: re.Match[str]) -> str:
        value = values.get(PLACEHOLDERS.get(match.group(1).strip().lower(), ""), "")
        return escape(value) if html else value

    return _PLACEHOLDER.sub(one, text)


def _may_mail(user: User) -> bool:
    return bool(user.is_active and user.has_right(RIGHT))


def _require_right(acting_user: User) -> None:
    if not _may_mail(acting_user):
        raise NotAllowed(_("You do not have the right to group processing."))


def mailing_create(
    *, acting_user: User, subject: str, text: str, html: str, individual: bool, attachments: Sequence[Attachment],
) -> Mailing:
    """A mailing ready for its letters; refused without the right, a mailbox or the public address, with bad
    placeholders or attachments over the limit (each next to its field)."""
    _require_right(acting_user)
    if not settings.PUBLIC_URL:
        raise Refused(public_url_missing())
    if not Mailbox.objects.filter(user=acting_user).exists():
        raise Refused(_("Set up your mailbox first: Settings → Parameters → «Почта»."))
    errors: dict[str, list[str]] = {}
    if not subject.strip():
        errors["mail_subject"] = [_("Enter the subject.")]
    if not (text.strip() or html_clean(html)):
        errors["mail_text"] = [_("Write the letter's text.")]
    for name, value in (("mail_subject", subject), ("mail_text", text), ("mail_html", html)):
        problems = placeholders_check(value, individual=individual)
        if problems:
            errors.setdefault(name, []).extend(problems)
    size = sum(len(item.data) for item in attachments)
    if size > ATTACHMENTS_MAX_BYTES:
        errors["mail_files"] = [_("The attachments take %(size)s; together they may take at most %(limit)s.") % {
            "size": filesizeformat(size), "limit": filesizeformat(ATTACHMENTS_MAX_BYTES)}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        mailing = Mailing.objects.create(author=acting_user, subject=subject.strip()[:500], text=text,
                                         html=html_clean(html), individual=individual)
        MailingAttachment.objects.bulk_create(
            MailingAttachment(mailing=mailing, name=item.name[:255], content_type=item.content_type[:100],
                              data=item.data, size=len(item.data)) for item in attachments)
        audit_record(actor=acting_user, event="messaging.mailing.create", target=mailing,
                     summary=_("Mailing prepared: %(subject)s") % {"subject": mailing.subject},
                     extra={"attachments": len(attachments)})
    return mailing


def sms_mailing_create(*, acting_user: User, text: str) -> Mailing:
    """An SMS mailing (GRP-04): its text, with the placeholders each recipient's SMS fills in; refused without the
    right or an SMS account, or with a bad text (next to its field)."""
    _require_right(acting_user)
    if not SmsAccount.objects.filter(user=acting_user).exists():
        raise Refused(_("Set up your SMS account first: Settings → Parameters → «SMS»."))
    problems = placeholders_check(text, individual=True) if text.strip() else [_("Write the message's text.")]
    if problems:
        raise ValidationError({"sms_text": problems})
    with transaction.atomic():
        mailing = Mailing.objects.create(author=acting_user, channel=Channel.SMS, subject=text.strip()[:100],
                                         text=text.strip(), individual=True)
        audit_record(actor=acting_user, event="messaging.mailing.create", target=mailing,
                     summary=_("SMS mailing prepared: %(text)s") % {"text": mailing.subject[:60]})
    return mailing


def marketing_letter_queue(*, mailing: Mailing, client: Client, recipient: str, values: Mapping[str, str],
                           domain: str | None = None) -> Letter:
    """One recipient's letter of a mailing (in the caller's transaction): its placeholders filled in when the
    mailing is individual; the per-minute worker sends it inside the window and limits. `domain`: the author's
    mailbox's (`message_domain`), as read once for many letters (else read here)."""
    fill = mailing.individual
    if mailing.channel == Channel.SMS:
        return Letter.objects.create(
            purpose=Letter.Purpose.MARKETING, channel=Channel.SMS, author_id=mailing.author_id, client=client,
            recipient=recipient, mailing=mailing, next_try_at=timezone.now(),
            text=placeholders_fill(mailing.text, values) if fill else mailing.text)
    return Letter.objects.create(
        purpose=Letter.Purpose.MARKETING, author_id=mailing.author_id, client=client, recipient=recipient,
        mailing=mailing, next_try_at=timezone.now(),
        subject=(placeholders_fill(mailing.subject, values) if fill else mailing.subject)[:500],
        text=placeholders_fill(mailing.text, values) if fill else mailing.text,
        html=placeholders_fill(mailing.html, values, html=True) if fill else mailing.html,
        message_id=make_msgid(domain=(message_domain(mailing.author_id) if domain is None else domain) or None))


def message_domain(author_id: int) -> str:
    """The domain of the author's mailbox, which his letters' Message-IDs name."""
    address = Mailbox.objects.filter(user_id=author_id).values_list("address", flat=True).first() or ""
    return address.rpartition("@")[2]


def unsubscribe_url(letter: Letter) -> str:
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(letter.pk))
    return settings.PUBLIC_URL + reverse("messaging:unsubscribe", kwargs={"token": token})


def letter_of_token(token: str) -> Letter | None:
    try:
        letter_id = int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Letter.objects.filter(pk=letter_id, purpose=Letter.Purpose.MARKETING).first()


def letter_unsubscribe(*, letter: Letter, one_click: bool) -> None:
    """The recipient refused marketing mail: the address is suppressed and no client's row of it stays subscribed
    (the consent record says how); transactional letters still reach it."""
    key = letter.recipient.lower()
    with transaction.atomic():
        address_suppress(letter=letter, reason=Suppression.Reason.UNSUBSCRIBED)
        mailing_unsubscribe(kind=ClientMailingAddress.Kind.EMAIL, value_key=key,
                            how=ClientMailingAddress.Consent.ONE_CLICK if one_click
                            else ClientMailingAddress.Consent.LINK)


def address_suppress(*, letter: Letter, reason: str, answer: str = "") -> None:
    """The letter's recipient gets no more marketing mail (it unsubscribed, or its server refused it for good):
    kept once, with an audit row — no person acted, the recipient or the server did."""
    suppression, created = Suppression.objects.get_or_create(address_key=letter.recipient.lower(), defaults={
        "reason": reason, "answer": answer[:1000]})
    if created:
        audit_record(actor=None, event="messaging.suppression.add", target=suppression, client=letter.client_id,
                     summary=_("%(address)s gets no more mailings: %(reason)s") % {
                         "address": letter.recipient, "reason": suppression.get_reason_display()},
                     extra={"letter": letter.pk, "answer": answer[:300]})


# What a due marketing letter must pass (outbox.letter_send asks, under its author's mailbox lock).

@dataclass(frozen=True)
class Gate:
    hold: str = ""  # held with this reason
    author_stopped: bool = False  # the author may no longer mail: every queued marketing letter of his is held
    later: datetime.datetime | None = None  # due again then (outside the window, or over a limit)


def _window_opens(pace: MarketingPace, author: User, now: datetime.datetime) -> datetime.datetime | None:
    """None inside the window; else when it opens next, on the author's clock."""
    local = now.astimezone(user_zone(author))
    start, end = pace.window_from, pace.window_to
    moment = local.time()
    inside = start <= moment < end if start < end else (moment >= start or moment < end)
    if inside or start == end:
        return None
    opens = local.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
    if opens <= local:
        opens += datetime.timedelta(days=1)
    return opens


def _limits_free(pace: MarketingPace, letter: Letter, now: datetime.datetime) -> datetime.datetime | None:
    """None when another message may leave now; else when the fullest limit of its channel frees a place."""
    claimed = Letter.objects.filter(author_id=letter.author_id, purpose=Letter.Purpose.MARKETING,
                                    channel=letter.channel, claimed_at__isnull=False)
    for limit, period in ((pace.limit_minute, datetime.timedelta(minutes=1)),
                          (pace.limit_hour, datetime.timedelta(hours=1)),
                          (pace.limit_day, datetime.timedelta(days=1))):
        if not limit:
            continue
        recent = claimed.filter(claimed_at__gt=now - period)
        if recent.count() >= limit:
            oldest = recent.aggregate(first=Min("claimed_at"))["first"]
            return oldest + period
    return None


def _author_stopped() -> str:
    return _("The mailing stopped: its author may no longer do group processing.")


def marketing_hold_authors(author_ids: Sequence[int] | None = None) -> int:
    """Every queued marketing letter (e-mail and SMS) of an author who may no longer mail — dismissed, disabled or
    without the right — held at once with the reason, not one by one as each comes due; of `author_ids`, or of
    every author with a queued one. How many were held."""
    queued = Letter.objects.filter(state=Letter.State.QUEUED, purpose=Letter.Purpose.MARKETING)
    if author_ids is None:
        author_ids = list(queued.order_by().values_list("author_id", flat=True).distinct())
    stopped = [user.pk for user in User.objects.filter(pk__in=author_ids) if not _may_mail(user)]
    if not stopped:
        return 0
    return queued.filter(author_id__in=stopped).update(state=Letter.State.HELD, answer=_author_stopped()[:1000])


def marketing_gate(letter: Letter, pace: MarketingPace, now: datetime.datetime) -> Gate:
    """`pace`: the author's mailbox for a letter, his SMS account for an SMS (their limits and sending hours)."""
    author = letter.author
    if letter.channel == Channel.EMAIL and not settings.PUBLIC_URL:  # an SMS carries no link
        return Gate(hold=public_url_missing())
    if not _may_mail(author):
        return Gate(hold=_author_stopped(), author_stopped=True)
    if not may_receive(letter.client_id, letter.recipient, letter.channel):
        return Gate(hold=_("Not sent: the address or number refused mailings or was refused, or the client was "
                           "excluded from mailing after the mailing was made."))
    later = _window_opens(pace, author, now) or _limits_free(pace, letter, now)
    return Gate(later=later)
