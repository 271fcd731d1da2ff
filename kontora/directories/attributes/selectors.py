"""Reads of custom attributes and of the values clients carry."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from kontora.directories.models import Attribute, AttributeOption, AttributeValue


def attribute_list() -> QuerySet[Attribute]:
    """Administration → Data management: attributes, in the order the client card shows them."""
    return Attribute.objects.annotate(option_count=Count("options")).order_by("order", "name", "id")


def active_attributes() -> list[Attribute]:
    """The attributes the client card, the Flexi-filter and the filter templates show."""
    return list(Attribute.objects.filter(is_active=True).order_by("order", "name", "id"))


def access_attribute(attribute_id: int) -> Attribute:
    attribute = Attribute.objects.filter(pk=attribute_id).first()
    if attribute is None:
        raise Http404
    return attribute


def access_option(attribute: Attribute, option_id: int) -> AttributeOption:
    option = AttributeOption.objects.filter(pk=option_id, attribute=attribute).first()
    if option is None:
        raise Http404
    return option


def attribute_options(attribute: Attribute) -> list[AttributeOption]:
    """The values of a directory-type attribute with the number of clients carrying each."""
    return list(attribute.options.annotate(use_count=Count("attributevalue")).order_by("order", "name", "id"))


def attribute_values_for(client_id: int) -> dict[int, Any]:
    """attribute id → the client's value: an AttributeOption, a str, a Decimal, a date or True."""
    values: dict[int, Any] = {}
    rows = AttributeValue.objects.filter(client_id=client_id).select_related("attribute", "option")
    for row in rows:
        kind = row.attribute.kind
        if kind == Attribute.Kind.DIRECTORY:
            values[row.attribute_id] = row.option
        elif kind == Attribute.Kind.TEXT:
            values[row.attribute_id] = row.text
        elif kind == Attribute.Kind.NUMBER:
            values[row.attribute_id] = row.number
        elif kind == Attribute.Kind.DATE:
            values[row.attribute_id] = row.date
        else:
            values[row.attribute_id] = row.flag
    return values
