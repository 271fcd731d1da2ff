"""Registration data of a company (CLI-06), its history of changes in legal documents, and a person's passport
and personal data (CLI-01): the services that write them and the selectors that read them.

All of it is main data of the card: writes need `access.can_edit_main_data`. Each write checks every value
first and raises one ValidationError keyed by field, so a form shows all problems at once and nothing is
half-saved; then it writes the row and its history entry in one transaction.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.clients import access, history
from kontora.clients.models import Client, ClientLegalChange, ClientPersonal, ClientRegistration
from kontora.core import requisites

audit = logging.getLogger("kontora.audit")

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


# --- selectors ---

def registration_of(client: Client) -> ClientRegistration:
    """The company's registration data; an unsaved empty row when nothing was entered yet."""
    return ClientRegistration.objects.filter(client=client).first() or ClientRegistration(client=client)


def legal_changes_of(client: Client) -> list[ClientLegalChange]:
    return list(ClientLegalChange.objects.filter(client=client))


def access_legal_change(client: Client, change_id: int) -> ClientLegalChange:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(ClientLegalChange, pk=change_id, client=client)


def personal_of(client: Client) -> ClientPersonal:
    """The person's passport and personal data; an unsaved empty row when nothing was entered yet."""
    return ClientPersonal.objects.filter(client=client).first() or ClientPersonal(client=client)


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


def _require_main_data(acting_user: Any, client: Client) -> None:
    if not access.can_edit_main_data(acting_user, client):
        raise PermissionDenied



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


def registration_save(*, acting_user: Any, client: Client, values: Mapping[str, Any]) -> ClientRegistration:
    """Saves the company's registration data (CLI-06): codes with their checks, bodies, capital, addresses."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        _require_main_data(acting_user, client)
        if client.kind != Client.Kind.COMPANY:
            raise ValidationError(_("A person has no registration data; use the passport and personal data tab."))
        clean = _registration_values(values)
        row = registration_of(client)
        history.save_row(row=row, values=clean, fields=REGISTRATION_FIELDS, client=client, user=acting_user,
                         action=_("Registration data changed"))
    audit.info("%s saved registration data of client %s", acting_user.login, client.code)
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
    return f"{history.shown(change.date)} {change.document}"


def legal_change_create(*, acting_user: Any, client: Client, values: Mapping[str, Any]) -> ClientLegalChange:
    with transaction.atomic():
        _require_main_data(acting_user, client)
        change = ClientLegalChange(client=client, created_by=acting_user, **_legal_change_values(values))
        change.save()
        history.record(
            client=client, user=acting_user,
            action=_("Change in legal documents added: %(change)s") % {"change": _change_label(change)},
            details=history.changes_between(ClientLegalChange, {}, history.snapshot(change, LEGAL_CHANGE_FIELDS),
                                            LEGAL_CHANGE_FIELDS),
        )
        history.touch(client, acting_user)
    audit.info("%s added legal change %s to client %s", acting_user.login, change.pk, client.code)
    return change


def legal_change_update(*, acting_user: Any, change: ClientLegalChange, values: Mapping[str, Any]) -> ClientLegalChange:
    with transaction.atomic():
        _require_main_data(acting_user, change.client)
        clean = _legal_change_values(values)
        before = history.snapshot(change, LEGAL_CHANGE_FIELDS)
        for name, value in clean.items():
            setattr(change, name, value)
        change.save(update_fields=list(LEGAL_CHANGE_FIELDS))
        details = history.changes_between(
            ClientLegalChange, before, history.snapshot(change, LEGAL_CHANGE_FIELDS), LEGAL_CHANGE_FIELDS)
        if details:
            history.record(
                client=change.client, user=acting_user,
                action=_("Change in legal documents corrected: %(change)s") % {"change": _change_label(change)},
                details=details,
            )
            history.touch(change.client, acting_user)
    audit.info("%s changed legal change %s of client %s", acting_user.login, change.pk, change.client.code)
    return change


def legal_change_delete(*, acting_user: Any, change: ClientLegalChange) -> None:
    with transaction.atomic():
        client = change.client
        _require_main_data(acting_user, client)
        pk = change.pk
        history.record(
            client=client, user=acting_user,
            action=_("Change in legal documents deleted: %(change)s") % {"change": _change_label(change)},
            details=history.changes_between(ClientLegalChange, history.snapshot(change, LEGAL_CHANGE_FIELDS), {},
                                            LEGAL_CHANGE_FIELDS),
        )
        change.delete()
        history.touch(client, acting_user)
    audit.info("%s deleted legal change %s of client %s", acting_user.login, pk, client.code)


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


def personal_save(*, acting_user: Any, client: Client, values: Mapping[str, Any]) -> ClientPersonal:
    """Saves a person's passport and personal data (CLI-01)."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        _require_main_data(acting_user, client)
        if client.kind != Client.Kind.PERSON:
            raise ValidationError(_("Passport data is kept for persons only."))
        clean = _personal_values(values)
        row = personal_of(client)
        history.save_row(row=row, values=clean, fields=PERSONAL_FIELDS, client=client, user=acting_user,
                         action=_("Personal data changed"))
    audit.info("%s saved personal data of client %s", acting_user.login, client.code)
    return row


def snils_shown(value: str) -> str:
    """SNILS as people write it: 112-233-445 95."""
    if len(value) != 11:
        return value
    return f"{value[:3]}-{value[3:6]}-{value[6:9]} {value[9:]}"
