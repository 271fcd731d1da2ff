"""Registration data of a company (CLI-06), its history of changes in legal documents, and a person's passport
and personal data (CLI-01): the services that write them (reads: selectors.registration).

All of it is main data of the card: writes need `policies.registrations.can(user, "change", client)`. Each write
checks every value first and raises one ValidationError keyed by field, so a form shows all problems at once and
nothing is half-saved; then it writes the row and its audit row (the card's history) in one transaction.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients import locks, policies
from kontora.clients.models import Client, ClientLegalChange, ClientPersonal, ClientRegistration
from kontora.clients.selectors.registration import personal_of, registration_of
from kontora.clients.services.card import save_row, touch
from kontora.core import requisites
from kontora.core.audit import (
    audit_record,
    created_changes,
    deleted_changes,
    model_update,
    shown,
)
from kontora.core.errors import NotAllowed

REGISTRATION_FIELDS = (
    "okpo", "okved", "oktmo", "registration_date", "registering_body", "tax_office", "charter_capital",
    "legal_address", "actual_address", "postal_address", "director", "chief_accountant",
)
LEGAL_CHANGE_FIELDS = ("date", "document", "description")
PERSONAL_FIELDS = (
    "birth_date", "birth_place", "passport_series", "passport_number", "passport_issued_by",
    "passport_issued_on", "passport_division", "registration_address", "snils",
)

# OKVED: class NN, subclass NN.N, group NN.NN, subgroup NN.NN.N, kind NN.NN.NN.
_OKVED = re.compile(r"^\d{2}(\.\d(\d(\.\d{1,2})?)?)?$")
_DIVISION = re.compile(r"^(\d{3})-?(\d{3})$")


# --- shared checks ---

def _text(values: Mapping[str, Any], name: str) -> str:
    return " ".join(str(values.get(name) or "").split())


def _not_future(value: datetime.date | None, name: str, errors: dict[str, Any], message: str) -> None:
    if value is not None and value > timezone.localdate():
        errors[name] = message


def _checked(name: str, raw: str, validate: Callable[[str], str], errors: dict[str, Any]) -> str:
    if not raw:
        return ""
    try:
        return validate(raw)
    except ValidationError as exc:
        errors[name] = exc
        return raw


def _require_main_data(acting_user: User, client: Client) -> None:
    if not policies.registrations.can(acting_user, "change", client):
        raise NotAllowed

# --- registration data ---

def _registration_values(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    clean: dict[str, Any] = {name: _text(values, name) for name in REGISTRATION_FIELDS
                             if name not in ("registration_date", "charter_capital")}
    clean["okpo"] = _checked("okpo", clean["okpo"], requisites.validate_okpo, errors)
    if clean["okved"] and not _OKVED.match(clean["okved"]):
        errors["okved"] = _("OKVED is written as NN, NN.N, NN.NN, NN.NN.N or NN.NN.NN (digits), e.g. 62.01.")
    oktmo = requisites.clean_digits(clean["oktmo"])
    if oktmo and not (oktmo.isascii() and oktmo.isdigit() and len(oktmo) in (8, 11)):
        errors["oktmo"] = _("OKTMO must consist of 8 or 11 digits")
    clean["oktmo"] = oktmo
    clean["registration_date"] = values.get("registration_date")
    _not_future(clean["registration_date"], "registration_date", errors,
                _("The registration date cannot be in the future."))
    capital = values.get("charter_capital")
    if capital is not None and Decimal(capital) < 0:
        errors["charter_capital"] = _("The charter capital cannot be negative.")
    clean["charter_capital"] = capital
    if errors:
        raise ValidationError(errors)
    return clean


def registration_save(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> ClientRegistration:
    """Saves the company's registration data (CLI-06): codes with their checks, bodies, capital, addresses."""
    with transaction.atomic():
        client = locks.client_for_update(client.pk)
        _require_main_data(acting_user, client)
        if client.kind != Client.Kind.COMPANY:
            raise ValidationError(_("A person has no registration data; use the passport and personal data tab."))
        clean = _registration_values(values)
        row = registration_of(client)
        save_row(acting_user=acting_user, client=client, row=row, values=clean, fields=REGISTRATION_FIELDS,
                 event="clients.registration.update", summary=_("Registration data changed"))
    return row


# --- history of changes in legal documents ---

def _legal_change_values(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    date: datetime.date | None = values.get("date")
    clean = {"date": date, "document": _text(values, "document"),
             "description": str(values.get("description") or "").strip()}
    if date is None:
        errors["date"] = _("Enter the date of the change.")
    _not_future(date, "date", errors, _("The date of the change cannot be in the future."))
    if not clean["document"]:
        errors["document"] = _("Enter the document.")
    if errors:
        raise ValidationError(errors)
    return clean


def _change_label(change: ClientLegalChange) -> str:
    return f"{shown(change.date)} {change.document}"


def legal_change_create(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> ClientLegalChange:
    with transaction.atomic():
        _require_main_data(acting_user, client)
        change = ClientLegalChange(client=client, created_by=acting_user, **_legal_change_values(values))
        change.save()
        audit_record(
            actor=acting_user, event="clients.legal_change.create", target=change, client=client,
            summary=_("Change in legal documents added: %(change)s") % {"change": _change_label(change)},
            changes=created_changes(change, LEGAL_CHANGE_FIELDS),
        )
        touch(client, acting_user)
    return change


def legal_change_update(
    *, acting_user: User, change: ClientLegalChange, values: Mapping[str, Any],
) -> ClientLegalChange:
    with transaction.atomic():
        _require_main_data(acting_user, change.client)
        changes = model_update(change, data=_legal_change_values(values), fields=LEGAL_CHANGE_FIELDS)
        if changes:
            audit_record(
                actor=acting_user, event="clients.legal_change.update", target=change, client=change.client,
                summary=_("Change in legal documents corrected: %(change)s") % {"change": _change_label(change)},
                changes=changes,
            )
            touch(change.client, acting_user)
    return change


def legal_change_delete(*, acting_user: User, change: ClientLegalChange) -> None:
    with transaction.atomic():
        client = change.client
        _require_main_data(acting_user, client)
        audit_record(
            actor=acting_user, event="clients.legal_change.delete", target=change, client=client,
            summary=_("Change in legal documents deleted: %(change)s") % {"change": _change_label(change)},
            changes=deleted_changes(change, LEGAL_CHANGE_FIELDS),
        )
        change.delete()
        touch(client, acting_user)


# --- a person's passport and personal data ---

def _digits_of_length(name: str, raw: str, length: int, message: str, errors: dict[str, Any]) -> str:
    value = requisites.clean_digits(raw)
    if value and not (len(value) == length and value.isascii() and value.isdigit()):
        errors[name] = message
    return value


def _personal_values(values: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    clean: dict[str, Any] = {name: _text(values, name) for name in PERSONAL_FIELDS
                             if name not in ("birth_date", "passport_issued_on")}
    birth, issued = values.get("birth_date"), values.get("passport_issued_on")
    clean["birth_date"], clean["passport_issued_on"] = birth, issued
    _not_future(birth, "birth_date", errors, _("The date of birth cannot be in the future."))
    _not_future(issued, "passport_issued_on", errors, _("The date of issue cannot be in the future."))
    if birth is not None and issued is not None and issued < birth and "passport_issued_on" not in errors:
        errors["passport_issued_on"] = _("The passport cannot be issued before the date of birth.")
    clean["passport_series"] = _digits_of_length(
        "passport_series", clean["passport_series"], 4, _("The passport series consists of 4 digits."), errors)
    clean["passport_number"] = _digits_of_length(
        "passport_number", clean["passport_number"], 6, _("The passport number consists of 6 digits."), errors)
    division = clean["passport_division"].replace(" ", "")
    if division:
        match = _DIVISION.match(division)
        if match is None:
            errors["passport_division"] = _("The division code is written as NNN-NNN (6 digits).")
        else:
            division = f"{match.group(1)}-{match.group(2)}"
    clean["passport_division"] = division
    clean["snils"] = _checked("snils", clean["snils"], requisites.validate_snils, errors)
    if errors:
        raise ValidationError(errors)
    return clean


def personal_save(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> ClientPersonal:
    """Saves a person's passport and personal data (CLI-01)."""
    with transaction.atomic():
        client = locks.client_for_update(client.pk)
        _require_main_data(acting_user, client)
        if client.kind != Client.Kind.PERSON:
            raise ValidationError(_("Passport data is kept for persons only."))
        clean = _personal_values(values)
        row = personal_of(client)
        save_row(acting_user=acting_user, client=client, row=row, values=clean, fields=PERSONAL_FIELDS,
                 event="clients.personal.update", summary=_("Personal data changed"))
    return row
