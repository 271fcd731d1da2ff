"""Fixtures of directories' tests: directories declared by a test alone, custom attributes with values,
places for auto-substitution, a unit to edit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kontora.directories.attributes import services as attribute_services
from kontora.directories.hooks import DIRECTORIES, Directory
from kontora.directories.models import Attribute, Competitor, Settlement, Unit
from kontora.directories.selectors import registry
from kontora.directories.services.items import directory_item_save
from tests.directories.factories import AttributeFactory, AttributeOptionFactory, RegionFactory, SettlementFactory


@pytest.fixture
def rivals() -> Iterator[Directory]:
    """A directory declared by the test alone: no view code of its own."""
    directory = DIRECTORIES.register(Directory("test-rivals", Competitor, title="Соперники", group="ladder"))
    yield directory
    DIRECTORIES.unregister(directory.key)


@pytest.fixture
def places_directory() -> Iterator[Directory]:
    """A directory whose card references another directory (regions), so its card has a picker."""
    directory = DIRECTORIES.register(Directory(
        "test-places", Settlement, fields=("name", "region"), title="Населённые пункты (тест)", group="geography",
        order_by=("name_key", "id"),
    ))
    yield directory
    DIRECTORIES.unregister("test-places")


@pytest.fixture
def unit(admin_user: Any) -> Unit:
    """A unit of measure saved through the directory service."""
    return directory_item_save(  # type: ignore[return-value]
        acting_user=admin_user, directory=registry.get("units"), pk=None,
        data={"name": "Бобина тестовая", "short_name": "боб", "okei": ""},
    )


@pytest.fixture
def fleet(db: Any) -> dict[str, Any]:
    """One attribute of every type, ordered as listed."""
    car = AttributeFactory(kind=Attribute.Kind.DIRECTORY, name="Тип автомобиля", order=1)
    truck = AttributeOptionFactory(attribute=car, name="грузовой")
    sedan = AttributeOptionFactory(attribute=car, name="легковой")
    note = AttributeFactory(kind=Attribute.Kind.TEXT, name="Примечание", order=2)
    tonnage = AttributeFactory(kind=Attribute.Kind.NUMBER, name="Тоннажность", order=3)
    since = AttributeFactory(kind=Attribute.Kind.DATE, name="Клиент с", order=4)
    vip = AttributeFactory(kind=Attribute.Kind.FLAG, name="VIP", order=5)
    return {"car": car, "truck": truck, "sedan": sedan, "note": note, "tonnage": tonnage, "since": since,
            "vip": vip}


@pytest.fixture
def filled(fleet: dict[str, Any], admin_user: Any) -> dict[str, Any]:
    """Clients 1 and 2 carry a value of every type (client 2's flag off); client 3 has none."""
    attribute_services.attribute_values_save(acting_user=admin_user, client_id=1, values={
        fleet["car"].pk: fleet["truck"], fleet["note"].pk: "Ёлочные игрушки оптом",
        fleet["tonnage"].pk: Decimal("20"), fleet["since"].pk: date(2024, 3, 1), fleet["vip"].pk: True,
    })
    attribute_services.attribute_values_save(acting_user=admin_user, client_id=2, values={
        fleet["car"].pk: fleet["sedan"].pk, fleet["note"].pk: "Игрушки в розницу",
        fleet["tonnage"].pk: "1,5", fleet["since"].pk: "2025-01-15", fleet["vip"].pk: False,
    })
    return fleet


@pytest.fixture
def cities(db: Any) -> dict[str, Any]:
    """Moscow in its region and Abakan in Khakassia, for auto-substitution."""
    moscow_region = RegionFactory(code="77", name="Москва")
    khakassia = RegionFactory(code="19", name="Хакасия")
    return {"moscow": SettlementFactory(region=moscow_region, name="Москва"),
            "abakan": SettlementFactory(region=khakassia, name="Абакан"),
            "moscow_region": moscow_region, "khakassia": khakassia}
