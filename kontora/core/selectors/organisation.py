"""Administration → Enterprise: constants — our legal entities, their bank accounts and the defaults."""

from __future__ import annotations

import base64

from django.core.files.storage import default_storage
from django.http import Http404

from kontora.core.models import BankAccount, LegalEntity


def default_legal_entity() -> LegalEntity | None:
    """Our legal entity documents are issued on behalf of unless the user picks another (Constants)."""
    return LegalEntity.objects.filter(is_default=True).first()


def default_bank_account() -> BankAccount | None:
    """The default settlement account; it belongs to the default legal entity."""
    return BankAccount.objects.filter(is_default=True).select_related("legal_entity").first()


def legal_entities() -> list[LegalEntity]:
    """Constants: every legal entity (default first) with its bank accounts (default first)."""
    return list(LegalEntity.objects.prefetch_related("bank_accounts").order_by("-is_default", "short_name", "id"))


def access_legal_entity(entity_id: int) -> LegalEntity:
    entity = LegalEntity.objects.filter(pk=entity_id).first()
    if entity is None:
        raise Http404
    return entity


def access_bank_account(account_id: int) -> BankAccount:
    account = BankAccount.objects.select_related("legal_entity").filter(pk=account_id).first()
    if account is None:
        raise Http404
    return account


def bank_accounts_of(entity: LegalEntity) -> list[BankAccount]:
    """The accounts of one entity, default first, for its card."""
    return list(entity.bank_accounts.all())


def entity_images(entity: LegalEntity) -> dict[str, str]:
    """The entity's stamp and signature images (`LegalEntity.IMAGE_FIELDS`) that are set, each as a `data:` URL:
    the print module fetches nothing but static files and `data:` URLs, and the storage may be a bucket. A file gone
    from the storage is left out rather than failing the page."""
    images: dict[str, str] = {}
    for field in LegalEntity.IMAGE_FIELDS:
        name = getattr(entity, field).name
        if not name:
            continue
        try:
            with default_storage.open(name, "rb") as stored:
                data = stored.read()
        except OSError:
            continue
        mime = "image/png" if name.lower().endswith(".png") else "image/jpeg"
        images[field] = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return images
