"""The card's Bank tab (CLI-07): writes of the client's known bank accounts (reads: selectors.bank).

The BIK, the correspondent and the settlement account are checked by kontora.core.requisites (both account
keys against the BIK). A BIK found in Directories → Banks fills in the bank's name and correspondent account
the user left empty; an unknown BIK is accepted when its format is right and the user typed both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients import locks, policies
from kontora.clients.models import Client, ClientBankAccount
from kontora.clients.services.card import touch
from kontora.core import conflicts, requisites
from kontora.core.audit import audit_record, changes_between, snapshot
from kontora.core.conflicts import Edit
from kontora.core.errors import NotAllowed
from kontora.directories.selectors.banks import bank_by_bik

BANK_ACCOUNT_FIELDS = ("bik", "bank_name", "correspondent_account", "account", "is_main", "notes")

def _clean(client: Client, values: Mapping[str, Any], exclude_pk: int | None) -> dict[str, Any]:
    found, errors = requisites.bank_requisites(
        bik=str(values.get("bik") or ""), corr_account=str(values.get("correspondent_account") or ""),
        account=str(values.get("account") or ""),
    )
    clean: dict[str, Any] = {
        "bik": found["bik"], "correspondent_account": found["corr_account"], "account": found["account"],
        "bank_name": " ".join(str(values.get("bank_name") or "").split()),
        "notes": " ".join(str(values.get("notes") or "").split()),
        "is_main": bool(values.get("is_main")),
    }
    if "bik" not in errors:
        bank = bank_by_bik(clean["bik"])
        if bank is not None:
            clean["bank_name"] = clean["bank_name"] or bank.name
            if not clean["correspondent_account"] and bank.corr_account:
                clean["correspondent_account"] = bank.corr_account
        else:
            # Not in the directory: the user vouches for the bank, so both its requisites must be typed.
            if not clean["bank_name"]:
                errors["bank_name"] = ValidationError(
                    _("This BIK is not in the banks directory: enter the bank's name."))
            if not clean["correspondent_account"]:
                errors["corr_account"] = ValidationError(
                    _("This BIK is not in the banks directory: enter the correspondent account."))
    if "corr_account" in errors:
        errors["correspondent_account"] = errors.pop("corr_account")
    if not errors:
        same = ClientBankAccount.objects.filter(client=client, bik=clean["bik"], account=clean["account"])
        if exclude_pk is not None:
            same = same.exclude(pk=exclude_pk)
        if same.exists():
            errors["account"] = ValidationError(_("This account in this bank is already entered for the client."))
    if errors:
        raise ValidationError(errors)
    return clean


def _save(acting_user: User, account: ClientBankAccount, values: Mapping[str, Any]) -> ClientBankAccount:
    client = account.client
    if not policies.bank_accounts.can(acting_user, "change", client):
        raise NotAllowed
    clean = _clean(client, values, account.pk)
    for name, value in clean.items():
        setattr(account, name, value)
    account.save()
    if account.is_main:
        # One main account per client: the newest choice wins.
        ClientBankAccount.objects.filter(client=client, is_main=True).exclude(pk=account.pk).update(is_main=False)
    touch(client, acting_user)
    return account


def _label(account: ClientBankAccount) -> str:
    return f"{account.account} ({account.bank_name or account.bik})"


def bank_account_create(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> ClientBankAccount:
    with transaction.atomic():
        account = _save(acting_user, ClientBankAccount(client=client), values)
        audit_record(
            actor=acting_user, event="clients.bank_account.create", target=account, client=client,
            summary=_("Bank account added: %(account)s") % {"account": _label(account)},
            changes=changes_between(
                ClientBankAccount, {}, snapshot(account, BANK_ACCOUNT_FIELDS), BANK_ACCOUNT_FIELDS),
        )
    return account


def bank_account_update(
    *, acting_user: User, account: ClientBankAccount, values: Mapping[str, Any], edit: Edit | None = None,
) -> ClientBankAccount:
    """Writes `values` over the account as kept now; a form gives the fields the user changed with its `edit`,
    checked field by field against what others saved since it was read (core.conflicts)."""
    with transaction.atomic():
        current = locks.bank_account_for_update(account.pk)
        if edit is not None:
            conflicts.check([edit], current, target=account)
        current.client = account.client
        account = current
        values = {**snapshot(account, BANK_ACCOUNT_FIELDS), **values}
        before = snapshot(account, BANK_ACCOUNT_FIELDS)
        account = _save(acting_user, account, values)
        changes = changes_between(
            ClientBankAccount, before, snapshot(account, BANK_ACCOUNT_FIELDS), BANK_ACCOUNT_FIELDS)
        if changes:
            audit_record(
                actor=acting_user, event="clients.bank_account.update", target=account, client=account.client,
                summary=_("Bank account changed: %(account)s") % {"account": _label(account)}, changes=changes,
            )
    return account


def bank_account_delete(*, acting_user: User, account: ClientBankAccount) -> None:
    with transaction.atomic():
        client = account.client
        if not policies.bank_accounts.can(acting_user, "change", client):
            raise NotAllowed
        audit_record(
            actor=acting_user, event="clients.bank_account.delete", target=account, client=client,
            summary=_("Bank account deleted: %(account)s") % {"account": _label(account)},
            changes=changes_between(
                ClientBankAccount, snapshot(account, BANK_ACCOUNT_FIELDS), {}, BANK_ACCOUNT_FIELDS),
        )
        account.delete()
        touch(client, acting_user)
