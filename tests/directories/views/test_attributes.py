"""Administration → Data management: attributes (DIR-06): the list and card, the values' card, the client card's
form fields of the attributes."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from kontora.directories.attributes import selectors
from kontora.directories.attributes.forms import NumberField, attribute_form_fields
from kontora.directories.models import Attribute, AttributeOption
from tests.directories.factories import AttributeFactory, AttributeOptionFactory
from tests.support.http import html
from tests.support.queries import count_queries


@pytest.mark.feature("DIR-06")
def test_admin_creates_an_attribute_of_each_type(admin_client: Client) -> None:
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
def test_form_fields_follow_the_type_and_leave_out_inactive_attributes(fleet: dict[str, Any]) -> None:
    # given
    AttributeFactory(kind=Attribute.Kind.TEXT, name="Старый признак", is_active=False)
    AttributeOptionFactory(attribute=fleet["car"], name="автобус", is_active=False)
    # when
    fields = attribute_form_fields(Attribute.objects.order_by("order", "id"))
    # then
    assert list(fields) == [f"attr_{fleet[k].pk}" for k in ("car", "note", "tonnage", "since", "vip")]
    types = [type(field) for field in fields.values()]
    assert types == [forms.ModelChoiceField, forms.CharField, NumberField, forms.DateField, forms.BooleanField]
    assert issubclass(NumberField, forms.DecimalField)  # a DecimalField that shows 12, not 12,0000
    car = fields[f"attr_{fleet['car'].pk}"]
    assert car.label == "Тип автомобиля"
    assert [str(o) for o in car.queryset] == ["грузовой", "легковой"]  # type: ignore[attr-defined]


@pytest.mark.feature("DIR-06")
def test_an_inactive_value_stays_offered_to_the_client_that_has_it(filled: dict[str, Any]) -> None:
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
def test_values_of_a_directory_attribute_are_edited_on_its_card(admin_client: Client, filled: dict[str, Any]) -> None:
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
    assert "Значение «грузовой» задано у клиентов (1), удалить его нельзя; сделайте его неактивным." in html(in_use)
    assert AttributeOption.objects.filter(pk=filled["truck"].pk).exists()
    assert not AttributeOption.objects.filter(pk=bus.pk).exists()


@pytest.mark.feature("DIR-06")
def test_the_type_of_an_attribute_with_values_cannot_change(admin_client: Client, filled: dict[str, Any]) -> None:
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
    assert "У клиентов есть значения этого признака (2), удалить его нельзя; сделайте его неактивным." in html(deleted)


@pytest.mark.feature("DIR-06")
def test_attribute_pages_are_for_administrators_only(manager_client: Client, fleet: dict[str, Any]) -> None:
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


@pytest.mark.feature("DIR-06")
def test_the_attributes_list_queries_no_more_with_more_attributes(admin_client: Client, fleet: dict[str, Any]) -> None:
    # given
    url = reverse("attributes:list")
    admin_client.get(url)
    # when
    with count_queries() as fewer:
        admin_client.get(url)
    for n in range(4):
        AttributeOptionFactory(attribute=AttributeFactory(name=f"Ещё признак {n}"))
    with count_queries() as more:
        response = admin_client.get(url)
    # then
    assert len(response.context["rows"]) == 9
    assert len(more) == len(fewer)


@pytest.mark.feature("DIR-06")
def test_the_attribute_card_queries_no_more_with_more_values(admin_client: Client, filled: dict[str, Any]) -> None:
    # given: the card of a directory attribute, which lists its values with their use counts
    car = filled["car"]
    url = reverse("attributes:edit", args=[car.pk])
    admin_client.get(url)
    # when
    with count_queries() as fewer:
        admin_client.get(url)
    for n in range(5):
        AttributeOptionFactory(attribute=car, name=f"прицеп {n}")
    with count_queries() as more:
        response = admin_client.get(url)
    # then
    assert len(response.context["options"]) == 7
    assert len(more) == len(fewer)
