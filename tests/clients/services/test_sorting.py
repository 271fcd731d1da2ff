"""The user's default order of the client registry (Settings → Parameters → «Sorting», REG-03)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from kontora.clients.models import RegistryPreference
from kontora.clients.selectors.sorting import default_sort
from kontora.clients.services.sorting import registry_preference_set
from kontora.clients.views.sorting import parameters_tab_form, parameters_tab_save
from kontora.core.models import AuditEvent


@pytest.mark.feature("REG-03")
def test_the_default_sort_is_saved_and_changed_with_an_audit_row_each_time(manager_user: Any) -> None:
    # when
    registry_preference_set(acting_user=manager_user, default_sort="-code")
    registry_preference_set(acting_user=manager_user, default_sort="city")
    # then
    assert default_sort(manager_user) == "city"
    preference = RegistryPreference.objects.get(user=manager_user)
    first, second = AuditEvent.objects.order_by("id")
    for row in (first, second):
        assert (row.event, row.actor, row.target_type, row.target_id) == (
            "clients.registry_preference.update", manager_user, "clients.registrypreference", preference.pk)
        assert row.summary == "Изменён порядок сортировки реестра клиентов по умолчанию"
    assert first.changes == [{"field": "Сортировка по умолчанию", "old": "", "new": "-code"}]
    assert second.changes == [{"field": "Сортировка по умолчанию", "old": "-code", "new": "city"}]


@pytest.mark.feature("REG-03")
def test_an_order_not_in_the_list_is_refused_next_to_the_field(manager_user: Any) -> None:
    # when
    with override("ru"), pytest.raises(ValidationError) as caught:
        registry_preference_set(acting_user=manager_user, default_sort="password")
    # then
    assert caught.value.message_dict == {"default_sort": ["Выберите порядок сортировки из списка."]}
    assert not RegistryPreference.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.feature("REG-03")
def test_the_parameters_tab_saves_only_a_changed_order(manager_user: Any) -> None:
    # given
    registry_preference_set(acting_user=manager_user, default_sort="-name")

    def save(posted: dict[str, str]) -> None:
        form = parameters_tab_form(manager_user, posted)
        assert form.is_valid(), form.errors
        parameters_tab_save(manager_user, form)

    # when the window is saved with the order untouched, or posted without the tab's field
    save({"sorting-default_sort": "-name"})
    save({})
    # then nothing more is written
    assert default_sort(manager_user) == "-name"
    assert AuditEvent.objects.count() == 1
    # when another order is chosen
    save({"sorting-default_sort": "status"})
    # then
    assert default_sort(manager_user) == "status"
    assert AuditEvent.objects.count() == 2
