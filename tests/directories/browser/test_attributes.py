"""Attributes and auto-substitution in a real browser; takes the guide's screenshots."""

from __future__ import annotations

import pytest

from kontora.directories.models import Attribute
from tests.support.browser import screenshot, sign_in


def open_admin_item(page, name: str) -> None:
    page.click("[data-menu=admin] > a")
    page.locator("[data-menu=admin]").get_by_role("link", name=name, exact=True).click()


@pytest.mark.feature("DIR-06")
def test_admin_creates_the_car_type_attribute_as_in_the_manual(page, live_server, admin_user, transactional_db):
    base = live_server.url
    # given
    Attribute.objects.create(name="Тоннажность а/м", label="Тоннажность", kind="number", is_active=True, order=2)
    sign_in(page, base, "admin")
    # when: Administration → Data management: attributes, Ins
    open_admin_item(page, "Управление данными: признаки-классификаторы")
    page.wait_for_url(f"{base}/administration/attributes/")
    page.locator("[data-testid=attributes-table] tbody tr").first.click()
    page.keyboard.press("Insert")
    page.wait_for_url(f"{base}/administration/attributes/new/")
    page.fill("#id_name", "Тип автомобиля")
    page.fill("#id_hint", "Каким транспортом пользуется клиент")
    page.fill("#id_label", "Тип автомобиля")
    page.select_option("#id_kind", label="Справочник")
    page.fill("#id_order", "1")
    page.check("#id_is_active")
    page.click("[data-testid=attribute-apply]")
    car = Attribute.objects.get(name="Тип автомобиля")
    page.wait_for_url(f"{base}/administration/attributes/{car.pk}/")
    for value in ("грузовой", "легковой"):
        page.fill("#id_new-name", value)
        page.click("[data-testid=attribute-value-add]")
        page.wait_for_url(f"{base}/administration/attributes/{car.pk}/#values")
        page.wait_for_selector(f"[data-testid=attribute-value] input[value='{value}']")
    screenshot(page, "attributes")
    page.click("[data-testid=attribute-ok]")
    page.wait_for_url(f"{base}/administration/attributes/")
    # then
    rows = page.locator("[data-testid=attributes-table] tbody tr")
    assert rows.nth(0).inner_text().split("\t")[:4] == ["1", "Тип автомобиля", "Тип автомобиля", "Справочник"]
    assert [o.name for o in car.options.order_by("order")] == ["грузовой", "легковой"]
    car.refresh_from_db()
    assert car.is_active and car.kind == "directory"
