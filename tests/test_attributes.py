"""Custom attributes (DIR-06): the administrator's list and card, form fields, values, filter fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from kontora.core.models import Department
from kontora.directories.attributes import filters, selectors, services
from kontora.directories.attributes.forms import attribute_form_fields
from kontora.directories.models import Attribute, AttributeOption, AttributeValue


def make(kind: str, label: str, *, active: bool = True, order: int = 0) -> Attribute:
    return Attribute.objects.create(name=label, label=label, kind=kind, is_active=active, order=order)


def option(attribute: Attribute, name: str, *, active: bool = True) -> AttributeOption:
    return AttributeOption.objects.create(attribute=attribute, name=name, name_key=name.casefold(), is_active=active)


@pytest.fixture
def fleet(db):
    """One attribute of every type, ordered as listed."""
    car = make(Attribute.Kind.DIRECTORY, "Тип автомобиля", order=1)
    truck, sedan = option(car, "грузовой"), option(car, "легковой")
    note = make(Attribute.Kind.TEXT, "Примечание", order=2)
    tonnage = make(Attribute.Kind.NUMBER, "Тоннажность", order=3)
    since = make(Attribute.Kind.DATE, "Клиент с", order=4)
    vip = make(Attribute.Kind.FLAG, "VIP", order=5)
    return {"car": car, "truck": truck, "sedan": sedan, "note": note, "tonnage": tonnage, "since": since,
            "vip": vip}


@pytest.fixture
def filled(fleet, admin_user):
    """Clients 1 and 2 carry a value of every type (client 2's flag off); client 3 has none."""
    services.attribute_values_save(acting_user=admin_user, client_id=1, values={
        fleet["car"].pk: fleet["truck"], fleet["note"].pk: "Ёлочные игрушки оптом",
        fleet["tonnage"].pk: Decimal("20"), fleet["since"].pk: date(2024, 3, 1), fleet["vip"].pk: True,
    })
    services.attribute_values_save(acting_user=admin_user, client_id=2, values={
        fleet["car"].pk: fleet["sedan"].pk, fleet["note"].pk: "Игрушки в розницу",
        fleet["tonnage"].pk: "1,5", fleet["since"].pk: "2025-01-15", fleet["vip"].pk: False,
    })
    return fleet


@pytest.mark.feature("DIR-06")
def test_admin_creates_an_attribute_of_each_type(admin_client):
    # given
    kinds = ["directory", "text", "number", "date", "flag"]
    # when
    responses = [
        admin_client.post(reverse("attributes:new"), {
            "name": f"Признак {kind}", "label": f"Метка {kind}", "hint": "Подсказка", "kind": kind,
            "order": str(order), "is_active": "on",
        })
        for order, kind in enumerate(kinds)
    ]
    listing = admin_client.get(reverse("attributes:list"))
    # then
    assert [r.status_code for r in responses] == [302] * 5
    assert list(Attribute.objects.values_list("kind", "label", "hint", "is_active")) == [
        (kind, f"Метка {kind}", "Подсказка", True) for kind in kinds
    ]
    assert [row["attribute"].kind for row in listing.context["rows"]] == kinds


@pytest.mark.feature("DIR-06")
def test_form_fields_follow_the_type_and_leave_out_inactive_attributes(fleet):
    # given
    make(Attribute.Kind.TEXT, "Старый признак", active=False)
    option(fleet["car"], "автобус", active=False)
    # when
    fields = attribute_form_fields(Attribute.objects.order_by("order", "id"))
    # then
    assert list(fields) == [f"attr_{fleet[k].pk}" for k in ("car", "note", "tonnage", "since", "vip")]
    types = [type(field) for field in fields.values()]
    assert types == [forms.ModelChoiceField, forms.CharField, forms.DecimalField, forms.DateField,
                     forms.BooleanField]
    car = fields[f"attr_{fleet['car'].pk}"]
    assert car.label == "Тип автомобиля"
    assert [str(o) for o in car.queryset] == ["грузовой", "легковой"]  # type: ignore[attr-defined]


@pytest.mark.feature("DIR-06")
def test_an_inactive_value_stays_offered_to_the_client_that_has_it(filled):
    # given
    truck = filled["truck"]
    truck.is_active = False
    truck.save()
    # when
    own = attribute_form_fields([filled["car"]], current=selectors.attribute_values_for(1))
    other = attribute_form_fields([filled["car"]], current=selectors.attribute_values_for(3))
    # then
    key = f"attr_{filled['car'].pk}"
    assert [str(o) for o in own[key].queryset] == ["грузовой", "легковой"]  # type: ignore[attr-defined]
    assert [str(o) for o in other[key].queryset] == ["легковой"]  # type: ignore[attr-defined]


@pytest.mark.feature("DIR-06")
def test_values_are_saved_in_typed_columns_and_read_back(filled, admin_user):
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


@pytest.mark.feature("DIR-06")
def test_bad_values_are_refused_next_to_their_fields(fleet, admin_user):
    # given
    other = make(Attribute.Kind.DIRECTORY, "Другой")
    alien = option(other, "чужое значение")
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
def test_each_filter_operator_finds_its_clients(filled, key, operator, value, expected):
    # given
    field = filters.get_filter_field(f"attr:{filled[key].pk}")
    if key == "car":
        value = [filled[value].pk]
    # when
    found = clients_matching(field.to_q(operator, value, field="pk"))
    # then
    assert found == expected


def clients_matching(q) -> set[int]:
    """The clients table comes with the clients issue; departments with ids 1–3 stand in for it here."""
    for pk in (1, 2, 3):
        Department.objects.get_or_create(pk=pk, defaults={"name": f"Клиент {pk}"})
    return set(Department.objects.filter(q).values_list("pk", flat=True))


@pytest.mark.feature("DIR-06")
@pytest.mark.parametrize(("key", "operator", "value", "column"), [
    ("car", "in", None, "option_id"),
    ("note", "starts", "ёл", "text_key"),
    ("tonnage", "ge", "5", "number"),
    ("since", "before", "2025-01-01", "date"),
    ("vip", "is_true", None, "flag"),
])
def test_a_filter_reads_the_typed_indexed_column(fleet, key, operator, value, column):
    # given
    field = filters.filter_field(fleet[key])
    if key == "car":
        value = [fleet["truck"].pk]
    # when
    sql = str(field.client_ids(operator, value).query)
    # then
    assert f'"directories_attributevalue"."{column}"' in sql
    assert f'"directories_attributevalue"."attribute_id" = {fleet[key].pk}' in sql


@pytest.mark.feature("DIR-06")
def test_filter_fields_list_active_attributes_with_their_operators(fleet):
    # given
    make(Attribute.Kind.NUMBER, "Выключенный", active=False)
    # when
    fields = filters.attribute_filter_fields()
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
def test_bad_operators_values_and_fields_are_refused(fleet):
    # given
    tonnage = filters.filter_field(fleet["tonnage"])
    # when / then
    with pytest.raises(ValidationError) as operator:
        tonnage.to_q("contains", "5")
    with pytest.raises(ValidationError) as number:
        tonnage.to_q("gt", "пять")
    with pytest.raises(ValidationError) as pair:
        tonnage.to_q("between", "5")
    with pytest.raises(ValidationError) as unknown:
        filters.get_filter_field("attr:99999")
    with pytest.raises(ValidationError) as injected:
        filters.get_filter_field("name; DROP TABLE")
    assert operator.value.messages == ["Условие «contains» не применимо к признаку «Тоннажность»."]
    assert number.value.messages == ["Введите число."]
    assert pair.value.messages == ["Введите два значения: от и до."]
    assert unknown.value.messages == ["Неизвестное поле фильтра «attr:99999»."]
    assert injected.value.messages == ["Неизвестное поле фильтра «name; DROP TABLE»."]


@pytest.mark.feature("DIR-06")
def test_values_of_a_directory_attribute_are_edited_on_its_card(admin_client, filled):
    # given
    car = filled["car"]
    card = reverse("attributes:edit", args=[car.pk])
    # when
    added = admin_client.post(reverse("attributes:option_new", args=[car.pk]), {"new-name": "автобус",
                                                                                "new-is_active": "on"})
    bus = AttributeOption.objects.get(name="автобус")
    renamed = admin_client.post(reverse("attributes:option_edit", args=[car.pk, bus.pk]),
                                {f"o{bus.pk}-name": "микроавтобус"})
    duplicate = admin_client.post(reverse("attributes:option_new", args=[car.pk]), {"new-name": "Легковой"})
    in_use = admin_client.post(reverse("attributes:option_delete", args=[car.pk, filled["truck"].pk]), follow=True)
    unused = admin_client.post(reverse("attributes:option_delete", args=[car.pk, bus.pk]))
    # then
    assert added.status_code == renamed.status_code == unused.status_code == 302
    assert added.url == card + "#values"
    assert duplicate.status_code == 400
    assert duplicate.context["new_option"].errors["name"] == ["У признака уже есть такое значение."]
    assert "Значение «грузовой» задано у клиентов (1), удалить его нельзя; сделайте его неактивным." in (
        in_use.content.decode()
    )
    assert AttributeOption.objects.filter(pk=filled["truck"].pk).exists()
    assert not AttributeOption.objects.filter(pk=bus.pk).exists()


@pytest.mark.feature("DIR-06")
def test_the_type_of_an_attribute_with_values_cannot_change(admin_client, filled):
    # given
    car = filled["car"]
    # when
    response = admin_client.post(reverse("attributes:edit", args=[car.pk]), {
        "name": car.name, "label": car.label, "kind": "text", "order": "1", "is_active": "on",
    })
    deleted = admin_client.post(reverse("attributes:delete", args=[car.pk]), follow=True)
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["kind"] == [
        "У клиентов уже есть значения этого признака: его тип изменить нельзя."
    ]
    assert "У клиентов есть значения этого признака (2), удалить его нельзя; сделайте его неактивным." in (
        deleted.content.decode()
    )


@pytest.mark.feature("DIR-06")
def test_attribute_pages_are_for_administrators_only(manager_client, fleet):
    # when
    pages = [
        manager_client.get(reverse("attributes:list")),
        manager_client.get(reverse("attributes:edit", args=[fleet["car"].pk])),
        manager_client.post(reverse("attributes:new"), {"name": "x", "label": "x", "kind": "text", "order": "0"}),
        manager_client.post(reverse("attributes:option_new", args=[fleet["car"].pk]), {"new-name": "x"}),
    ]
    # then
    assert [page.status_code for page in pages] == [403, 403, 403, 403]
    assert Attribute.objects.count() == 5
