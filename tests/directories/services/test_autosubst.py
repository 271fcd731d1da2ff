"""Settings → Parameters → Auto-substitution (ORG-04): each user's default region and city, saved and audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kontora.directories.models import AutoSubstitution
from kontora.directories.selectors.autosubst import auto_substitution_for
from kontora.directories.services.autosubst import auto_substitution_save
from tests.directories.support import audit_rows


@pytest.mark.feature("ORG-04")
def test_each_user_keeps_own_auto_substitution(admin_user: Any, manager_user: Any, cities: dict[str, Any]) -> None:
    # when
    auto_substitution_save(acting_user=admin_user, region_id=None, settlement_id=cities["moscow"].pk)
    auto_substitution_save(acting_user=manager_user, region_id=cities["khakassia"].pk,
                           settlement_id=cities["abakan"].pk)
    # then
    mine, theirs = auto_substitution_for(admin_user), auto_substitution_for(manager_user)
    assert mine is not None and theirs is not None
    assert (mine.region, mine.settlement) == (cities["moscow_region"], cities["moscow"])
    assert (theirs.region, theirs.settlement) == (cities["khakassia"], cities["abakan"])


@pytest.mark.feature("ORG-04")
def test_a_city_of_another_region_is_refused(manager_user: Any, cities: dict[str, Any]) -> None:
    # when
    with pytest.raises(ValidationError) as refused:
        auto_substitution_save(acting_user=manager_user, region_id=cities["moscow_region"].pk,
                               settlement_id=cities["abakan"].pk)
    # then
    assert refused.value.message_dict == {"settlement": ["Этот город находится в другом регионе."]}
    assert not AutoSubstitution.objects.exists()
    assert audit_rows("directories.auto_substitution.update") == []


@pytest.mark.feature("ORG-04")
def test_each_save_writes_its_audit_row(manager_user: Any, cities: dict[str, Any]) -> None:
    # when: first the city, then another city in another region
    auto_substitution_save(acting_user=manager_user, region_id=None, settlement_id=cities["moscow"].pk)
    auto_substitution_save(acting_user=manager_user, region_id=None, settlement_id=cities["abakan"].pk)
    # then
    first, second = audit_rows("directories.auto_substitution.update")
    values = AutoSubstitution.objects.get(user=manager_user)
    moscow_region, khakassia = str(cities["moscow_region"]), str(cities["khakassia"])
    assert (second.actor, second.target_type, second.target_id, second.summary) == (
        manager_user, "directories.autosubstitution", values.pk, "Автоподстановка изменена",
    )
    assert first.changes == [{"field": "Регион", "old": "", "new": moscow_region},
                             {"field": "Город", "old": "", "new": "г Москва"}]
    assert second.changes == [{"field": "Регион", "old": moscow_region, "new": khakassia},
                              {"field": "Город", "old": "г Москва", "new": "г Абакан"}]
