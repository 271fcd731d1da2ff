"""Each user's own mailbox (GRP-03, Settings → Parameters → «Почта»): the SMTP server letters leave through.

The password is kept sealed (Fernet) with the installation's mail key (`KONTORA_MAIL_KEY`, else
`KONTORA_HOME/mail_key`; config.mail_key), never shown back: a backup restored under another key keeps the mailbox
but not its password, which the program then asks for again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mailbox(models.Model):
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
