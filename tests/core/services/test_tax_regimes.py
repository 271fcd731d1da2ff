"""A legal entity's tax regimes with their periods (INV-03)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kontora.core.models import AuditEvent, LegalEntity, TaxRegime
from kontora.core.services.organisation import tax_regime_add

pytestmark = pytest.mark.django_db


@pytest.mark.feature("INV-03")
def test_regime_periods_are_added_audited_and_never_overlap(admin_user: Any) -> None:
    entity = LegalEntity.objects.create(full_name="ООО «Контора»", short_name="Контора", inn="7707083893",
                                        is_default=True)
    # when the general regime until 2025 and the simplified one from 2026 are added
    tax_regime_add(acting_user=admin_user, entity_id=entity.pk, regime="general",
                   valid_to=datetime.date(2025, 12, 31), reduced_rate=Decimal(5))
    tax_regime_add(acting_user=admin_user, entity_id=entity.pk, regime="simplified_vat",
                   valid_from=datetime.date(2026, 1, 1), reduced_rate=Decimal(5))
    # then both are kept (a reduced rate only with the simplified regime), each with an audit row
    assert list(TaxRegime.objects.order_by("pk").values_list("regime", "reduced_rate")) == [
        ("general", None), ("simplified_vat", Decimal(5))]
    assert AuditEvent.objects.filter(event="core.tax_regime.create").count() == 2
    # and an overlapping period or a rate other than 5 or 7 % is refused
    with pytest.raises(ValidationError) as refused:
        tax_regime_add(acting_user=admin_user, entity_id=entity.pk, regime="without_vat",
                       valid_from=datetime.date(2026, 6, 1))
    assert "valid_from" in refused.value.message_dict
    with pytest.raises(ValidationError):
        tax_regime_add(acting_user=admin_user, entity_id=entity.pk, regime="simplified_vat",
                       valid_from=datetime.date(2027, 1, 1), reduced_rate=Decimal(10))
    assert TaxRegime.objects.count() == 2
