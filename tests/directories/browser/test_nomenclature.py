from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kontora.directories.models import NomenclatureFolder, NomenclatureItem
from kontora.directories.nomenclature.services import ItemData, nomenclature_folder_create, nomenclature_item_create
from tests.support.browser import screenshot, sign_in
from tests.support.http import PASSWORD


@pytest.mark.feature("DIR-08")
@pytest.mark.feature("DIR-02")
def test_folder_item_with_live_prices_and_a_move(page, live_server, admin_user, transactional_db):
    # given a folder for the archive and a few goods already there
    archive = nomenclature_folder_create(acting_user=admin_user, parent_id=None, name="Архив")
    stationery = nomenclature_folder_create(acting_user=admin_user, parent_id=None, name="Канцтовары")
    for name, article, price in (("Бумага А4", "БУМ-А4", "250"), ("Скрепки 28 мм", "СК-28", "40"),
                                 ("Степлер №24", "СТ-24", "310")):
        nomenclature_item_create(acting_user=admin_user, folder_id=stationery.pk, data=ItemData(
            name=name, article=article, purchase_price=Decimal(price), markup=Decimal("20"),
        ))
    sign_in(page, live_server.url, "admin", PASSWORD)

    # when: Directories → Nomenclature, a new folder inside «Канцтовары»
    page.click("[data-menu=directories] > a")
    page.locator("[data-menu=directories]").get_by_role("link", name="Номенклатура", exact=True).click()
    page.get_by_test_id("nom-tree").get_by_role("link", name="Канцтовары").click()
    page.get_by_test_id("folder-new").click()
    page.get_by_label("Наименование").fill("Ручки")
    page.get_by_test_id("folder-ok").click()
    # the new folder appears inside «Канцтовары», which stays open: the next new folder is its sibling
    page.get_by_test_id("nom-tree").get_by_role("link", name="Ручки").wait_for()
    pens = NomenclatureFolder.objects.get(name="Ручки")
    assert pens.path == f"/{stationery.pk}/{pens.pk}/"
    assert page.url.endswith(f"?folder={stationery.pk}")
    page.get_by_test_id("folder-new").click()
    page.get_by_label("Наименование").fill("Карандаши")
    page.get_by_test_id("folder-ok").click()
    page.get_by_test_id("nom-tree").get_by_role("link", name="Карандаши").wait_for()
    assert NomenclatureFolder.objects.get(name="Карандаши").parent_id == stationery.pk
    assert page.url.endswith(f"?folder={stationery.pk}")
    page.get_by_test_id("nom-tree").get_by_role("link", name="Ручки").click()
    page.wait_for_url(re.compile(rf"\?folder={pens.pk}$"))

    # a new item: purchase price and markup typed, the sale price follows at once
    page.get_by_test_id("item-new").click()
    page.get_by_label("Артикул").fill("РШ-01")
    page.get_by_label("Наименование").fill("Ручка шариковая синяя")
    page.get_by_label("Закупочная цена").fill("12,40")
    page.get_by_label("Наценка, %").fill("35")
    sale = page.get_by_label("Цена продажи")
    assert sale.input_value() == "16,74"
    # and the other way round: a typed sale price gives the markup
    sale.fill("18,60")
    assert page.get_by_label("Наценка, %").input_value() == "50,00"
    page.get_by_test_id("tab-additional").click()
    page.get_by_label("Скидка запрещена").check()
    page.get_by_role("tab", name="Общие данные").click()
    page.mouse.move(5, 790)  # no hover highlight on the tabs in the guide's picture
    screenshot(page, "nomenclature-card")
    page.get_by_test_id("item-ok").click()
    page.wait_for_url(re.compile(rf"\?folder={pens.pk}$"))
    item = NomenclatureItem.objects.get(article="РШ-01")
    assert (item.purchase_price, item.markup, item.sale_price, item.discount_prohibited) == (
        Decimal("12.40"), Decimal("50.00"), Decimal("18.60"), True,
    )
    assert page.locator(".alert-success").inner_text() == f"Позиция «Ручка шариковая синяя» добавлена, код {item.code}."

    # then it moves to «Архив»: mark it, Move marked…, choose the folder
    page.locator(f"[data-item='{item.pk}'] input[name=item]").check()
    page.get_by_test_id("items-move").click()
    page.get_by_test_id("move-form").get_by_label("Архив").check()
    page.get_by_test_id("move-ok").click()
    page.wait_for_url(re.compile(rf"\?folder={archive.pk}$"))
    assert page.locator(".alert-success").inner_text() == "Перемещено позиций: 1."
    assert page.get_by_test_id("nom-item").locator("a").all_inner_texts() == ["Ручка шариковая синяя"]
    assert NomenclatureItem.objects.get(pk=item.pk).folder_id == archive.pk

    # and the tree loads a folder's subfolders when it is expanded
    page.goto(f"{live_server.url}/directories/nomenclature/")
    tree = page.get_by_test_id("nom-tree")
    assert tree.get_by_role("link", name="Ручки").count() == 0
    tree.locator(f"li[data-folder='{stationery.pk}'] [data-testid=tree-toggle]").click()
    tree.get_by_role("link", name="Ручки").click()
    page.wait_for_url(re.compile(rf"\?folder={pens.pk}$"))
    # the tree with the open folder expanded, for the guide
    page.goto(f"{live_server.url}/directories/nomenclature/?folder={stationery.pk}")
    page.get_by_test_id("nom-tree").get_by_role("link", name="Ручки").wait_for()
    screenshot(page, "nomenclature-tree")
