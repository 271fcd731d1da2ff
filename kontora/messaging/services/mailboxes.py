"""Each user's mailbox (GRP-03): kept from Settings → Parameters → «Почта», its password sealed; and the test
letter, sent to the mailbox's own address, that reports the server's exact answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, TypeVar

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora import config
from kontora.accounts.models import User
from kontora.core.audit import audit_record, changes_between, model_update
from kontora.core.errors import Refused
from kontora.messaging.models import Mailbox, SmsAccount
from kontora.messaging.services.smtp import Server, smtp_send

FIELDS = ("host", "port", "security", "sender_name", "address", "login", *Mailbox.PACE_FIELDS)


def _fernet() -> Fernet:
    return Fernet(config.mail_key(settings.HOME).encode())


def password_seal(password: str) -> str:
    return _fernet().encrypt(password.encode()).decode()


def password_unseal(sealed: str) -> str | None:
    """The password, or None when it was sealed under another key (a base restored elsewhere)."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return None


def mailbox_save(*, acting_user: User, values: Mapping[str, Any]) -> Mailbox | None:
    """The user's own mailbox as the tab gives it; an empty password keeps the one kept. With the server and the
    address both empty the mailbox is removed. One audit row for what changed (a new password is said, not shown)."""
    current = Mailbox.objects.filter(user=acting_user).first()
    if not values.get("host") and not values.get("address"):
        own_account_remove(acting_user=acting_user, current=current, event="messaging.mailbox.delete",
                           summary=_("Mailbox removed"))
        return None
    errors = {name: _("Enter the mailbox's %(what)s.") % {"what": label} for name, label in (
        ("host", _("SMTP server")), ("address", _("e-mail"))) if not values.get(name)}
    if errors:
        raise ValidationError(errors)
    return own_account_save(acting_user=acting_user, model=Mailbox, current=current, values=values, fields=FIELDS,
                            secrets=(("password", "password_sealed", str(_("password"))),),
                            event="messaging.mailbox.save", summary=_("Mailbox settings changed"))


A = TypeVar("A", Mailbox, SmsAccount)


def own_account_remove(*, acting_user: User, current: Mailbox | SmsAccount | None, event: str, summary: str) -> None:
    """The user's own mailbox or SMS account removed (nothing to do without one), with its audit row."""
    if current is None:
        return
    with transaction.atomic():
        current.delete()
        audit_record(actor=acting_user, event=event, summary=summary, target=acting_user)


def own_account_save(*, acting_user: User, model: type[A], current: A | None, values: Mapping[str, Any],
                     fields: Sequence[str], secrets: Sequence[tuple[str, str, str]], event: str, summary: str) -> A:
    """The user's own mailbox or SMS account saved from its tab: the `fields` given, and each secret typed —
    (value's name, sealed column, label) — sealed, an empty one keeping the one kept. One audit row for what
    changed; a new secret is said, never shown."""
    with transaction.atomic():
        account = current or model(user=acting_user)
        data = {name: values[name] for name in fields if name in values}
        if current is None:
            for name, value in data.items():
                setattr(account, name, value)
            changes = changes_between(model, {}, data, fields)
        else:
            changes = model_update(account, data=data, fields=fields) if data else []
        sealed = False
        for name, column, label in secrets:
            if values.get(name):
                setattr(account, column, password_seal(str(values[name])))
                changes.append({"field": label, "old": "", "new": str(_("changed"))})
                sealed = True
        if current is None or sealed:
            account.save()
        if changes:
            audit_record(actor=acting_user, event=event, summary=summary, target=acting_user, changes=changes)
    return account


def server_of(values: Mapping[str, Any], kept: Mailbox | None) -> Server:
    """The server to talk to, from the typed values; the password typed, else the one kept."""
    password = str(values.get("password") or "")
    if not password and kept is not None and kept.password_sealed:
        unsealed = password_unseal(kept.password_sealed)
        if unsealed is None:
            raise Refused(_("The kept password cannot be read (the base was restored under another mail key): "
                            "enter the password again."), field="password")
        password = unsealed
    return Server(host=str(values["host"]), port=int(values["port"]), security=str(values["security"]),
                  login=str(values.get("login") or ""), password=password)


def mailbox_test_send(*, acting_user: User, values: Mapping[str, Any]) -> str:
    """A test letter from the mailbox to its own address, as typed on the tab (before or after saving): the
    server's answer ("250 …"), or Refused with it."""
    for name, label in (("host", _("SMTP server")), ("address", _("e-mail"))):
        if not values.get(name):
            raise ValidationError({name: _("Enter the mailbox's %(what)s.") % {"what": label}})
    server = server_of(values, Mailbox.objects.filter(user=acting_user).first())
    letter = EmailMessage()
    sender = Address(display_name=str(values.get("sender_name") or ""), addr_spec=str(values["address"]))
    letter["From"] = sender
    letter["To"] = sender
    letter["Subject"] = _("Kontora: a test letter")
    letter["Message-ID"] = make_msgid(domain=str(values["address"]).rpartition("@")[2] or None)
    letter.set_content(_("This letter was sent by Kontora to check the mailbox settings of %(user)s. "
                         "The mailbox works.") % {"user": acting_user})
    return smtp_send(server, letter)
