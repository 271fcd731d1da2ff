"""Directories in a real browser: the list with search as you type, the card, the picker with "+" in a modal."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.directories.models import Region, Settlement, Unit
from tests.support.browser import screenshot, sign_in


def unit(name: str, short: str, okei: str, *, active: bool = True) -> Unit:
    return Unit.objects.create(name=name, name_key=name.casefold().replace("ё", "е"), short_name=short, okei=okei,
                               is_active=active)


@pytest.mark.feature("DIR-01", "DIR-02")
def test_admin_searches_a_directory_and_edits_an_item(page, live_server, admin_user, transactional_db):
    base = live_server.url
    # given
    Unit.objects.all().delete()
    for name, short, okei in [("Штука", "шт", "796"), ("Килограмм", "кг", "166"), ("Метр", "м", "006"),
                              ("Метр квадратный", "м2", "055"), ("Литр", "л", "112"), ("Ёмкость", "ём", "")]:
        unit(name, short, okei)
    unit("Дюжина", "дюж", "", active=False)
    sign_in(page, base, "admin")

    # when: Directories → Units of measure from the menu bar
    page.click("[data-menu=directories] > a")
    page.locator("[data-menu=directories]").get_by_role("link", name="Единицы измерения", exact=True).click()
    page.wait_for_url(f"{base}/directories/units/")
    rows = page.locator("[data-testid=directory-row]")

    # then: active items only; typing narrows the list, Cyrillic case and ё folded
    assert rows.count() == 6
    page.fill("[data-testid=directory-search]", "ме")
    expect(page.locator("[data-testid=directory-row]")).to_have_count(2)
    assert rows.locator("td:first-child").all_inner_texts() == ["Метр", "Метр квадратный"]
    page.fill("[data-testid=directory-search]", "ЕМК")
    expect(page.locator("[data-testid=directory-row]")).to_have_count(1)
    assert rows.first.locator("td").first.inner_text() == "Ёмкость"
    page.fill("[data-testid=directory-search]", "")
    page.check("[data-testid=directory-show-inactive]")
    expect(page.locator("[data-testid=directory-row]")).to_have_count(7)
    assert "не действует" in page.locator("[data-testid=directory-table]").inner_text()
    page.uncheck("[data-testid=directory-show-inactive]")
    expect(page.locator("[data-testid=directory-row]")).to_have_count(6)
    screenshot(page, "directories-list")

    # when: Ins opens a new card; the item is saved with OK
    page.locator("[data-testid=directory-row]").first.click()
    page.keyboard.press("Insert")
    page.wait_for_url(f"{base}/directories/units/new/")
    page.fill("#id_name", "Упаковка")
    page.fill("#id_short_name", "упак")
    page.fill("#id_okei", "778")
    screenshot(page, "directory-card")
    page.click("[data-testid=directory-ok]")
    page.wait_for_url(f"{base}/directories/units/")

    # then
    assert page.locator(".alert-success").inner_text() == "Элемент «Упаковка» сохранён."
    assert Unit.objects.get(name="Упаковка").short_name == "упак"


@pytest.mark.feature("DIR-07")
def test_admin_adds_an_item_from_a_picker_and_it_is_chosen(page, live_server, admin_user, places_directory,
                                                           transactional_db):
    base = live_server.url
    # given: only these regions (the initial base has all of Russia's)
    Settlement.objects.all().delete()
    Region.objects.all().delete()
    for code, name in [("50", "Московская область"), ("77", "Москва"), ("47", "Ленинградская область")]:
        Region.objects.create(code=code, name=name, name_key=name.casefold(), short_name=name)
    Region.objects.create(code="00", name="Мордовская АССР", name_key="мордовская асср", short_name="Мордовия",
                          is_active=False)
    sign_in(page, base, "admin")
    page.goto(f"{base}/directories/test-places/new/")
    page.fill("#id_name", "Зеленоград")
    text = page.locator("#id_region")

    # when: typing offers active matches only; arrows and Enter choose one
    text.fill("мо")
    options = page.locator("[data-picker=regions] [data-pick]")
    expect(page.locator("[data-picker=regions] [data-pick]")).to_have_count(2)
    assert options.all_inner_texts() == ["Москва", "Московская область"]
    screenshot(page, "directory-picker")
    text.press("ArrowDown")
    text.press("Enter")

    # then
    assert text.input_value() == "Московская область"
    chosen = str(Region.objects.get(code="50").pk)
    assert page.locator("#id_region_pk").input_value() == chosen

    # when: "+" opens the card of a new region in a modal, with the text typed so far
    text.fill("Новая")
    page.click("[data-picker=regions] [data-picker-add]")
    modal = page.locator("#k-picker-modal")
    modal.locator("#id_name").wait_for()
    assert modal.locator("#id_name").input_value() == "Новая"
    modal.locator("#id_name").fill("Новая территория")
    modal.locator("#id_short_name").fill("Новая")
    modal.locator("#id_code").fill("50")
    screenshot(page, "directory-picker-add")
    modal.locator("[data-testid=directory-ok]").click()

    # then: a duplicate code is refused inside the modal, next to the field
    modal.locator("[data-testid=error-code]").wait_for()
    assert modal.locator("[data-testid=error-code]").inner_text() == "Регион с таким Код региона уже существует."

    # when: corrected and saved
    modal.locator("#id_code").fill("96")
    modal.locator("[data-testid=directory-ok]").click()
    expect(page.locator("#k-picker-modal.show")).to_have_count(0)

    # then: the new region is chosen in the picker and saved with the card
    created = Region.objects.get(code="96")
    assert text.input_value() == "Новая территория"
    assert page.locator("#id_region_pk").input_value() == str(created.pk)
    page.click("[data-testid=directory-ok]")
    page.wait_for_url(f"{base}/directories/test-places/")
    assert Settlement.objects.get(name="Зеленоград").region == created


@pytest.mark.feature("DIR-07")
def test_picker_keeps_an_old_inactive_value_and_offers_editing(page, live_server, admin_user, places_directory,
                                                               transactional_db):
    base = live_server.url
    # given: a place whose region has since been made inactive
    old = Region.objects.create(code="00", name="Мордовская АССР", name_key="мордовская асср", short_name="МАССР",
                                is_active=False)
    place = Settlement.objects.create(name="Саранск", name_key="саранск", region=old)
    sign_in(page, base, "admin")

    # when
    page.goto(f"{base}/directories/test-places/{place.pk}/")

    # then: the old value is shown and marked; saving unchanged keeps it
    assert page.locator("#id_region").input_value() == "Мордовская АССР"
    assert page.locator("[data-picker=regions] [data-picker-inactive]").inner_text() == "не действует"

    # when: "✎" edits the chosen region in the modal
    page.click("[data-picker=regions] [data-picker-edit]")
    modal = page.locator("#k-picker-modal")
    modal.locator("#id_name").wait_for()
    modal.locator("#id_name").fill("Республика Мордовия")
    modal.locator("#id_is_active").check()
    modal.locator("[data-testid=directory-ok]").click()
    expect(page.locator("#k-picker-modal.show")).to_have_count(0)

    # then: the new name shows in the picker at once
    assert page.locator("#id_region").input_value() == "Республика Мордовия"
    page.click("[data-testid=directory-ok]")
    page.wait_for_url(f"{base}/directories/test-places/")
    old.refresh_from_db()
    assert (old.name, old.is_active) == ("Республика Мордовия", True)
    assert Settlement.objects.get(pk=place.pk).region_id == old.pk
