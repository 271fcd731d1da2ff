"""The card's Bank tab (CLI-07): the client's known bank accounts — services and selectors.

The BIK, the correspondent and the settlement account are checked by kontora.core.requisites (both account
keys against the BIK). A BIK found in Directories → Banks fills in the bank's name and correspondent account
the user left empty; an unknown BIK is accepted when its format is right and the user typed both.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kontora.clients import access, history
from kontora.clients.models import Client, ClientBankAccount
from kontora.core import requisites
from kontora.directories.selectors.banks import bank_by_bik

audit = logging.getLogger("kontora.audit")

BANK_ACCOUNT_FIELDS = ("bik", "bank_name", "correspondent_account", "account", "is_main", "notes")


# --- selectors ---

def bank_accounts_of(client: Client) -> list[ClientBankAccount]:
    return list(ClientBankAccount.objects.filter(client=client))


def access_bank_account(client: Client, account_id: int) -> ClientBankAccount:
    return get_object_or_404(ClientBankAccount, pk=account_id, client=client)


# --- services ---

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


def _save(acting_user: Any, account: ClientBankAccount, values: Mapping[str, Any]) -> ClientBankAccount:
    client = account.client
    if not access.can_edit_main_data(acting_user, client):
        raise PermissionDenied
    clean = _clean(client, values, account.pk)
    for name, value in clean.items():
        setattr(account, name, value)
    account.save()
    if account.is_main:
        # One main account per client: the newest choice wins.
        ClientBankAccount.objects.filter(client=client, is_main=True).exclude(pk=account.pk).update(is_main=False)
    history.touch(client, acting_user)
    return account


def _label(account: ClientBankAccount) -> str:
    return f"{account.account} ({account.bank_name or account.bik})"


def bank_account_create(*, acting_user: Any, client: Client, values: Mapping[str, Any]) -> ClientBankAccount:
    with transaction.atomic():
        account = _save(acting_user, ClientBankAccount(client=client), values)
        history.record(
            client=client, user=acting_user,
            action=_("Bank account added: %(account)s") % {"account": _label(account)},
            details=history.changes_between(
                ClientBankAccount, {}, history.snapshot(account, BANK_ACCOUNT_FIELDS), BANK_ACCOUNT_FIELDS),
        )
    audit.info("%s added bank account %s to client %s", acting_user.login, account.pk, client.code)
    return account


def bank_account_update(
    *, acting_user: Any, account: ClientBankAccount, values: Mapping[str, Any],
) -> ClientBankAccount:
    with transaction.atomic():
        before = history.snapshot(account, BANK_ACCOUNT_FIELDS)
        account = _save(acting_user, account, values)
        details = history.changes_between(
            ClientBankAccount, before, history.snapshot(account, BANK_ACCOUNT_FIELDS), BANK_ACCOUNT_FIELDS)
        if details:
            history.record(
                client=account.client, user=acting_user,
                action=_("Bank account changed: %(account)s") % {"account": _label(account)}, details=details,
            )
    audit.info("%s changed bank account %s of client %s", acting_user.login, account.pk, account.client.code)
    return account


def bank_account_delete(*, acting_user: Any, account: ClientBankAccount) -> None:
    with transaction.atomic():
        client, pk = account.client, account.pk
        if not access.can_edit_main_data(acting_user, client):
            raise PermissionDenied
        history.record(
            client=client, user=acting_user,
            action=_("Bank account deleted: %(account)s") % {"account": _label(account)},
            details=history.changes_between(
                ClientBankAccount, history.snapshot(account, BANK_ACCOUNT_FIELDS), {}, BANK_ACCOUNT_FIELDS),
        )
        account.delete()
        history.touch(client, acting_user)
    audit.info("%s deleted bank account %s of client %s", acting_user.login, pk, client.code)
