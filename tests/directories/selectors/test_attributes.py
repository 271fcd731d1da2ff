"""Reads of custom attributes (DIR-06): the filter fields the Flexi-filter offers, each over its typed column."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q

from kontora.core.models import Department
from kontora.directories.attributes import selectors
from kontora.directories.models import Attribute
from tests.directories.factories import AttributeFactory


def clients_matching(q: Q) -> set[int]:
    """The clients table is above directories; departments with ids 1–3 stand in for it here."""
    for pk in (1, 2, 3):
        Department.objects.get_or_create(pk=pk, defaults={"name": f"Клиент {pk}"})
    return set(Department.objects.filter(q).values_list("pk", flat=True))


@pytest.mark.feature("DIR-06")
@pytest.mark.parametrize(("key", "operator", "value", "expected"), [
    ("car", "in", "truck", {1}),
    ("car", "not_in", "truck", {2, 3}),
    ("note", "contains", "ИГРУШКИ", {1, 2}),
    ("note", "starts", "елочные", {1}),
    ("note", "equals", "игрушки в розницу", {2}),
    ("tonnage", "eq", "20", {1}),
    ("tonnage", "ne", "20", {2}),
    ("tonnage", "lt", "20", {2}),
    ("tonnage", "le", "20", {1, 2}),
    ("tonnage", "gt", "1,5", {1}),
    ("tonnage", "ge", "1.5", {1, 2}),
    ("tonnage", "between", ("1", "10"), {2}),
    ("since", "on", "2024-03-01", {1}),
    ("since", "before", date(2025, 1, 1), {1}),
    ("since", "after", "2024-12-31", {2}),
    ("since", "between", ("2024-01-01", "2025-12-31"), {1, 2}),
    ("vip", "is_true", None, {1}),
    ("vip", "is_false", None, {2, 3}),
])
def test_each_filter_operator_finds_its_clients(
    filled: dict[str, Any], key: str, operator: str, value: Any, expected: set[int],
) -> None:
    # given
    field = selectors.get_filter_field(f"attr:{filled[key].pk}")
    if key == "car":
        value = [filled[value].pk]
    # when
    found = clients_matching(field.to_q(operator, value, field="pk"))
    # then
    assert found == expected


@pytest.mark.feature("DIR-06")
@pytest.mark.parametrize(("key", "operator", "value", "column"), [
    ("car", "in", None, "option_id"),
    ("note", "starts", "ёл", "text_key"),
    ("tonnage", "ge", "5", "number"),
    ("since", "before", "2025-01-01", "date"),
    ("vip", "is_true", None, "flag"),
])
def test_a_filter_reads_the_typed_indexed_column(
    fleet: dict[str, Any], key: str, operator: str, value: Any, column: str,
) -> None:
    # given
    field = selectors.filter_field(fleet[key])
    if key == "car":
        value = [fleet["truck"].pk]
    # when
    sql = str(field.client_ids(operator, value).query)
    # then
    assert f'"directories_attributevalue"."{column}"' in sql
    assert f'"directories_attributevalue"."attribute_id" = {fleet[key].pk}' in sql


@pytest.mark.feature("DIR-06")
def test_filter_fields_list_active_attributes_with_their_operators(fleet: dict[str, Any]) -> None:
    # given
    AttributeFactory(kind=Attribute.Kind.NUMBER, name="Выключенный", is_active=False)
    # when
    fields = selectors.attribute_filter_fields()
    # then
    assert [(f.key, f.label, f.operators) for f in fields] == [
        (f"attr:{fleet['car'].pk}", "Тип автомобиля", ("in", "not_in")),
        (f"attr:{fleet['note'].pk}", "Примечание", ("contains", "starts", "equals")),
        (f"attr:{fleet['tonnage'].pk}", "Тоннажность", ("eq", "ne", "lt", "le", "gt", "ge", "between")),
        (f"attr:{fleet['since'].pk}", "Клиент с", ("on", "before", "after", "between")),
        (f"attr:{fleet['vip'].pk}", "VIP", ("is_true", "is_false")),
    ]
    assert [str(label) for _code, label in fields[3].operator_choices] == ["в день", "до", "после", "между"]


@pytest.mark.feature("DIR-06")
def test_bad_operators_values_and_fields_are_refused(fleet: dict[str, Any]) -> None:
    # given
    tonnage = selectors.filter_field(fleet["tonnage"])
    # when / then
    with pytest.raises(ValidationError) as operator:
        tonnage.to_q("contains", "5")
    with pytest.raises(ValidationError) as number:
        tonnage.to_q("gt", "пять")
    with pytest.raises(ValidationError) as pair:
        tonnage.to_q("between", "5")
    with pytest.raises(ValidationError) as unknown:
        selectors.get_filter_field("attr:99999")
    with pytest.raises(ValidationError) as injected:
        selectors.get_filter_field("name; DROP TABLE")
    assert operator.value.messages == ["Условие «contains» не применимо к признаку «Тоннажность»."]
    assert number.value.messages == ["Введите число."]
    assert pair.value.messages == ["Введите два значения: от и до."]
    assert unknown.value.messages == ["Неизвестное поле фильтра «attr:99999»."]
    assert injected.value.messages == ["Неизвестное поле фильтра «name; DROP TABLE»."]
