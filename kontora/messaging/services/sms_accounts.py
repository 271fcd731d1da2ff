"""Each user's SMS account (GRP-04): kept from Settings → Parameters → «SMS», its secrets (the SMPP password,
SMS.ru's api_id) sealed like the mailbox's password; and the test SMS, sent to a number typed on the tab, that
reports the gateway's exact answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core.errors import Refused
from kontora.messaging.models import SmsAccount
from kontora.messaging.services.mailboxes import own_account_remove, own_account_save
from kontora.messaging.services.sms import SmsReply, gateway_of, sms_deliver

FIELDS = ("protocol", "sender", "host", "port", "system_id", "system_type", "api_url", *SmsAccount.PACE_FIELDS)
SECRETS = (("password", "password_sealed"), ("api_id", "api_id_sealed"))


def sms_account_save(*, acting_user: User, values: Mapping[str, Any]) -> SmsAccount | None:
    """The user's own SMS account as the tab gives it; an empty password or api_id keeps the one kept. Without a
    protocol the account is removed. One audit row for what changed (a new secret is said, not shown)."""
    current = SmsAccount.objects.filter(user=acting_user).first()
    if not values.get("protocol"):
        own_account_remove(acting_user=acting_user, current=current, event="messaging.sms_account.delete",
                           summary=_("SMS account removed"))
        return None
    try:
        gateway_of(values, current)  # the same checks a send makes: nothing is kept that could not be used
    except Refused as exc:
        raise ValidationError({exc.field or "protocol": exc.message}) from exc
    return own_account_save(acting_user=acting_user, model=SmsAccount, current=current, values=values,
                            fields=FIELDS, secrets=[(name, column, str(_("password")) if name == "password" else name)
                                                    for name, column in SECRETS],
                            event="messaging.sms_account.save", summary=_("SMS account settings changed"))


def sms_account_test_send(*, acting_user: User, values: Mapping[str, Any], number: str, text: str = "") -> SmsReply:
    """A test SMS through the account as typed on the tab (before or after saving) to the number typed beside the
    button (the text typed there, else a standard one): the reply when the gateway took it; Refused with the
    gateway's answer, or ValidationError for the number, otherwise."""
    if not values.get("protocol"):
        raise ValidationError({"protocol": _("Choose the protocol of your SMS gateway.")})
    if not (number or "").strip():
        raise ValidationError({"number": _("Enter the number to send the test SMS to.")})
    text = text.strip() or _("Kontora: a test SMS. The SMS account of %(user)s works.") % {"user": acting_user}
    reply = sms_deliver(values, number, text, kept=SmsAccount.objects.filter(user=acting_user).first())
    if reply.stage == "number":
        raise ValidationError({"number": reply.message})
    if not reply.ok:
        raise Refused(reply.message, field=reply.field)
    return reply
