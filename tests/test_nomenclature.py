"""Nomenclature (DIR-08, DIR-02 tree, DIR-01 right): price rule, codes, folders and moves, rights, search."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from kontora.accounts.models import UserRight
from kontora.core.money import money
from kontora.core.text import search_key
from kontora.directories.models import NomenclatureFolder, NomenclatureItem, Unit
from kontora.directories.nomenclature import selectors
from kontora.directories.nomenclature.services import (
    ItemData,
    NomenclatureRefused,
    Prices,
    markup_from_sale,
    nomenclature_folder_create,
    nomenclature_folder_delete,
    nomenclature_folder_move,
    nomenclature_folder_rename,
    nomenclature_item_create,
    nomenclature_item_update,
    nomenclature_items_move,
    reconcile_prices,
    sale_from_markup,
)
from tests.support.http import signed_in

D = Decimal


def _item(user: Any, name: str, *, folder: NomenclatureFolder | None = None, **fields: Any) -> NomenclatureItem:
    return nomenclature_item_create(
        acting_user=user, folder_id=folder.pk if folder else None, data=ItemData(name=name, **fields)
    )


def _bulk_items(folder: NomenclatureFolder, count: int, *, start_code: int) -> None:
    NomenclatureItem.objects.bulk_create(
        [
            NomenclatureItem(folder=folder, code=start_code + n, name=f"Товар {n:05d}", name_key=f"товар {n:05d}")
            for n in range(count)
        ],
        batch_size=2000,
    )


# ---- the price rule -------------------------------------------------------------------------------------


@pytest.mark.feature("DIR-08")
def test_money_rounds_half_up_to_kopecks() -> None:
    # given / when / then
    assert money(D("1.005")) == D("1.01")
    assert money(D("1.004")) == D("1.00")
    assert money(D("-1.005")) == D("-1.01")
    assert money(7) == D("7.00")


@pytest.mark.feature("DIR-08")
def test_changed_purchase_price_recalculates_the_sale_price() -> None:
    # given an item bought at 100.00 with a 25 % markup, sold at 125.00
    initial = Prices(D("100.00"), D("25.00"), D("125.00"))
    # when the purchase price becomes 1.25 (the sale price sent unchanged)
    result = reconcile_prices(Prices(D("1.25"), D("25.00"), D("125.00")), initial)
    # then the sale price follows: 1.25 × 1.25 = 1.5625 → 1.56
    assert result == Prices(D("1.25"), D("25.00"), D("1.56"))


@pytest.mark.feature("DIR-08")
def test_changed_markup_recalculates_the_sale_price_rounding_half_up() -> None:
    # given
    initial = Prices(D("1.25"), D("0.00"), D("1.25"))
    # when the markup becomes 10 %: 1.25 × 1.1 = 1.375
    result = reconcile_prices(Prices(D("1.25"), D("10"), D("1.25")), initial)
    # then half a kopeck rounds up
    assert result.sale_price == D("1.38")


@pytest.mark.feature("DIR-08")
def test_changed_sale_price_recalculates_the_markup_and_keeps_the_sale_price() -> None:
    # given
    initial = Prices(D("300.00"), D("10.00"), D("330.00"))
    # when the user types the sale price 400
    result = reconcile_prices(Prices(D("300.00"), D("10.00"), D("400")), initial)
    # then the markup is 33.333… → 33.33 and the sale price stays as typed
    assert result == Prices(D("300.00"), D("33.33"), D("400.00"))


@pytest.mark.feature("DIR-08")
def test_sale_price_without_purchase_price_leaves_the_markup() -> None:
    # given a new item
    initial = Prices()
    # when only the sale price is entered, the purchase price being 0 and the markup 15
    result = reconcile_prices(Prices(D("0"), D("15"), D("99.90")), Prices(D("0"), D("15"), D("0")))
    # then the markup stays and so does the sale price
    assert result == Prices(D("0.00"), D("15.00"), D("99.90"))
    assert reconcile_prices(Prices(D("0"), D("0"), D("50")), initial) == Prices(D("0.00"), D("0.00"), D("50.00"))


@pytest.mark.feature("DIR-08")
def test_a_triple_already_agreeing_is_kept_as_the_card_sent_it() -> None:
    # given the card's live helper derived the markup from a typed sale price (purchase changed too)
    initial = Prices(D("100.00"), D("0.00"), D("100.00"))
    entered = Prices(D("300.00"), markup_from_sale(D("300.00"), D("400.00")), D("400.00"))
    # when / then nothing is moved: 300 × 1.3333 would give 399.99, but the user typed 400
    assert reconcile_prices(entered, initial) == Prices(D("300.00"), D("33.33"), D("400.00"))


@pytest.mark.feature("DIR-08")
@given(
    purchase=st.decimals(min_value=D("0.01"), max_value=D("100"), places=2),
    sale=st.decimals(min_value=D("0"), max_value=D("100000"), places=2),
)
def test_markup_from_sale_and_back_gives_the_sale_within_a_kopeck(purchase: Decimal, sale: Decimal) -> None:
    # given a markup recalculated from a typed sale price
    markup = markup_from_sale(purchase, sale)
    # when the sale price is recalculated from that markup
    again = sale_from_markup(purchase, markup)
    # then it is the same sale price within a kopeck (markups are kept to 2 places: up to 100 ₽ of purchase
    # price a hundredth of a percent is at most a kopeck)
    assert abs(again - sale) <= D("0.01")


@pytest.mark.feature("DIR-08")
@given(
    purchase=st.decimals(min_value=D("0.01"), max_value=D("9999999"), places=2),
    sale=st.decimals(min_value=D("0"), max_value=D("9999999"), places=2),
)
def test_a_typed_sale_price_is_stored_exactly_and_the_markup_is_the_nearest(purchase: Decimal, sale: Decimal) -> None:
    # given an item with a purchase price and no markup yet
    initial = Prices(purchase, D("0"), purchase)
    # when the user types a sale price
    result = reconcile_prices(Prices(purchase, D("0"), sale), initial)
    # then the sale price is kept exactly, the markup is within half a hundredth of a percent of the true one,
    # and recalculating the sale price from it misses by no more than that half-hundredth of the purchase price
    assert result.sale_price == sale
    assert abs(result.markup - (sale / purchase - 1) * 100) <= D("0.005")
    assert abs(sale_from_markup(purchase, result.markup) - sale) <= purchase * D("0.00005") + D("0.005")


# ---- items: codes, card, price rule through the service --------------------------------------------------


@pytest.mark.feature("DIR-08")
def test_codes_are_assigned_in_order_and_unique(admin_user: Any) -> None:
    # given / when
    first = _item(admin_user, "Бумага А4")
    second = _item(admin_user, "Скрепки")
    # then
    assert (first.code, second.code) == (1, 2)
    assert NomenclatureItem.objects.values("code").distinct().count() == 2


@pytest.mark.feature("DIR-08")
def test_code_never_changes_on_update_even_if_posted(admin_user: Any, admin_client: Any) -> None:
    # given
    item = _item(admin_user, "Бумага А4", purchase_price=D("200"), markup=D("10"))
    # when the card is saved with a forged code
    response = admin_client.post(f"/directories/nomenclature/items/{item.pk}/", {
        "name": "Бумага А4 офисная", "code": "999", "purchase_price": "200,00", "markup": "10,00",
        "sale_price": "220,00", "is_active": "on",
    })
    # then the item is saved and keeps its code
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.code, item.name, item.name_key) == (1, "Бумага А4 офисная", "бумага а4 офисная")


@pytest.mark.feature("DIR-08")
def test_item_create_applies_the_price_rule(admin_user: Any) -> None:
    # given / when
    item = _item(admin_user, "Папка", purchase_price=D("80"), markup=D("12.5"))
    # then
    assert (item.purchase_price, item.markup, item.sale_price) == (D("80.00"), D("12.50"), D("90.00"))


@pytest.mark.feature("DIR-08")
def test_card_sale_price_change_recalculates_the_markup(admin_user: Any, admin_client: Any) -> None:
    # given an item 300 → 330 (10 %)
    item = _item(admin_user, "Степлер", purchase_price=D("300"), markup=D("10"))
    # when the card is saved with the sale price 390
    response = admin_client.post(f"/directories/nomenclature/items/{item.pk}/", {
        "name": "Степлер", "purchase_price": "300,00", "markup": "10,00", "sale_price": "390,00", "is_active": "on",
    })
    # then
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.markup, item.sale_price) == (D("30.00"), D("390.00"))


@pytest.mark.feature("DIR-08")
def test_card_all_properties_saved(admin_user: Any, admin_client: Any) -> None:
    # given
    unit = Unit.objects.create(name="Штука", name_key="штука", short_name="шт", okei="796")
    # when
    response = admin_client.post("/directories/nomenclature/items/new/", {
        "article": "ПП-10", "name": "Пачка бумаги", "unit": str(unit.pk), "manufacturer": "Снегурочка",
        "supplier": "ООО «Канцторг»", "purchase_price": "250,00", "markup": "20", "sale_price": "0",
        "weight": "2,5", "volume": "0,003", "per_package": "5", "discount_prohibited": "on",
        "not_in_price_list": "on", "is_active": "on",
    })
    # then
    assert response.status_code == 302
    item = NomenclatureItem.objects.get()
    assert (item.article_key, item.unit_id, item.sale_price, item.weight, item.per_package) == (
        "пп 10", unit.pk, D("300.00"), D("2.500"), D("5.000"),
    )
    assert item.discount_prohibited and item.not_in_price_list and item.is_active


@pytest.mark.feature("DIR-08")
def test_card_refuses_a_sale_price_beyond_the_markup_column(admin_user: Any, admin_client: Any) -> None:
    # given
    item = _item(admin_user, "Гвоздь", purchase_price=D("0.01"))
    # when the sale price would need a markup of 99 999 900 %
    response = admin_client.post(f"/directories/nomenclature/items/{item.pk}/", {
        "name": "Гвоздь", "purchase_price": "0,01", "markup": "0", "sale_price": "10000", "is_active": "on",
    })
    # then the message stands next to the sale price and nothing is saved
    assert response.status_code == 200
    assert response.context["form"].errors["sale_price"] == [
        "Цена продажи слишком далека от закупочной: наценка превысила бы 99 999,99 %."
    ]
    item.refresh_from_db()
    assert item.sale_price == D("0.01")


@pytest.mark.feature("DIR-08")
def test_card_requires_the_name(admin_client: Any) -> None:
    # given / when
    response = admin_client.post("/directories/nomenclature/items/new/", {
        "name": "", "purchase_price": "0", "markup": "0", "sale_price": "0",
    })
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Обязательное поле."]
    assert not NomenclatureItem.objects.exists()


# ---- folders: tree, moves --------------------------------------------------------------------------------


def _tree(user: Any) -> dict[str, NomenclatureFolder]:
    """Канцтовары/Бумага/Офисная, Канцтовары/Бумага/Цветная, Хозтовары."""
    office = nomenclature_folder_create(acting_user=user, parent_id=None, name="Канцтовары")
    paper = nomenclature_folder_create(acting_user=user, parent_id=office.pk, name="Бумага")
    plain = nomenclature_folder_create(acting_user=user, parent_id=paper.pk, name="Офисная")
    colour = nomenclature_folder_create(acting_user=user, parent_id=paper.pk, name="Цветная")
    home = nomenclature_folder_create(acting_user=user, parent_id=None, name="Хозтовары")
    return {"office": office, "paper": paper, "plain": plain, "colour": colour, "home": home}


@pytest.mark.feature("DIR-02")
def test_folder_paths_of_unlimited_depth(admin_user: Any) -> None:
    # given
    parent_id = None
    # when a chain of 30 folders is built
    for depth in range(30):
        parent_id = nomenclature_folder_create(acting_user=admin_user, parent_id=parent_id, name=f"Уровень {depth}").pk
    # then the deepest path lists all 30 ids from the top
    deepest = NomenclatureFolder.objects.get(pk=parent_id)
    ids = list(NomenclatureFolder.objects.order_by("pk").values_list("pk", flat=True))
    assert deepest.path == "/" + "/".join(str(pk) for pk in ids) + "/"
    assert [f.name for f in selectors.folder_ancestors(fetched_by=admin_user, folder=deepest)][:2] == [
        "Уровень 0", "Уровень 1",
    ]


@pytest.mark.feature("DIR-02")
def test_moving_a_folder_with_10000_items_keeps_the_tree_and_touches_no_item(admin_user: Any) -> None:
    # given a subtree Бумага (Офисная: 10,000 items; Цветная: 5 items) and a small folder for comparison
    f = _tree(admin_user)
    _bulk_items(f["plain"], 10_000, start_code=1)
    _bulk_items(f["colour"], 5, start_code=20_001)
    small = nomenclature_folder_create(acting_user=admin_user, parent_id=None, name="Мелочи")
    small_kid = nomenclature_folder_create(acting_user=admin_user, parent_id=small.pk, name="Подпапка")
    _bulk_items(small_kid, 3, start_code=30_001)
    with CaptureQueriesContext(connection) as small_move:
        nomenclature_folder_move(acting_user=admin_user, folder_id=small.pk, parent_id=f["home"].pk)

    # when Бумага moves under Хозтовары
    with CaptureQueriesContext(connection) as big_move:
        moved = nomenclature_folder_move(acting_user=admin_user, folder_id=f["paper"].pk, parent_id=f["home"].pk)

    # then every descendant folder's path is right
    home, paper = f["home"], f["paper"]
    assert moved.parent_id == home.pk and moved.path == f"/{home.pk}/{paper.pk}/"
    for key in ("plain", "colour"):
        folder = NomenclatureFolder.objects.get(pk=f[key].pk)
        assert folder.path == f"/{home.pk}/{paper.pk}/{folder.pk}/"
        assert folder.parent_id == paper.pk
    assert NomenclatureFolder.objects.get(pk=f["office"].pk).path == f"/{f['office'].pk}/"
    # the items stayed in their folders, and the subtree query finds them all under the new place
    assert NomenclatureItem.objects.filter(folder=f["plain"]).count() == 10_000
    assert selectors.subtree_items(fetched_by=admin_user, folder=moved).count() == 10_005
    assert selectors.subtree_items(fetched_by=admin_user, folder=home).count() == 10_008
    assert selectors.subtree_items(fetched_by=admin_user, folder=f["office"]).count() == 0
    # and the move cost the same queries as moving a folder of 3 items, none of them on items
    assert len(big_move.captured_queries) == len(small_move.captured_queries)
    assert not [q for q in big_move.captured_queries if "directories_nomenclatureitem" in q["sql"]]


@pytest.mark.feature("DIR-02")
def test_folder_cannot_move_into_its_own_subtree(admin_user: Any) -> None:
    # given
    f = _tree(admin_user)
    # when / then
    with pytest.raises(NomenclatureRefused) as into_child:
        nomenclature_folder_move(acting_user=admin_user, folder_id=f["office"].pk, parent_id=f["plain"].pk)
    with pytest.raises(NomenclatureRefused) as into_itself:
        nomenclature_folder_move(acting_user=admin_user, folder_id=f["paper"].pk, parent_id=f["paper"].pk)
    assert str(into_child.value) == (
        "Папку «Канцтовары» нельзя переместить в саму себя или в одну из её вложенных папок."
    )
    assert str(into_itself.value) == "Папку «Бумага» нельзя переместить в саму себя или в одну из её вложенных папок."
    assert NomenclatureFolder.objects.get(pk=f["office"].pk).path == f"/{f['office'].pk}/"


@pytest.mark.feature("DIR-02")
def test_folder_move_to_the_top_level(admin_user: Any) -> None:
    # given
    f = _tree(admin_user)
    # when
    moved = nomenclature_folder_move(acting_user=admin_user, folder_id=f["paper"].pk, parent_id=None)
    # then
    assert (moved.parent_id, moved.path) == (None, f"/{f['paper'].pk}/")
    assert NomenclatureFolder.objects.get(pk=f["colour"].pk).path == f"/{f['paper'].pk}/{f['colour'].pk}/"


@pytest.mark.feature("DIR-02")
def test_moving_folder_into_own_subtree_through_the_dialog_shows_the_message(
    admin_user: Any, admin_client: Any
) -> None:
    # given
    f = _tree(admin_user)
    # when
    response = admin_client.post(
        f"/directories/nomenclature/folders/{f['paper'].pk}/move/", {"target": str(f["colour"].pk)},
        HTTP_HX_REQUEST="true",
    )
    # then
    assert response.status_code == 200
    message = "Папку «Бумага» нельзя переместить в саму себя или в одну из её вложенных папок."
    assert message in response.content.decode()


@pytest.mark.feature("DIR-02")
def test_items_move_between_folders(admin_user: Any, admin_client: Any) -> None:
    # given
    f = _tree(admin_user)
    pen = _item(admin_user, "Ручка", folder=f["plain"])
    pencil = _item(admin_user, "Карандаш", folder=f["plain"])
    eraser = _item(admin_user, "Ластик", folder=f["plain"])
    # when two of them are moved through the dialog
    response = admin_client.post(
        "/directories/nomenclature/items/move/",
        {"item": [str(pen.pk), str(pencil.pk)], "target": str(f["home"].pk)}, HTTP_HX_REQUEST="true",
    )
    # then
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/directories/nomenclature/?folder={f['home'].pk}"
    moved = set(NomenclatureItem.objects.filter(folder=f["home"]).values_list("name", flat=True))
    assert moved == {"Ручка", "Карандаш"}
    assert NomenclatureItem.objects.get(pk=eraser.pk).folder_id == f["plain"].pk
    # and moving to the top level
    assert nomenclature_items_move(acting_user=admin_user, item_ids=[eraser.pk], folder_id=None) == 1
    assert NomenclatureItem.objects.get(pk=eraser.pk).folder_id is None


@pytest.mark.feature("DIR-02")
def test_folder_delete_refused_when_not_empty(admin_user: Any) -> None:
    # given
    f = _tree(admin_user)
    _item(admin_user, "Ведро", folder=f["home"])
    # when / then
    with pytest.raises(NomenclatureRefused) as with_folders:
        nomenclature_folder_delete(acting_user=admin_user, folder_id=f["paper"].pk)
    with pytest.raises(NomenclatureRefused) as with_items:
        nomenclature_folder_delete(acting_user=admin_user, folder_id=f["home"].pk)
    assert str(with_folders.value) == (
        "Папка «Бумага» не пуста: сначала переместите или удалите её папки и позиции."
    )
    assert str(with_items.value) == "Папка «Хозтовары» не пуста: сначала переместите или удалите её папки и позиции."
    # an empty one goes
    nomenclature_folder_delete(acting_user=admin_user, folder_id=f["colour"].pk)
    assert not NomenclatureFolder.objects.filter(pk=f["colour"].pk).exists()


@pytest.mark.feature("DIR-08")
def test_folder_rename_and_price_list_order(admin_user: Any, admin_client: Any) -> None:
    # given
    f = _tree(admin_user)
    # when
    response = admin_client.post(
        f"/directories/nomenclature/folders/{f['home'].pk}/edit/", {"name": "Хозяйственные товары",
                                                                     "price_list_order": "1"},
        HTTP_HX_REQUEST="true",
    )
    nomenclature_folder_rename(acting_user=admin_user, folder_id=f["office"].pk, name="Канцтовары", price_list_order=2)
    # then the price list order sorts the top level
    assert response.status_code == 204
    top = selectors.folder_children(fetched_by=admin_user, parent_id=None)
    assert [(folder.name, folder.price_list_order, folder.has_children) for folder in top] == [  # type: ignore[attr-defined]
        ("Хозяйственные товары", 1, False), ("Канцтовары", 2, True),
    ]


# ---- rights (DIR-01) -------------------------------------------------------------------------------------


@pytest.mark.feature("DIR-01")
def test_manager_views_but_cannot_edit_the_nomenclature(
    admin_user: Any, manager_client: Any, manager_user: Any
) -> None:
    # given
    f = _tree(admin_user)
    item = _item(admin_user, "Ручка", folder=f["plain"])
    # when
    tree = manager_client.get(f"/directories/nomenclature/?folder={f['plain'].pk}")
    card = manager_client.get(f"/directories/nomenclature/items/{item.pk}/")
    # then viewing works without edit buttons
    assert tree.status_code == 200 and card.status_code == 200
    assert 'data-testid="item-new"' not in tree.content.decode()
    assert 'data-testid="item-ok"' not in card.content.decode()
    assert "Ручка" in tree.content.decode()
    # and every change is 403
    posts = [
        ("/directories/nomenclature/items/new/", {"name": "Карандаш", "purchase_price": "0", "markup": "0",
                                                 "sale_price": "0"}),
        (f"/directories/nomenclature/items/{item.pk}/", {"name": "Взлом", "purchase_price": "0", "markup": "0",
                                                        "sale_price": "0"}),
        ("/directories/nomenclature/folders/new/", {"name": "Папка", "price_list_order": "0"}),
        (f"/directories/nomenclature/folders/{f['home'].pk}/edit/", {"name": "Папка", "price_list_order": "0"}),
        (f"/directories/nomenclature/folders/{f['home'].pk}/delete/", {}),
        (f"/directories/nomenclature/folders/{f['paper'].pk}/move/", {"target": "0"}),
        ("/directories/nomenclature/items/move/", {"item": str(item.pk), "target": "0"}),
    ]
    for url, data in posts:
        assert manager_client.post(url, data).status_code == 403, url
    with pytest.raises(PermissionDenied):
        nomenclature_folder_create(acting_user=manager_user, parent_id=None, name="Папка")
    assert NomenclatureItem.objects.get(pk=item.pk).name == "Ручка"


@pytest.mark.feature("DIR-01")
def test_manager_with_the_right_edits_nomenclature_but_not_other_directories(
    admin_user: Any, manager_user: Any
) -> None:
    # given
    UserRight.objects.create(user=manager_user, code="edit_nomenclature")
    client = signed_in(manager_user)
    # when
    folder = client.post("/directories/nomenclature/folders/new/", {"name": "Инструмент", "price_list_order": "0"})
    item = client.post("/directories/nomenclature/items/new/", {
        "name": "Молоток", "purchase_price": "500", "markup": "20", "sale_price": "0", "is_active": "on",
    })
    unit_card = client.get("/directories/units/new/")
    # then
    assert folder.status_code == 302 and item.status_code == 302
    assert NomenclatureItem.objects.get().sale_price == D("600.00")
    assert NomenclatureFolder.objects.get().name == "Инструмент"
    assert unit_card.status_code == 403


@pytest.mark.feature("DIR-01")
def test_manager_card_inputs_are_read_only(admin_user: Any, manager_client: Any) -> None:
    # given
    item = _item(admin_user, "Ручка")
    # when
    response = manager_client.get(f"/directories/nomenclature/items/{item.pk}/")
    # then
    form = response.context["form"]
    assert all(field.disabled for field in form.fields.values())
    assert "изменять её может только пользователь с правом «Редактирование номенклатуры»" in response.content.decode()


# ---- search and lists -----------------------------------------------------------------------------------


@pytest.mark.feature("DIR-08")
def test_search_by_code_article_and_name_folds_cyrillic(admin_user: Any) -> None:
    # given
    tree = _item(admin_user, "Ёлка искусственная", article="ЁЛ-150")
    paper = _item(admin_user, "Бумага офисная", article="БУМ-А4")
    bucket = _item(admin_user, "Ведро", article="12")

    def found(query: str) -> list[str]:
        return [row["name"] for row in selectors.item_search(fetched_by=admin_user, query=query).rows]

    # when / then: code exactly
    assert found(str(paper.code)) == ["Бумага офисная"]
    # article by prefix, any case, ё as е, punctuation ignored
    assert found("бум-а") == ["Бумага офисная"]
    assert found("ел 15") == ["Ёлка искусственная"]
    # name by prefix, any case, ё as е
    assert found("ЕЛКА") == ["Ёлка искусственная"]
    assert found("бУмАгА оф") == ["Бумага офисная"]
    # a number matches the code and the articles starting with it
    assert found("1") == ["Ведро", "Ёлка искусственная"]
    assert found("офисная") == []
    assert tree.code == 1 and bucket.code == 3


@pytest.mark.feature("DIR-08")
def test_search_page_shows_the_found_items(admin_user: Any, admin_client: Any) -> None:
    # given
    _item(admin_user, "Бумага офисная", article="БУМ-А4")
    # when
    response = admin_client.get("/directories/nomenclature/", {"q": "бум"})
    # then
    page = response.content.decode()
    assert "Найдено по «бум»" in page
    assert "Бумага офисная" in page


@pytest.mark.feature("DIR-02")
def test_folder_list_pages_by_keyset_without_gaps(admin_user: Any, admin_client: Any) -> None:
    # given 120 items in a folder, a few with equal names
    folder = nomenclature_folder_create(acting_user=admin_user, parent_id=None, name="Склад")
    _bulk_items(folder, 117, start_code=1)
    for code in (500, 501, 502):
        NomenclatureItem.objects.create(
            folder=folder, code=code, name="Товар 00050", name_key=search_key("Товар 00050")
        )
    # when every page is read in turn
    seen: list[int] = []
    after = ""
    while True:
        page = selectors.folder_items(fetched_by=admin_user, folder_id=folder.pk, after=after)
        seen.extend(row["id"] for row in page.rows)
        if not page.next_after:
            break
        after = page.next_after
    # then every item came once, in name order
    assert len(seen) == len(set(seen)) == 120
    expected = list(NomenclatureItem.objects.order_by("name_key", "id").values_list("id", flat=True))
    assert seen == expected


@pytest.mark.feature("DIR-02")
def test_more_rows_partial_and_lazy_children(admin_user: Any, admin_client: Any) -> None:
    # given
    f = _tree(admin_user)
    _bulk_items(f["plain"], 60, start_code=1)
    # when
    first = admin_client.get("/directories/nomenclature/", {"folder": f["plain"].pk})
    more = admin_client.get(first.context["more_url"])
    children = admin_client.get(f"/directories/nomenclature/folders/{f['paper'].pk}/children/")
    # then
    assert first.content.decode().count('data-testid="nom-item"') == 50
    assert more.content.decode().count('data-testid="nom-item"') == 10
    assert 'data-testid="nom-more"' not in more.content.decode()
    assert "Офисная" in children.content.decode() and "Цветная" in children.content.decode()


@pytest.mark.feature("DIR-02")
def test_folder_page_query_count_does_not_grow_with_items(admin_user: Any, admin_client: Any,
                                                          django_assert_max_num_queries: Any) -> None:
    # given a folder deep in the tree holding 300 items
    f = _tree(admin_user)
    _bulk_items(f["plain"], 300, start_code=1)
    admin_client.get("/directories/nomenclature/")
    # when / then
    with django_assert_max_num_queries(12):
        response = admin_client.get("/directories/nomenclature/", {"folder": f["plain"].pk})
    assert response.status_code == 200


@pytest.mark.feature("DIR-08")
def test_unknown_reference_refused_next_to_the_field(admin_user: Any) -> None:
    # given / when
    with pytest.raises(ValidationError) as refused:
        _item(admin_user, "Ручка", unit_id=999_999)
    # then
    assert refused.value.message_dict == {"unit": ["Выберите значение из справочника."]}


@pytest.mark.feature("DIR-08")
def test_update_keeps_folder(admin_user: Any) -> None:
    # given
    f = _tree(admin_user)
    item = _item(admin_user, "Ручка", folder=f["plain"])
    # when
    updated = nomenclature_item_update(acting_user=admin_user, item_id=item.pk, data=ItemData(name="Ручка синяя"))
    # then
    assert (updated.folder_id, updated.code, updated.name) == (f["plain"].pk, item.code, "Ручка синяя")
