"""The card's "Mailing E-Mail & SMS" tab (CLI-09): writes of the client's addresses with their subscription flags
and of the client-level exclusion switches that group mailings obey (reads: selectors.mailing).

`value_key` is what duplicates and mailings compare: the lower-cased e-mail, or a mobile number's digits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients import locks, policies
from kontora.clients.models import Client, ClientMailing, ClientMailingAddress
from kontora.clients.services.card import touch
from kontora.core import conflicts
from kontora.core.audit import audit_record, changes_between, snapshot
from kontora.core.conflicts import Edit
from kontora.core.errors import NotAllowed
from kontora.core.text import digits

Kind = ClientMailingAddress.Kind
Consent = ClientMailingAddress.Consent
CONSENT_FIELDS = ("consent_at", "consent_how", "consent_by")
ADDRESS_FIELDS = ("kind", "value", "owner_name", "subscribed")
SETTINGS_FIELDS = ("exclude_email", "exclude_sms")
MOBILE_DIGITS = (10, 15)

_email_validator = EmailValidator()


def address_key(kind: str, value: str) -> tuple[str, str]:
    """(the value as stored, its key) or ValidationError({"value": …}) in the user's language."""
    value = (value or "").strip()
    if kind == Kind.EMAIL:
        if not value:
            raise ValidationError({"value": _("Enter the e-mail address.")})
        try:
            _email_validator(value)
        except ValidationError:
            raise ValidationError({"value": _("Enter a valid e-mail address, e.g. name@example.ru.")}) from None
        return value, value.lower()
    if kind == Kind.MOBILE:
        if not value:
            raise ValidationError({"value": _("Enter the mobile phone number.")})
        key = digits(value)
        if not MOBILE_DIGITS[0] <= len(key) <= MOBILE_DIGITS[1]:
            raise ValidationError({"value": _("A mobile number has from 10 to 15 digits.")})
        return value, key
    raise ValidationError({"kind": _("Choose e-mail or mobile phone.")})


def mobile_e164(value: str) -> str:
    """A mobile number as gateways take it (E.164, "+79161234567"), checked as the card checks it (address_key):
    a Russian number written nationally — "8 916 …" or ten digits "916 …" — gets its country code 7."""
    typed = (value or "").strip()
    _value, key = address_key(Kind.MOBILE, typed)
    if not typed.startswith("+"):
        if len(key) == 11 and key.startswith("8"):
            key = "7" + key[1:]
        elif len(key) == 10:
            key = "7" + key
    return "+" + key


def _require_edit(acting_user: User, client: Client) -> None:
    if not policies.mailing_addresses.can(acting_user, "change", client):
        raise NotAllowed


def _duplicate_error(kind: str) -> ValidationError:
    if kind == Kind.EMAIL:
        return ValidationError({"value": _("This e-mail address is already in the client's list.")})
    return ValidationError({"value": _("This mobile number is already in the client's list.")})


def _snap(address: ClientMailingAddress) -> dict[str, Any]:
    values = snapshot(address, ADDRESS_FIELDS)
    values["kind"] = address.get_kind_display() if address.kind else ""  # the label, not the code
    return values


def _consent(address: ClientMailingAddress, how: str, by: User | None) -> None:
    address.consent_at, address.consent_how, address.consent_by = timezone.now(), how, by


def _save_address(address: ClientMailingAddress, values: Mapping[str, Any], acting_user: User) -> None:
    kind = values.get("kind", address.kind)
    value, key = address_key(kind, values.get("value", address.value))
    duplicates = ClientMailingAddress.objects.filter(client_id=address.client_id, kind=kind, value_key=key)
    if address.pk:
        duplicates = duplicates.exclude(pk=address.pk)
    if duplicates.exists():
        raise _duplicate_error(kind)
    address.kind, address.value, address.value_key = kind, value, key
    address.owner_name = str(values.get("owner_name", address.owner_name) or "").strip()
    subscribed = bool(values.get("subscribed", address.subscribed))
    if not address.pk or subscribed != address.subscribed:
        _consent(address, Consent.CARD, acting_user)
    address.subscribed = subscribed
    try:
        # A savepoint, so a race with another user's insert stays a field error, not a broken transaction.
        with transaction.atomic():
            if address.pk:
                address.save(update_fields=[*ADDRESS_FIELDS, *CONSENT_FIELDS, "value_key"])
            else:
                address.save(force_insert=True)
    except IntegrityError:
        raise _duplicate_error(kind) from None


def mailing_address_create(
    *, acting_user: User, client: Client, values: Mapping[str, Any],
) -> ClientMailingAddress:
    with transaction.atomic():
        _require_edit(acting_user, client)
        address = ClientMailingAddress(client=client)
        _save_address(address, values, acting_user)
        audit_record(
            actor=acting_user, event="clients.mailing_address.create", target=address, client=client,
            summary=_("Mailing address added: %(value)s") % {"value": address.value},
            changes=changes_between(ClientMailingAddress, {}, _snap(address), ADDRESS_FIELDS),
        )
        touch(client, acting_user)
    return address


def mailing_address_update(
    *, acting_user: User, address: ClientMailingAddress, values: Mapping[str, Any], edit: Edit | None = None,
) -> ClientMailingAddress:
    """Writes `values` over the address as kept now (a form gives those the user changed, with its `edit`: checked
    field by field against what others saved since it was read, core.conflicts)."""
    client = address.client
    with transaction.atomic():
        _require_edit(acting_user, client)
        current = locks.mailing_address_for_update(address.pk)
        if edit is not None:
            conflicts.check([edit], current, target=address)
        current.client = client
        address = current
        before = _snap(address)
        _save_address(address, values, acting_user)
        changes = changes_between(ClientMailingAddress, before, _snap(address), ADDRESS_FIELDS)
        if changes:
            audit_record(
                actor=acting_user, event="clients.mailing_address.update", target=address, client=client,
                summary=_("Mailing address changed: %(value)s") % {"value": address.value}, changes=changes,
            )
            touch(client, acting_user)
    return address


def mailing_address_delete(*, acting_user: User, address: ClientMailingAddress) -> None:
    client = address.client
    with transaction.atomic():
        _require_edit(acting_user, client)
        audit_record(actor=acting_user, event="clients.mailing_address.delete", target=address, client=client,
                     summary=_("Mailing address deleted: %(value)s") % {"value": address.value})
        address.delete()
        touch(client, acting_user)


def mailing_settings_update(
    *, acting_user: User, client: Client, exclude_email: bool, exclude_sms: bool,
) -> ClientMailing:
    with transaction.atomic():
        _require_edit(acting_user, client)
        current = locks.mailing_for_update(client)
        row = current or ClientMailing(client=client)
        before = snapshot(row, SETTINGS_FIELDS)
        row.exclude_email, row.exclude_sms = bool(exclude_email), bool(exclude_sms)
        changes = changes_between(ClientMailing, before, snapshot(row, SETTINGS_FIELDS), SETTINGS_FIELDS)
        if current is None:
            row.save(force_insert=True)
        elif changes:
            row.save(update_fields=list(SETTINGS_FIELDS))
        if changes:
            audit_record(actor=acting_user, event="clients.mailing.update", summary=_("Mailing settings changed"),
                         target=row, client=client, changes=changes)
            touch(client, acting_user)
    return row


def mailing_switches_save(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> ClientMailing:
    """The exclusion switches as a part of the card's one form (OK / Apply)."""
    return mailing_settings_update(acting_user=acting_user, client=client,
                                   exclude_email=bool(values.get("exclude_email")),
                                   exclude_sms=bool(values.get("exclude_sms")))


def card_candidates(client: Client) -> list[tuple[str, str, str]]:
    """(kind, value, whose) the card already knows: its e-mail, the contacts' e-mails and mobile phones."""
    found: list[tuple[str, str, str]] = []
    if client.email:
        found.append((Kind.EMAIL, client.email, client.short_name))
    for contact in client.contacts.all():
        if contact.email:
            found.append((Kind.EMAIL, contact.email, contact.full_name))
        if contact.phone_mobile:
            found.append((Kind.MOBILE, contact.phone_mobile, contact.full_name))
    return found


def mailing_fill_from_card(*, acting_user: User, client: Client) -> list[ClientMailingAddress]:
    """"Take from the card": adds the card's addresses not yet in the list; skips the ones that do not
    pass the checks (a mobile field holding a landline, say). Returns the added rows."""
    added: list[ClientMailingAddress] = []
    with transaction.atomic():
        _require_edit(acting_user, client)
        known = set(ClientMailingAddress.objects.filter(client=client).values_list("kind", "value_key"))
        for kind, raw, whose in card_candidates(client):
            try:
                value, key = address_key(kind, raw)
            except ValidationError:
                continue
            if (kind, key) in known:
                continue
            known.add((kind, key))
            try:
                with transaction.atomic():  # someone may add the same address at this very moment
                    added.append(ClientMailingAddress.objects.create(
                        client=client, kind=kind, value=value, value_key=key, owner_name=whose[:300],
                        subscribed=True, consent_at=timezone.now(), consent_how=Consent.FILLED, consent_by=acting_user,
                    ))
            except IntegrityError:
                continue
        if added:
            audit_record(
                actor=acting_user, event="clients.mailing_address.fill", target=client, client=client,
                summary=_("Mailing addresses taken from the card"),
                changes=[{"field": str(row.get_kind_display()), "old": "", "new": f"{row.value} ({row.owner_name})"}
                         for row in added],
            )
            touch(client, acting_user)
    return added


def mailing_unsubscribe(*, kind: str, value_key: str, how: str) -> int:
    """The owner of an address refused mailings (the link in a letter, or his mail program's one-click): every
    client's row of that address stops being subscribed, with the consent record and an audit row each; no user acts,
    so no right is asked — the caller has checked the letter's signed token. Returns how many rows changed."""
    changed = 0
    with transaction.atomic():
        for address in locks.mailing_addresses_for_update(kind, value_key):
            address.subscribed = False
            _consent(address, how, None)
            address.save(update_fields=["subscribed", *CONSENT_FIELDS])
            audit_record(actor=None, event="clients.mailing_address.unsubscribe", target=address,
                         client=address.client_id, summary=_("Unsubscribed from mailings: %(value)s") % {
                             "value": address.value},
                         changes=[{"field": str(_("subscribed")), "old": str(_("Yes")), "new": str(_("No"))}])
            changed += 1
    return changed
