"""Constants: our own legal entities and their bank accounts, and which of them are the defaults.

Invariants kept here (the database backs the "at most one" half with partial unique constraints):
- while any legal entity exists, exactly one is the default, and it cannot be deleted;
- the default bank account belongs to the default legal entity, so documents pre-filled from the
  defaults carry a matching bank; it exists whenever that entity has an account.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

from kontora.core import locks, requisites
from kontora.core.audit import (
    audit_record,
    audited_create,
    audited_delete,
    audited_update,
    changes_between,
    field_label,
    snapshot,
)
from kontora.core.errors import Refused
from kontora.core.models import BankAccount, LegalEntity, TaxRegime
from kontora.core.permissions import Actor
from kontora.core.services.storage import stored_delete_later


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


ENTITY_FIELDS = tuple(field.name for field in dataclass_fields(LegalEntityData))
ACCOUNT_FIELDS = tuple(field.name for field in dataclass_fields(BankAccountData))




def _id(acting_user: Actor | None) -> int | None:
    return acting_user.pk if acting_user is not None else None


def _entities_locked_with(entity_id: int) -> LegalEntity:
    """Locks every entity (defaults move among them) and returns the one asked for."""
    entity = next((e for e in locks.legal_entities() if e.pk == entity_id), None)
    if entity is None:
        raise LegalEntity.DoesNotExist
    return entity


def _touch(entity: LegalEntity, acting_user: Actor | None) -> None:
    """Who changed the entity last (its accounts count as its own)."""
    entity.changed_by_id = _id(acting_user)
    entity.save(update_fields=["changed_by", "changed_at"])


def _make_default_account(account: BankAccount) -> None:
    BankAccount.objects.filter(is_default=True).exclude(pk=account.pk).update(is_default=False)
    if not account.is_default:
        account.is_default = True
        account.save(update_fields=["is_default"])


def _make_default_entity(entity: LegalEntity, acting_user: Actor | None) -> None:
    LegalEntity.objects.filter(is_default=True).exclude(pk=entity.pk).update(is_default=False)
    if not entity.is_default:
        entity.is_default = True
        entity.changed_by_id = _id(acting_user)
        entity.save(update_fields=["is_default", "changed_by", "changed_at"])
    # The default account follows the default entity.
    if not BankAccount.objects.filter(is_default=True, legal_entity=entity).exists():
        BankAccount.objects.filter(is_default=True).update(is_default=False)
        first = entity.bank_accounts.order_by("pk").first()
        if first is not None:
            _make_default_account(first)


def legal_entity_create(*, acting_user: Actor | None, data: LegalEntityData, make_default: bool = False) -> LegalEntity:
    """Adds a legal entity; the first one in the base becomes the default whatever was asked."""
    values = _checked_entity(data)
    with transaction.atomic():
        existing = locks.legal_entities()
        entity = audited_create(
            LegalEntity, {**values, "created_by_id": _id(acting_user), "changed_by_id": _id(acting_user)},
            actor=acting_user, event="core.legal_entity", fields=ENTITY_FIELDS, summary=_("Legal entity added"))
        if make_default or not existing:
            _make_default_entity(entity, acting_user)
    return entity


def legal_entity_update(*, acting_user: Actor, entity_id: int, data: LegalEntityData) -> LegalEntity:
    values = _checked_entity(data)
    with transaction.atomic():
        entity = locks.legal_entity(entity_id)
        audited_update(entity, actor=acting_user, event="core.legal_entity", summary=_("Legal entity changed"),
                       data=values, fields=ENTITY_FIELDS)
        _touch(entity, acting_user)
    return entity


def legal_entity_delete(*, acting_user: Actor, entity_id: int) -> None:
    """Deletes an entity with its accounts; the only one and the default one are refused (Refused)."""
    with transaction.atomic():
        entities = locks.legal_entities()
        entity = next((e for e in entities if e.pk == entity_id), None)
        if entity is None:
            return  # deleted meanwhile: nothing left to do, nothing to record
        if len(entities) == 1:
            raise Refused(
                _("The only legal entity cannot be deleted: documents are issued on behalf of a legal entity.")
            )
        if entity.is_default:
            raise Refused(
                _("The default legal entity cannot be deleted. Make another legal entity the default first.")
            )
        audited_delete(entity, actor=acting_user, event="core.legal_entity", summary=_("Legal entity deleted"),
                       fields=ENTITY_FIELDS)
        stored_delete_later([getattr(entity, field).name for field in LegalEntity.IMAGE_FIELDS])


def legal_entity_set_default(*, acting_user: Actor, entity_id: int) -> LegalEntity:
    """Makes the entity the default; its first account becomes the default account unless one of its already is."""
    with transaction.atomic():
        entity = _entities_locked_with(entity_id)
        before = snapshot(entity, ["is_default"])
        _make_default_entity(entity, acting_user)
        audit_record(actor=acting_user, event="core.legal_entity.default", target=entity,
                     changes=changes_between(LegalEntity, before, snapshot(entity, ["is_default"]), ["is_default"]),
                     summary=_("Default legal entity changed"))
    return entity


def _check_unique_account(entity_id: int, values: dict[str, Any], exclude_pk: int | None = None) -> None:
    same = BankAccount.objects.filter(legal_entity_id=entity_id, account=values["account"], bik=values["bik"])
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError({"account": ValidationError(
            _("This legal entity already has this settlement account in this bank."), code="duplicate"
        )})


def bank_account_create(
    *, acting_user: Actor | None, entity_id: int, data: BankAccountData, make_default: bool = False
) -> BankAccount:
    """Adds an account; the first account of the default entity becomes the default account."""
    values = _checked_account(data)
    with transaction.atomic():
        entity = _entities_locked_with(entity_id)
        _check_unique_account(entity.pk, values)
        account = audited_create(BankAccount, {**values, "legal_entity": entity}, actor=acting_user,
                                 event="core.bank_account", fields=ACCOUNT_FIELDS,
                                 summary=_("Settlement account added"))
        if make_default:
            _make_default_entity(entity, acting_user)
            _make_default_account(account)
        elif entity.is_default and not BankAccount.objects.filter(is_default=True).exists():
            _make_default_account(account)
        _touch(entity, acting_user)
    return account


def bank_account_update(*, acting_user: Actor, account_id: int, data: BankAccountData) -> BankAccount:
    values = _checked_account(data)
    with transaction.atomic():
        account = locks.bank_account(account_id)
        _check_unique_account(account.legal_entity_id, values, exclude_pk=account.pk)
        audited_update(account, actor=acting_user, event="core.bank_account", summary=_("Settlement account changed"),
                       data=values, fields=ACCOUNT_FIELDS)
        _touch(account.legal_entity, acting_user)
    return account


def bank_account_delete(*, acting_user: Actor, account_id: int) -> None:
    """Deletes an account; the default one is refused (Refused) while its entity has others."""
    with transaction.atomic():
        locks.legal_entities()
        account = BankAccount.objects.select_related("legal_entity").filter(pk=account_id).first()
        if account is None:
            return  # deleted meanwhile: nothing left to do, nothing to record
        if account.is_default and account.legal_entity.bank_accounts.exclude(pk=account.pk).exists():
            raise Refused(
                _("The default account cannot be deleted. Make another account of this legal entity the default first.")
            )
        entity = account.legal_entity
        audited_delete(account, actor=acting_user, event="core.bank_account", summary=_("Settlement account deleted"),
                       fields=ACCOUNT_FIELDS)
        _touch(entity, acting_user)


def bank_account_set_default(*, acting_user: Actor, account_id: int) -> BankAccount:
    """Makes the account the default; its legal entity becomes the default entity with it."""
    with transaction.atomic():
        locks.legal_entities()
        account = BankAccount.objects.select_related("legal_entity").get(pk=account_id)
        before = snapshot(account, ["is_default"])
        _make_default_account(account)
        _make_default_entity(account.legal_entity, acting_user)
        audit_record(actor=acting_user, event="core.bank_account.default", target=account,
                     changes=changes_between(BankAccount, before, snapshot(account, ["is_default"]), ["is_default"]),
                     summary=_("Default settlement account changed"))
    return account


TAX_REGIME_FIELDS = ("legal_entity", "regime", "valid_from", "valid_to", "reduced_rate")


def tax_regime_add(
    *, acting_user: Actor | None, entity_id: int, regime: str, valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None, reduced_rate: Decimal | None = None,
) -> TaxRegime:
    """Adds a period of a legal entity's tax regime (INV-03); periods of one entity may not overlap."""
    if regime not in TaxRegime.Regime.values:
        raise ValidationError({"regime": _("Choose the tax regime.")})
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The period ends before it begins.")})
    if regime != TaxRegime.Regime.SIMPLIFIED_VAT:
        reduced_rate = None
    elif reduced_rate is not None and reduced_rate not in (Decimal(5), Decimal(7)):
        raise ValidationError({"reduced_rate": _("The simplified regime's VAT rate is 5 % or 7 %.")})
    with transaction.atomic():
        entity = locks.legal_entity(entity_id)
        for period in TaxRegime.objects.filter(legal_entity=entity):
            if ((period.valid_to is None or valid_from is None or valid_from <= period.valid_to)
                    and (valid_to is None or period.valid_from is None or period.valid_from <= valid_to)):
                raise ValidationError({"valid_from": _("The period overlaps another tax regime of the entity.")})
        return audited_create(
            TaxRegime, {"legal_entity": entity, "regime": regime, "valid_from": valid_from, "valid_to": valid_to,
                        "reduced_rate": reduced_rate},
            actor=acting_user, event="core.tax_regime", fields=TAX_REGIME_FIELDS, summary=_("Tax regime added"))


# --- the stamp and signatures printed on «Счёт на оплату» and the act (INV-06) --------------------------------------

IMAGE_MAX_BYTES = 1024 * 1024  # a scanned stamp at 300 dpi is a few hundred kilobytes
IMAGE_MAX_SIDE = 4000  # pixels: larger is no stamp, and decoding it would take the server's memory
IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}  # the stored file's suffix tells its type when it is printed


def entity_image_check(field: str, upload: UploadedFile) -> str:
    """The suffix of a PNG or JPEG picture of a sensible size; any other file is refused next to its field."""
    if upload.size is not None and upload.size > IMAGE_MAX_BYTES:
        raise ValidationError({field: ValidationError(
            _("The image takes %(size)s; it may take at most %(limit)s.") % {
                "size": filesizeformat(upload.size), "limit": filesizeformat(IMAGE_MAX_BYTES)}, code="size")})
    try:
        upload.seek(0)
        with Image.open(upload) as picture:
            kind, (width, height) = picture.format, picture.size
            picture.verify()
    except (OSError, ValueError, Image.DecompressionBombError):
        kind, width, height = None, 0, 0
    finally:
        upload.seek(0)
    if kind not in IMAGE_FORMATS:
        raise ValidationError({field: ValidationError(_("Upload a PNG or JPEG image."), code="format")})
    if max(width, height) > IMAGE_MAX_SIDE:
        raise ValidationError({field: ValidationError(
            _("The image is %(width)d × %(height)d pixels; at most %(limit)d pixels a side.") % {
                "width": width, "height": height, "limit": IMAGE_MAX_SIDE}, code="dimensions")})
    return IMAGE_FORMATS[kind]


def legal_entity_images_save(
    *, acting_user: Actor, entity_id: int, uploads: dict[str, UploadedFile], remove: Collection[str] = (),
) -> LegalEntity:
    """Sets or removes the entity's stamp and signature images (`LegalEntity.IMAGE_FIELDS`); a new file replaces
    the old one, and a replaced or removed file leaves the storage once no backup needs it."""
    unknown = (set(uploads) | set(remove)) - set(LegalEntity.IMAGE_FIELDS)
    if unknown:
        raise ValueError(f"not an image field of a legal entity: {sorted(unknown)}")
    suffixes = {field: entity_image_check(field, upload) for field, upload in uploads.items()}
    with transaction.atomic():
        entity = locks.legal_entity(entity_id)
        gone: list[str] = []
        changes: dict[str, str] = {}
        for field in LegalEntity.IMAGE_FIELDS:
            stored = getattr(entity, field)
            if field in uploads:
                gone.append(stored.name)
                stored.save(f"{field}{suffixes[field]}", uploads[field], save=False)
                changes[field] = _("uploaded")
            elif field in remove and stored.name:
                gone.append(stored.name)
                setattr(entity, field, "")
                changes[field] = _("removed")
        if not changes:
            return entity
        entity.changed_by_id = _id(acting_user)
        entity.save(update_fields=[*changes, "changed_by", "changed_at"])
        stored_delete_later(gone)
        audit_record(actor=acting_user, event="core.legal_entity.images", target=entity,
                     changes=[{"field": field_label(LegalEntity, name), "old": "", "new": what}
                              for name, what in changes.items()],
                     summary=_("Stamp and signatures of the legal entity changed"))
    return entity
