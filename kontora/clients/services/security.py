"""The card's "Security" tab (CLI-10) and the economic-security conclusion (ACL-04).

The data for the security service (finances, property, reputation, connections) is edited like any card
information. The conclusion — its text, the credit limit and the work mode — is written only by a user with
the "security_decisions" right who re-enters their own password as the signature; the inspector and the
moment of signing are then fixed by the server, never taken from the form.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kontora.accounts.models import User
from kontora.accounts.services import signin
from kontora.clients import locks, policies
from kontora.clients.models import Client, ClientSecurity
from kontora.clients.selectors.security import signature_locked_minutes
from kontora.clients.services.card import touch
from kontora.core.audit import audit_record, changes_between, snapshot
from kontora.core.errors import NotAllowed
from kontora.core.money import money

# Refused signatures change nothing, so they are no audit rows; the failures themselves are counted in the base
# (accounts' re-entry lockout). This log is for the operator watching for password guessing.
log = logging.getLogger(__name__)

INFO_FIELDS = ("finances", "property", "reputation", "connections")
CONCLUSION_FIELDS = ("conclusion", "credit_limit", "work_mode")
_SIGNED_FIELDS = (*CONCLUSION_FIELDS, "inspector", "signed_at")
MAX_CREDIT_LIMIT = Decimal("9999999999999999.99")  # 18 digits, 2 after the point (the column)


def signature_failures_forget(user: User) -> None:
    signin.reentry_forget(user)


def _row_for_update(client: Client) -> tuple[ClientSecurity, bool]:
    row = locks.security_for_update(client)
    return (row, False) if row is not None else (ClientSecurity(client=client), True)


def security_update(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> ClientSecurity:
    """The four texts for the security service; the conclusion is not touched here."""
    with transaction.atomic():
        if not policies.securities.can(acting_user, "change", client):
            raise NotAllowed
        row, new = _row_for_update(client)
        before = snapshot(row, INFO_FIELDS)
        for name in INFO_FIELDS:
            if name in values:
                setattr(row, name, str(values[name] or "").strip())
        changes = changes_between(ClientSecurity, before, snapshot(row, INFO_FIELDS), INFO_FIELDS)
        if not changes:
            return row
        row.changed_by = acting_user
        if new:
            row.save(force_insert=True)
        else:
            row.save(update_fields=[*INFO_FIELDS, "changed_by", "changed_at"])
        audit_record(actor=acting_user, event="clients.security.update", summary=_("Security data changed"),
                     target=row, client=client, changes=changes)
        touch(client, acting_user)
    return row


def _conclusion_values(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    errors: dict[str, Any] = {}
    conclusion = str(values.get("conclusion") or "").strip()
    if not conclusion:
        errors["conclusion"] = _("Write the conclusion.")
    limit: Decimal | None = None
    raw_limit = values.get("credit_limit")
    if raw_limit not in (None, ""):
        try:
            # People type "150 000,50" or paste "150 000,50" with no-break spaces from a document.
            typed = str(raw_limit).translate({0x20: None, 0xA0: None, 0x202F: None, 0x2C: 0x2E})
            limit = Decimal(typed)
        except InvalidOperation:
            errors["credit_limit"] = _("Enter the credit limit as a number, e.g. 150000.00.")
        else:
            if not limit.is_finite() or limit < 0:
                errors["credit_limit"] = _("The credit limit cannot be negative.")
            elif limit > MAX_CREDIT_LIMIT:
                errors["credit_limit"] = _("The credit limit is too large.")
            else:
                limit = money(limit)
    work_mode = str(values.get("work_mode") or "")
    if work_mode not in ClientSecurity.WorkMode.values:
        errors["work_mode"] = _("Choose the work mode.")
    return {"conclusion": conclusion, "credit_limit": limit, "work_mode": work_mode}, errors


def security_sign(
    *, acting_user: User, client: Client, password: str, values: Mapping[str, Any],
) -> ClientSecurity:
    """Signs the conclusion with the acting user's password (ACL-04): all or nothing.

    A wrong password is counted towards the throttle even when other fields are wrong too, so the form
    cannot be used to guess passwords without being slowed down.
    """
    if not policies.securities.can(acting_user, "sign", client):
        raise NotAllowed
    minutes = signature_locked_minutes(acting_user)
    if minutes:
        log.warning("%s: security signature refused, too many wrong passwords", acting_user.login)
        raise ValidationError({"password": ngettext(
            "Too many wrong passwords. Signing is locked; try again in %(minutes)d minute.",
            "Too many wrong passwords. Signing is locked; try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}})
    cleaned, errors = _conclusion_values(values)
    if not password:
        errors["password"] = _("Enter your password: it is the signature under the conclusion.")
    elif not acting_user.check_password(password):
        signin.reentry_failed(acting_user)
        log.info("%s: wrong password when signing a security conclusion of client %s", acting_user.login,
                   client.code)
        errors["password"] = _("Wrong password. The conclusion is not signed.")
    if errors:
        raise ValidationError(errors)
    signature_failures_forget(acting_user)
    with transaction.atomic():
        row, new = _row_for_update(client)
        before = snapshot(row, _SIGNED_FIELDS)
        for name, value in cleaned.items():
            setattr(row, name, value)
        row.inspector = acting_user
        row.signed_at = timezone.now()
        row.changed_by = acting_user
        if new:
            row.save(force_insert=True)
        else:
            row.save(update_fields=[*_SIGNED_FIELDS, "changed_by", "changed_at"])
        after = snapshot(row, _SIGNED_FIELDS)
        for snap in (before, after):  # the work mode as its label, not its code
            snap["work_mode"] = ClientSecurity.WorkMode(snap["work_mode"]).label if snap["work_mode"] else ""
        audit_record(
            actor=acting_user, event="clients.security.sign", summary=_("Security conclusion signed"), target=row,
            client=client, changes=changes_between(ClientSecurity, before, after, _SIGNED_FIELDS),
        )
        touch(client, acting_user)
    return row
