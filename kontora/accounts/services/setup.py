"""The first-run wizard's one write: our organisation, its bank account and the first administrator."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction

from kontora.accounts.models import User
from kontora.accounts.rights import ClientScope, Role
from kontora.core.models import SystemSettings
from kontora.core.services.organisation import (
    BankAccountData,
    LegalEntityData,
    bank_account_create,
    legal_entity_create,
)
from kontora.core.services.settings import system_settings_row

log = logging.getLogger(__name__)


class SetupAlreadyDone(Exception):
    """Another browser finished the wizard first; this one has nothing left to do."""


def setup_complete(
    *,
    organisation: LegalEntityData,
    bank: BankAccountData | None,
    login: str,
    full_name: str,
    password: str,
) -> User:
    """Creates the default legal entity, its default account and the administrator, all or nothing.

    Two browsers finishing at once are serialised by a row lock on the system settings row (on SQLite
    the IMMEDIATE transactions already are): the second then sees the user, raises SetupAlreadyDone
    and writes nothing. Without the lock, on PostgreSQL the second could pass the "no user yet" check
    before the first commits and then take the default legal entity away from it.
    """
    system_settings_row()  # the row to lock must exist before the transaction
    try:
        with transaction.atomic():
            SystemSettings.objects.select_for_update().get(pk=1)
            if User.objects.exists():
                raise SetupAlreadyDone
            user = User(
                login=login.strip(), full_name=full_name.strip(), role=Role.ADMIN, client_scope=ClientScope.FULL
            )
            user.set_password(password)
            user.save()
            entity = legal_entity_create(acting_user=user, data=organisation, make_default=True)
            if bank is not None:
                bank_account_create(acting_user=user, entity_id=entity.pk, data=bank, make_default=True)
    except IntegrityError:
        if User.objects.exists():
            raise SetupAlreadyDone from None
        raise
    log.info("first-run setup done: administrator %s, legal entity %s", user.login, entity.short_name)
    return user
