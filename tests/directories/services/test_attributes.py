"""Writes of custom attributes (DIR-06): the values clients carry, attributes and their values, the audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from kontora.core.errors import Refused
from kontora.core.models import AuditEvent
from kontora.directories.attributes import selectors, services
from kontora.directories.attributes.services import AttributeData
from kontora.directories.models import Attribute, AttributeOption, AttributeValue
from tests.directories.factories import AttributeFactory, AttributeOptionFactory
from tests.directories.support import audit_rows


@pytest.mark.feature("DIR-06")
def test_values_are_saved_in_typed_columns_and_read_back(filled: dict[str, Any], admin_user: Any) -> None:
    # when
    first, second = selectors.attribute_values_for(1), selectors.attribute_values_for(2)
    services.attribute_values_save(acting_user=admin_user, client_id=1, values={filled["note"].pk: ""})
    # then
    assert first == {
        filled["car"].pk: filled["truck"], filled["note"].pk: "Ёлочные игрушки оптом",
        filled["tonnage"].pk: Decimal("20"), filled["since"].pk: date(2024, 3, 1), filled["vip"].pk: True,
    }
    assert second[filled["tonnage"].pk] == Decimal("1.5")
    assert filled["vip"].pk not in second  # a flag that is off keeps no row
    row = AttributeValue.objects.get(client_id=1, attribute=filled["car"])
    assert (row.option_id, row.text, row.number, row.date, row.flag) == (filled["truck"].pk, "", None, None, None)
    assert not AttributeValue.objects.filter(client_id=1, attribute=filled["note"]).exists()
    # the client card's own audit row carries these changes (clients.services.card), none is written here
    assert not AuditEvent.objects.exists()


@pytest.mark.feature("DIR-06")
def test_bad_values_are_refused_next_to_their_fields(fleet: dict[str, Any], admin_user: Any) -> None:
    # given
    alien = AttributeOptionFactory(attribute=AttributeFactory(name="Другой"), name="чужое значение")
    # when
    with pytest.raises(ValidationError) as refused:
        services.attribute_values_save(acting_user=admin_user, client_id=1, values={
            fleet["car"].pk: alien.pk, fleet["tonnage"].pk: "много", fleet["since"].pk: "31.02.2024",
        })
    # then
    assert refused.value.message_dict == {
        f"attr_{fleet['car'].pk}": ["Выберите одно из значений признака."],
        f"attr_{fleet['tonnage'].pk}": ["Введите число."],
        f"attr_{fleet['since'].pk}": ["Введите дату."],
    }
    assert not AttributeValue.objects.exists()


@pytest.mark.feature("DIR-06")
def test_attribute_saves_write_their_audit_rows(admin_user: Any) -> None:
    # when
    attribute = services.attribute_save(acting_user=admin_user, attribute_id=None, data=AttributeData(
        name="Тоннажность а/м", label="Тоннажность", kind=Attribute.Kind.NUMBER,
    ))
    services.attribute_save(acting_user=admin_user, attribute_id=attribute.pk, data=AttributeData(
        name="Тоннажность а/м", label="Тоннаж", kind=Attribute.Kind.NUMBER, is_active=True,
    ))
    # then
    [added] = audit_rows("directories.attribute.create")
    [changed] = audit_rows("directories.attribute.update")
    assert (added.actor, added.target_type, added.target_id, added.summary) == (
        admin_user, "directories.attribute", attribute.pk, "Признак добавлен",
    )
    assert {"field": "Лейбл", "old": "", "new": "Тоннажность"} in added.changes
    assert (changed.actor, changed.target_id, changed.summary) == (admin_user, attribute.pk, "Признак изменён")
    assert changed.changes == [
        {"field": "Лейбл", "old": "Тоннажность", "new": "Тоннаж"},
        {"field": "Действует", "old": "—", "new": "✓"},
    ]


@pytest.mark.feature("DIR-06")
def test_values_of_an_attribute_write_their_audit_rows(admin_user: Any) -> None:
    # given
    car = AttributeFactory(name="Тип автомобиля")
    # when
    bus = services.option_save(acting_user=admin_user, attribute_id=car.pk, option_id=None, name="автобус")
    services.option_save(acting_user=admin_user, attribute_id=car.pk, option_id=bus.pk, name="микроавтобус",
                         is_active=False)
    services.option_delete(acting_user=admin_user, attribute_id=car.pk, option_id=bus.pk)
    services.attribute_delete(acting_user=admin_user, attribute_id=car.pk)
    # then
    [added] = audit_rows("directories.attribute_option.create")
    [changed] = audit_rows("directories.attribute_option.update")
    [deleted] = audit_rows("directories.attribute_option.delete")
    [gone] = audit_rows("directories.attribute.delete")
    assert (added.actor, added.target_type, added.target_id, added.summary, added.extra) == (
        admin_user, "directories.attributeoption", bus.pk, "Значение признака добавлено", {"attribute": car.pk},
    )
    assert added.changes == [{"field": "Наименование", "old": "", "new": "автобус"}]
    assert changed.changes == [
        {"field": "Наименование", "old": "автобус", "new": "микроавтобус"},
        {"field": "Действует", "old": "✓", "new": "—"},
    ]
    assert (deleted.target_id, deleted.summary, deleted.extra) == (
        bus.pk, "Значение признака удалено", {"attribute": car.pk, "name": "микроавтобус"},
    )
    assert (gone.actor, gone.target_id, gone.summary, gone.extra) == (
        admin_user, car.pk, "Признак удалён", {"name": "Тип автомобиля"},
    )
    assert not Attribute.objects.exists()


@pytest.mark.feature("DIR-06")
def test_used_attributes_and_values_are_refused_deletion(filled: dict[str, Any], admin_user: Any) -> None:
    # when
    with pytest.raises(Refused) as value_in_use:
        services.option_delete(acting_user=admin_user, attribute_id=filled["car"].pk, option_id=filled["truck"].pk)
    with pytest.raises(Refused) as attribute_in_use:
        services.attribute_delete(acting_user=admin_user, attribute_id=filled["car"].pk)
    with pytest.raises(Refused) as not_a_directory:
        services.option_save(acting_user=admin_user, attribute_id=filled["note"].pk, option_id=None, name="x")
    # then
    assert value_in_use.value.message == (
        "Значение «грузовой» задано у клиентов (1), удалить его нельзя; сделайте его неактивным."
    )
    assert attribute_in_use.value.message == (
        "У клиентов есть значения этого признака (2), удалить его нельзя; сделайте его неактивным."
    )
    assert not_a_directory.value.message == "Собственные значения есть только у признака типа «Справочник»."
    assert AttributeOption.objects.filter(pk=filled["truck"].pk).exists()
    assert not AuditEvent.objects.exists()
