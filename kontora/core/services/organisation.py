"""Constants: our own legal entities and their bank accounts, and which of them are the defaults.

Invariants kept here (the database backs the "at most one" half with partial unique constraints):
- while any legal entity exists, exactly one is the default, and it cannot be deleted;
- the default bank account belongs to the default legal entity, so documents pre-filled from the
  defaults carry a matching bank; it exists whenever that entity has an account.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.core import requisites
from kontora.core.models import BankAccount, LegalEntity

log = logging.getLogger(__name__)


class OrganisationRefused(Exception):
    """A refused change of the constants; the message, in the user's language, says why."""


@dataclass(frozen=True)
class LegalEntityData:
    full_name: str
    short_name: str
    inn: str
    kpp: str = ""
    ogrn: str = ""
    legal_address: str = ""
    actual_address: str = ""
    director: str = ""
    chief_accountant: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class BankAccountData:
    bank_name: str
    bik: str
    account: str
    corr_account: str = ""


def _checked(
    data: LegalEntityData | BankAccountData,
    *,
    required: tuple[str, ...],
    check: Callable[[dict[str, str]], requisites.Checked],
) -> dict[str, Any]:
    """The stripped fields with the requisites normalised by `check`, or a ValidationError keyed by field."""
    fields = {key: (value or "").strip() for key, value in asdict(data).items()}
    errors: dict[str, Any] = {}
    for name in required:
        if not fields[name]:
            errors[name] = ValidationError(_("This field is required."), code="required")
    values, requisite_errors = check(fields)
    errors.update(requisite_errors)
    if errors:
        raise ValidationError(errors)
    fields.update(values)
    return fields


def _checked_entity(data: LegalEntityData) -> dict[str, Any]:
    return _checked(data, required=("full_name", "short_name"), check=lambda f: requisites.entity_requisites(
        inn=f["inn"], kpp=f["kpp"], ogrn=f["ogrn"]
    ))


def _checked_account(data: BankAccountData) -> dict[str, Any]:
    return _checked(data, required=("bank_name",), check=lambda f: requisites.bank_requisites(
        bik=f["bik"], corr_account=f["corr_account"], account=f["account"]
    ))


def _lock_entities() -> list[LegalEntity]:
    """All entities locked in pk order: every change of defaults and deletions serialise on them."""
    return list(LegalEntity.objects.select_for_update().order_by("pk"))


def _touch(entity: LegalEntity, acting_user: Any) -> None:
    entity.changed_by = acting_user
    entity.save(update_fields=["changed_by", "changed_at"])


def _make_default_account(account: BankAccount) -> None:
    BankAccount.objects.filter(is_default=True).exclude(pk=account.pk).update(is_default=False)
    if not account.is_default:
        account.is_default = True
        account.save(update_fields=["is_default"])


def _make_default_entity(entity: LegalEntity, acting_user: Any) -> None:
    LegalEntity.objects.filter(is_default=True).exclude(pk=entity.pk).update(is_default=False)
    if not entity.is_default:
        entity.is_default = True
        entity.changed_by = acting_user
        entity.save(update_fields=["is_default", "changed_by", "changed_at"])
    # The default account follows the default entity.
    if not BankAccount.objects.filter(is_default=True, legal_entity=entity).exists():
        BankAccount.objects.filter(is_default=True).update(is_default=False)
        first = entity.bank_accounts.order_by("pk").first()
        if first is not None:
            _make_default_account(first)


def legal_entity_create(*, acting_user: Any, data: LegalEntityData, make_default: bool = False) -> LegalEntity:
    """Adds a legal entity; the first one in the base becomes the default whatever was asked."""
    fields = _checked_entity(data)
    with transaction.atomic():
        existing = _lock_entities()
        entity = LegalEntity.objects.create(**fields, created_by=acting_user, changed_by=acting_user)
        if make_default or not existing:
            _make_default_entity(entity, acting_user)
    log.info("legal entity %s created by %s", entity.pk, getattr(acting_user, "login", "-"))
    return entity


def legal_entity_update(*, acting_user: Any, entity_id: int, data: LegalEntityData) -> LegalEntity:
    fields = _checked_entity(data)
    with transaction.atomic():
        entity = LegalEntity.objects.select_for_update().get(pk=entity_id)
        for name, value in fields.items():
            setattr(entity, name, value)
        entity.changed_by = acting_user
        entity.save(update_fields=[*fields, "changed_by", "changed_at"])
    return entity


def legal_entity_delete(*, acting_user: Any, entity_id: int) -> None:
    with transaction.atomic():
        entities = _lock_entities()
        entity = next((e for e in entities if e.pk == entity_id), None)
        if entity is None:
            return
        if len(entities) == 1:
            raise OrganisationRefused(
                _("The only legal entity cannot be deleted: documents are issued on behalf of a legal entity.")
            )
        if entity.is_default:
            raise OrganisationRefused(
                _("The default legal entity cannot be deleted. Make another legal entity the default first.")
            )
        entity.delete()
    log.info("legal entity %s deleted by %s", entity_id, getattr(acting_user, "login", "-"))


def legal_entity_set_default(*, acting_user: Any, entity_id: int) -> LegalEntity:
    """Makes the entity the default; its first account becomes the default account unless one of its already is."""
    with transaction.atomic():
        _lock_entities()
        entity = LegalEntity.objects.get(pk=entity_id)
        _make_default_entity(entity, acting_user)
    return entity


def _check_unique_account(entity_id: int, fields: dict[str, Any], exclude_pk: int | None = None) -> None:
    same = BankAccount.objects.filter(legal_entity_id=entity_id, account=fields["account"], bik=fields["bik"])
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError({"account": ValidationError(
            _("This legal entity already has this settlement account in this bank."), code="duplicate"
        )})


def bank_account_create(
    *, acting_user: Any, entity_id: int, data: BankAccountData, make_default: bool = False
) -> BankAccount:
    """Adds an account; the first account of the default entity becomes the default account."""
    fields = _checked_account(data)
    with transaction.atomic():
        _lock_entities()
        entity = LegalEntity.objects.get(pk=entity_id)
        _check_unique_account(entity.pk, fields)
        account = BankAccount.objects.create(legal_entity=entity, **fields)
        if make_default:
            _make_default_entity(entity, acting_user)
            _make_default_account(account)
        elif entity.is_default and not BankAccount.objects.filter(is_default=True).exists():
            _make_default_account(account)
        _touch(entity, acting_user)
    return account


def bank_account_update(*, acting_user: Any, account_id: int, data: BankAccountData) -> BankAccount:
    fields = _checked_account(data)
    with transaction.atomic():
        account = BankAccount.objects.select_for_update().select_related("legal_entity").get(pk=account_id)
        _check_unique_account(account.legal_entity_id, fields, exclude_pk=account.pk)
        for name, value in fields.items():
            setattr(account, name, value)
        account.save(update_fields=list(fields))
        _touch(account.legal_entity, acting_user)
    return account


def bank_account_delete(*, acting_user: Any, account_id: int) -> None:
    with transaction.atomic():
        _lock_entities()
        account = BankAccount.objects.select_related("legal_entity").filter(pk=account_id).first()
        if account is None:
            return
        if account.is_default and account.legal_entity.bank_accounts.exclude(pk=account.pk).exists():
            raise OrganisationRefused(
                _("The default account cannot be deleted. Make another account of this legal entity the default first.")
            )
        entity = account.legal_entity
        account.delete()
        _touch(entity, acting_user)
    log.info("bank account %s deleted by %s", account_id, getattr(acting_user, "login", "-"))


def bank_account_set_default(*, acting_user: Any, account_id: int) -> BankAccount:
    """Makes the account the default; its legal entity becomes the default entity with it."""
    with transaction.atomic():
        _lock_entities()
        account = BankAccount.objects.select_related("legal_entity").get(pk=account_id)
        _make_default_account(account)
        _make_default_entity(account.legal_entity, acting_user)
    return account
