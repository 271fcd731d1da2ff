"""Fixtures of core's tests."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.core.models import LegalEntity
from kontora.core.services import organisation as services
from tests.core.support import ROMASHKA, SBER_ACCOUNT


@pytest.fixture
def romashka(admin_user: Any) -> LegalEntity:
    """The wizard's legal entity with its settlement account: the defaults."""
    entity = services.legal_entity_create(acting_user=admin_user, data=ROMASHKA)
    services.bank_account_create(acting_user=admin_user, entity_id=entity.pk, data=SBER_ACCOUNT)
    return entity
