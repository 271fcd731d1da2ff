"""Each user's own mailbox (GRP-03, Settings → Parameters → «Почта»): the SMTP server letters leave through; and
his SMS account (GRP-04, «SMS»), the gateway his SMS leave through.

The password is kept sealed (Fernet) with the installation's mail key (`KONTORA_MAIL_KEY`, else
`KONTORA_HOME/mail_key`; config.mail_key), never shown back: a backup restored under another key keeps the mailbox
but not its password, which the program then asks for again.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class MarketingPace(models.Model):
    """Marketing messages only (GRP-07): how many may leave a minute, an hour, a day (0: no limit) — a provider
    blocks a mailbox or an SMS account that sends too fast — and the hours they may leave, on the owner's clock."""

    limit_minute = models.PositiveIntegerField(_("letters a minute"), default=20)
    limit_hour = models.PositiveIntegerField(_("letters an hour"), default=300)
    limit_day = models.PositiveIntegerField(_("letters a day"), default=2000)
    window_from = models.TimeField(_("send mailings from"), default=datetime.time(9, 0))
    window_to = models.TimeField(_("until"), default=datetime.time(20, 0))

    PACE_FIELDS = ("limit_minute", "limit_hour", "limit_day", "window_from", "window_to")

    class Meta:
        abstract = True


class Mailbox(MarketingPace):
    class Security(models.TextChoices):
        SSL = "ssl", _("SSL/TLS from the start (usually port 465)")
        STARTTLS = "starttls", _("STARTTLS (usually port 587)")
        NONE = "none", _("None (only inside the office network)")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="mailbox")
    host = models.CharField(_("SMTP server"), max_length=255)
    port = models.PositiveIntegerField(_("SMTP port"), default=465,
                                       validators=[MinValueValidator(1), MaxValueValidator(65535)])
    security = models.CharField(_("encryption"), max_length=8, choices=Security.choices, default=Security.SSL)
    sender_name = models.CharField(_("mailbox name"), max_length=200, blank=True)
    address = models.EmailField(_("e-mail"))
    login = models.CharField(_("user name (login)"), max_length=254, blank=True)
    password_sealed = models.TextField(blank=True, editable=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.address


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Mailing(models.Model):
    """A marketing mailing (GRP-03): what a group processing run writes, kept once — its subject, texts and
    attachments — while each recipient gets a Letter row of its own (with the placeholders filled in)."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("sender"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    subject = models.CharField(_("subject"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML text"), blank=True)  # sanitised (nh3) when the mailing was made
    individual = models.BooleanField(_("individual letter to each recipient"), default=False)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")

    def __str__(self) -> str:
        return self.subject


class MailingAttachment(models.Model):
    """A file sent with every letter of a mailing; kept in the base (with its backup), at most
    `ATTACHMENTS_MAX_BYTES` together."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    data = models.BinaryField()
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class SmsAccount(MarketingPace):
    """Each user's own SMS account (GRP-04, Settings → Parameters → «SMS»): an SMPP 3.4 gateway (an operator's or an
    aggregator's SMSC) or SMS.ru's HTTP API. Its secrets — the SMPP password, SMS.ru's api_id — are sealed like the
    mailbox's password and never shown back."""

    class Protocol(models.TextChoices):
        SMSRU = "smsru", _("SMS.ru (HTTP API)")
        SMPP = "smpp", _("SMPP 3.4 (an operator's or aggregator's gateway)")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="sms_account")
    protocol = models.CharField(_("protocol"), max_length=8, choices=Protocol.choices, default=Protocol.SMSRU)
    sender = models.CharField(_("sender name"), max_length=15, blank=True)  # up to 11 letters, or up to 15 digits
    host = models.CharField(_("SMPP server"), max_length=255, blank=True)
    port = models.PositiveIntegerField(_("SMPP port"), default=2775,
                                       validators=[MinValueValidator(1), MaxValueValidator(65535)])
    system_id = models.CharField(_("system_id (login)"), max_length=15, blank=True)
    password_sealed = models.TextField(blank=True, editable=False)
    system_type = models.CharField(_("system_type"), max_length=12, blank=True)
    api_id_sealed = models.TextField(blank=True, editable=False)
    api_url = models.URLField(_("API address"), max_length=255, default="https://sms.ru")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SMS account")
        verbose_name_plural = _("SMS accounts")

    def __str__(self) -> str:
        return f"{self.get_protocol_display()}: {self.sender}"


class Letter(models.Model):
    """One row per recipient of the outbox (GRP-06): what is sent to whom, and where it stands.

    Sending claims a row (queued → sending), sends, records (sent, failed with the server's answer, queued again
    after a temporary refusal). A row left in "sending" by a process that died between the send and the record
    cannot be told sent or not over SMTP: it becomes "unknown" — listed, never resent by itself, never lost.
    """

    class Purpose(models.TextChoices):
        TRANSACTIONAL = "transactional", _("Transactional")  # an invoice, a reminder, a reply: sent at once
        MARKETING = "marketing", _("Marketing")  # a mailing: subscribed addresses only, limits and a window

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Held")
        UNKNOWN = "unknown", _("Unknown — check and resend")

    purpose = models.CharField(_("class"), max_length=16, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("sender"))
    client = models.ForeignKey("clients.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("client"))
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    next_try_at = models.DateTimeField(null=True, blank=True)  # when a queued row is due
    claimed_at = models.DateTimeField(null=True, blank=True)  # when its sending began
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answer = models.CharField(_("server's answer"), max_length=1000, blank=True)  # or why it is held
    message_id = models.CharField(max_length=255, blank=True)
    mailing = models.ForeignKey(Mailing, null=True, blank=True, on_delete=models.PROTECT, related_name="letters",
                                verbose_name=_("mailing"))
    # An SMS's delivery report, where its gateway gives one (an SMPP receipt, SMS.ru's status): "delivered",
    # "failed", or "" while it is not known; with the gateway's words in `delivery_text`.
    delivery = models.CharField(_("delivery"), max_length=12, blank=True)
    delivery_text = models.CharField(max_length=500, blank=True)
    delivery_at = models.DateTimeField(_("delivery report"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        indexes = [models.Index(fields=["state", "next_try_at"], name="messaging_letter_due"),
                   models.Index(fields=["author", "-created_at"], name="messaging_letter_author"),
                   # «Исходящие письма всех сотрудников»: every author's letters, newest first, a page at a time
                   models.Index(fields=["-created_at", "-id"], name="messaging_letter_recent")]

    def __str__(self) -> str:
        return f"{self.recipient} ({self.state})"


class Suppression(models.Model):
    """An address marketing mail never goes to again: its owner unsubscribed, or its server refused it for good."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Refused by the recipient's server")

    address_key = models.CharField(max_length=254, unique=True)  # the address, lower-cased
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    answer = models.CharField(_("server's answer"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return self.address_key


def _letter_file_path(attachment: LetterAttachment, filename: str) -> str:
    # A name of its own per file: two letters may carry files of one name (two invoices' PDFs).
    return f"letters/{uuid.uuid4().hex}/{filename}"


class LetterAttachment(models.Model):
    """A file sent with one letter of the outbox (a transactional letter: the invoice's PDF); kept in the storage
    like every stored file, read back each time the letter is sent or sent again."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.FileField(upload_to=_letter_file_path, max_length=400)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment of a letter")
        verbose_name_plural = _("attachments of letters")
        ordering = ["letter", "id"]

    def __str__(self) -> str:
        return self.name
