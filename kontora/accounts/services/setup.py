"""The first-run wizard's one write: our organisation, its bank account and the first administrator."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kontora.accounts import locks
from kontora.accounts.models import ClientScope, Role, User, login_key
from kontora.core.audit import audit_record
from kontora.core.errors import Conflict
from kontora.core.services.organisation import (
    BankAccountData,
    LegalEntityData,
    bank_account_create,
    legal_entity_create,
)
from kontora.core.services.settings import system_settings_row

log = logging.getLogger(__name__)


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
    the IMMEDIATE transactions already are): the second then sees the user, raises Conflict (another browser
    finished first) and writes nothing. Without the lock, on PostgreSQL the second could pass the "no user yet"
    check before the first commits and then take the default legal entity away from it.
    """
    system_settings_row()  # the row to lock must exist before the transaction
    try:
        with transaction.atomic():
            locks.setup_settings()
            if User.objects.exists():
                raise Conflict(_("The program has already been set up. Sign in."))
            login = login.strip()
            user = User(
                login=login, login_key=login_key(login), full_name=full_name.strip(), role=Role.ADMIN,
                client_scope=ClientScope.FULL,
            )
            user.set_password(password)
            user.save()
            entity = legal_entity_create(acting_user=user, data=organisation, make_default=True)
            if bank is not None:
                bank_account_create(acting_user=user, entity_id=entity.pk, data=bank, make_default=True)
            audit_record(
                actor=user, event="accounts.setup.complete", summary=_("First-run setup completed"), target=user,
                extra={"legal_entity": entity.short_name},
            )
    except IntegrityError:
        if User.objects.exists():
            raise Conflict(_("The program has already been set up. Sign in.")) from None
        raise
    log.info("first-run setup done: administrator %s, legal entity %s", user.login, entity.short_name)
    return user
