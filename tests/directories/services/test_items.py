"""Writes of directory items (DIR-01, DIR-02): search keys, the models' rules, deletion rules, rights, the audit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent
from kontora.directories.models import GoodsGroup, NomenclatureItem, Unit
from kontora.directories.selectors import registry
from kontora.directories.services.items import directory_item_delete, directory_item_save, directory_item_set_active
from tests.directories.factories import NomenclatureItemFactory
from tests.directories.support import audit_rows


def save(user: Any, key: str, data: dict[str, Any], pk: int | None = None) -> Any:
    return directory_item_save(acting_user=user, directory=registry.get(key), pk=pk, data=data)


@pytest.mark.feature("DIR-02")
def test_service_keeps_search_key_and_writes_audit_rows(admin_user: Any) -> None:
    # when
    unit = save(admin_user, "units", {"name": "Тёплый метр", "short_name": "т.м", "okei": ""})
    save(admin_user, "units", {"name": "Ёмкость", "short_name": "ём", "okei": "", "is_active": True}, pk=unit.pk)

    # then: the key follows the name; one row per save, the change as the user saw it
    unit.refresh_from_db()
    assert unit.name_key == "емкость"
    [added] = audit_rows("directories.item.create")
    [changed] = audit_rows("directories.item.update")
    assert (added.actor, added.target_type, added.target_id, added.extra) == (
        admin_user, "directories.unit", unit.pk, {"directory": "units"},
    )
    assert added.summary == "Элемент справочника добавлен"
    assert {"field": "Наименование", "old": "", "new": "Тёплый метр"} in added.changes
    assert (changed.actor, changed.target_id, changed.summary) == (admin_user, unit.pk, "Элемент справочника изменён")
    assert changed.changes == [
        {"field": "Наименование", "old": "Тёплый метр", "new": "Ёмкость"},
        {"field": "Краткое наименование", "old": "т.м", "new": "ём"},
    ]


@pytest.mark.feature("DIR-02")
def test_service_refuses_fields_the_directory_does_not_edit(admin_user: Any) -> None:
    # when / then
    with pytest.raises(ValueError, match="not fields of directory 'units'"):
        save(admin_user, "units", {"name": "Штука", "short_name": "шт", "changed_at": None})


@pytest.mark.feature("DIR-02")
def test_service_checks_the_models_rules(admin_user: Any) -> None:
    # when: a VAT rate that ends before it starts
    with pytest.raises(ValidationError) as caught:
        save(admin_user, "vat-rates", {"name": "Ошибочная", "rate": Decimal("5"),
                                       "valid_from": "2026-02-01", "valid_to": "2026-01-01"})

    # then
    assert caught.value.messages
    assert not AuditEvent.objects.exists()


@pytest.mark.feature("DIR-01")
def test_deleting_an_item_in_use_is_refused_naming_the_places(admin_user: Any) -> None:
    # given: a unit used by one nomenclature item
    unit = save(admin_user, "units", {"name": "Пачка", "short_name": "пач", "okei": ""})
    NomenclatureItemFactory(name="Бумага", unit=unit)

    # when
    with pytest.raises(Refused) as caught:
        directory_item_delete(acting_user=admin_user, directory=registry.get("units"), pk=unit.pk)

    # then
    assert str(caught.value) == "Элемент используется: Номенклатура — 1 запись."
    assert Unit.objects.filter(pk=unit.pk).exists()
    assert audit_rows("directories.item.delete") == []


@pytest.mark.feature("DIR-01")
def test_deleting_and_deactivating_write_their_audit_rows(admin_user: Any) -> None:
    # given
    group = save(admin_user, "goods-groups", {"name": "Временная группа"})
    other = save(admin_user, "goods-groups", {"name": "Старая группа"})
    directory = registry.get("goods-groups")

    # when
    directory_item_delete(acting_user=admin_user, directory=directory, pk=group.pk)
    directory_item_set_active(acting_user=admin_user, directory=directory, pk=other.pk, active=False)
    directory_item_set_active(acting_user=admin_user, directory=directory, pk=other.pk, active=True)

    # then
    assert not GoodsGroup.objects.filter(pk=group.pk).exists()
    [deleted] = audit_rows("directories.item.delete")
    assert (deleted.actor, deleted.target_type, deleted.target_id, deleted.summary) == (
        admin_user, "directories.goodsgroup", group.pk, "Элемент справочника удалён",
    )
    assert deleted.extra == {"directory": "goods-groups", "name": "Временная группа"}
    [off] = audit_rows("directories.item.deactivate")
    [on] = audit_rows("directories.item.activate")
    assert (off.target_id, off.summary, off.changes) == (
        other.pk, "Элемент справочника сделан недействующим", [{"field": "Действует", "old": "✓", "new": "—"}],
    )
    assert (on.target_id, on.changes) == (other.pk, [{"field": "Действует", "old": "—", "new": "✓"}])


@pytest.mark.feature("DIR-01")
def test_a_rename_shows_wherever_the_item_is_used(admin_user: Any) -> None:
    # given: an item referenced by a nomenclature item
    unit = save(admin_user, "units", {"name": "Коробка", "short_name": "кор", "okei": ""})
    item = NomenclatureItemFactory(name="Маркеры", unit=unit)

    # when
    save(admin_user, "units", {"name": "Упаковка тестовая", "short_name": "уп. т", "okei": "", "is_active": True},
         pk=unit.pk)

    # then: the reference shows the new name, nothing was copied
    assert str(NomenclatureItem.objects.select_related("unit").get(pk=item.pk).unit) == "Упаковка тестовая"


@pytest.mark.feature("DIR-01")
def test_services_refuse_without_the_right(unit: Unit, manager_user: Any) -> None:
    # given
    units = registry.get("units")

    # when / then
    with pytest.raises(NotAllowed):
        directory_item_save(acting_user=manager_user, directory=units, pk=unit.pk, data={"name": "Х"})
    with pytest.raises(NotAllowed):
        directory_item_delete(acting_user=manager_user, directory=units, pk=unit.pk)
    with pytest.raises(NotAllowed):
        directory_item_set_active(acting_user=manager_user, directory=units, pk=unit.pk, active=False)


@pytest.mark.django_db(transaction=True)
def test_a_write_rolled_back_by_its_caller_leaves_no_audit_row(admin_user: Any) -> None:
    # given
    class Abandoned(Exception):
        pass

    # when: the caller's transaction fails after the service wrote the item and its row
    with pytest.raises(Abandoned), transaction.atomic():
        save(admin_user, "units", {"name": "Призрачная единица", "short_name": "пр", "okei": ""})
        raise Abandoned

    # then
    assert not Unit.objects.filter(name="Призрачная единица").exists()
    assert not AuditEvent.objects.exists()
