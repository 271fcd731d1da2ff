"""Writes of the nomenclature (DIR-08, DIR-02): the price rule, codes, folders of any depth and moves, the audit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from kontora.core.errors import NotAllowed, Refused
from kontora.core.money import money
from kontora.directories.models import NomenclatureFolder, NomenclatureItem
from kontora.directories.nomenclature import selectors
from kontora.directories.nomenclature.services import (
    ItemData,
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
from tests.directories.factories import UnitFactory
from tests.directories.support import audit_rows, bulk_items, nomenclature_item, nomenclature_tree

D = Decimal


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


@pytest.mark.feature("DIR-08")
def test_codes_are_assigned_in_order_and_unique(admin_user: Any) -> None:
    # given / when
    first = nomenclature_item(admin_user, "Бумага А4")
    second = nomenclature_item(admin_user, "Скрепки")
    # then
    assert (first.code, second.code) == (1, 2)
    assert NomenclatureItem.objects.values("code").distinct().count() == 2


@pytest.mark.feature("DIR-08")
def test_item_create_applies_the_price_rule(admin_user: Any) -> None:
    # given / when
    item = nomenclature_item(admin_user, "Папка", purchase_price=D("80"), markup=D("12.5"))
    # then
    assert (item.purchase_price, item.markup, item.sale_price) == (D("80.00"), D("12.50"), D("90.00"))


@pytest.mark.feature("DIR-08")
def test_unknown_reference_refused_next_to_the_field(admin_user: Any) -> None:
    # given / when
    with pytest.raises(ValidationError) as refused:
        nomenclature_item(admin_user, "Ручка", unit_id=999_999)
    # then
    assert refused.value.message_dict == {"unit": ["Выберите значение из справочника."]}


@pytest.mark.feature("DIR-08")
def test_update_keeps_folder(admin_user: Any) -> None:
    # given
    f = nomenclature_tree(admin_user)
    item = nomenclature_item(admin_user, "Ручка", folder=f["plain"])
    # when
    updated = nomenclature_item_update(acting_user=admin_user, item_id=item.pk, data=ItemData(name="Ручка синяя"))
    # then
    assert (updated.folder_id, updated.code, updated.name) == (f["plain"].pk, item.code, "Ручка синяя")


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
def test_moving_a_folder_with_10000_items_keeps_the_tree_and_touches_nonomenclature_item(admin_user: Any) -> None:
    # given a subtree Бумага (Офисная: 10,000 items; Цветная: 5 items) and a small folder for comparison
    f = nomenclature_tree(admin_user)
    bulk_items(f["plain"], 10_000, start_code=1)
    bulk_items(f["colour"], 5, start_code=20_001)
    small = nomenclature_folder_create(acting_user=admin_user, parent_id=None, name="Мелочи")
    small_kid = nomenclature_folder_create(acting_user=admin_user, parent_id=small.pk, name="Подпапка")
    bulk_items(small_kid, 3, start_code=30_001)
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
    f = nomenclature_tree(admin_user)
    # when / then
    with pytest.raises(Refused) as into_child:
        nomenclature_folder_move(acting_user=admin_user, folder_id=f["office"].pk, parent_id=f["plain"].pk)
    with pytest.raises(Refused) as into_itself:
        nomenclature_folder_move(acting_user=admin_user, folder_id=f["paper"].pk, parent_id=f["paper"].pk)
    assert str(into_child.value) == (
        "Папку «Канцтовары» нельзя переместить в саму себя или в одну из её вложенных папок."
    )
    assert str(into_itself.value) == "Папку «Бумага» нельзя переместить в саму себя или в одну из её вложенных папок."
    assert NomenclatureFolder.objects.get(pk=f["office"].pk).path == f"/{f['office'].pk}/"


@pytest.mark.feature("DIR-02")
def test_folder_move_to_the_top_level(admin_user: Any) -> None:
    # given
    f = nomenclature_tree(admin_user)
    # when
    moved = nomenclature_folder_move(acting_user=admin_user, folder_id=f["paper"].pk, parent_id=None)
    # then
    assert (moved.parent_id, moved.path) == (None, f"/{f['paper'].pk}/")
    assert NomenclatureFolder.objects.get(pk=f["colour"].pk).path == f"/{f['paper'].pk}/{f['colour'].pk}/"


@pytest.mark.feature("DIR-02")
def test_folder_delete_refused_when_not_empty(admin_user: Any) -> None:
    # given
    f = nomenclature_tree(admin_user)
    nomenclature_item(admin_user, "Ведро", folder=f["home"])
    # when / then
    with pytest.raises(Refused) as with_folders:
        nomenclature_folder_delete(acting_user=admin_user, folder_id=f["paper"].pk)
    with pytest.raises(Refused) as with_items:
        nomenclature_folder_delete(acting_user=admin_user, folder_id=f["home"].pk)
    assert str(with_folders.value) == (
        "Папка «Бумага» не пуста: сначала переместите или удалите её папки и позиции."
    )
    assert str(with_items.value) == "Папка «Хозтовары» не пуста: сначала переместите или удалите её папки и позиции."
    # an empty one goes
    nomenclature_folder_delete(acting_user=admin_user, folder_id=f["colour"].pk)
    assert not NomenclatureFolder.objects.filter(pk=f["colour"].pk).exists()


@pytest.mark.feature("DIR-08")
def test_item_writes_audit_rows_with_what_the_card_shows(admin_user: Any) -> None:
    # given
    unit = UnitFactory(name="Пачка")
    # when
    item = nomenclature_item(admin_user, "Бумага А4", purchase_price=D("200"), markup=D("10"), unit_id=unit.pk)
    nomenclature_item_update(acting_user=admin_user, item_id=item.pk, data=ItemData(
        name="Бумага А4", purchase_price=D("200"), markup=D("20"), unit_id=unit.pk,
    ))
    # then
    [added] = audit_rows("directories.nomenclature_item.create")
    [changed] = audit_rows("directories.nomenclature_item.update")
    assert (added.actor, added.target_type, added.target_id, added.summary, added.extra) == (
        admin_user, "directories.nomenclatureitem", item.pk, "Позиция номенклатуры добавлена", {"code": item.code},
    )
    assert added.changes == [
        {"field": "Наименование", "old": "", "new": "Бумага А4"},
        {"field": "Единица измерения", "old": "", "new": "Пачка"},
        {"field": "Закупочная цена", "old": "0", "new": "200,00"},
        {"field": "Наценка, %", "old": "0", "new": "10,00"},
        {"field": "Цена продажи", "old": "0", "new": "220,00"},
    ]
    assert (changed.target_id, changed.summary, changed.changes) == (item.pk, "Позиция номенклатуры изменена", [
        {"field": "Наценка, %", "old": "10,00", "new": "20,00"},
        {"field": "Цена продажи", "old": "220,00", "new": "240,00"},
    ])


@pytest.mark.feature("DIR-02")
def test_folder_writes_audit_rows(admin_user: Any) -> None:
    # given
    f = nomenclature_tree(admin_user)
    pen = nomenclature_item(admin_user, "Ручка", folder=f["plain"])
    # when
    nomenclature_folder_rename(acting_user=admin_user, folder_id=f["home"].pk, name="Хозяйство", price_list_order=3)
    nomenclature_folder_move(acting_user=admin_user, folder_id=f["colour"].pk, parent_id=f["home"].pk)
    nomenclature_items_move(acting_user=admin_user, item_ids=[pen.pk], folder_id=f["home"].pk)
    nomenclature_folder_delete(acting_user=admin_user, folder_id=f["plain"].pk)
    # then
    created = audit_rows("directories.nomenclature_folder.create")
    assert [row.target_id for row in created] == [f[key].pk for key in ("office", "paper", "plain", "colour", "home")]
    assert created[1].changes == [{"field": "Папка", "old": "", "new": "Канцтовары"},
                                  {"field": "Наименование", "old": "", "new": "Бумага"}]
    [renamed] = audit_rows("directories.nomenclature_folder.update")
    assert (renamed.actor, renamed.summary, renamed.changes) == (admin_user, "Папка номенклатуры изменена", [
        {"field": "Наименование", "old": "Хозтовары", "new": "Хозяйство"},
        {"field": "Порядок в прайс-листе", "old": "0", "new": "3"},
    ])
    [moved] = audit_rows("directories.nomenclature_folder.move")
    assert (moved.target_id, moved.summary, moved.changes) == (f["colour"].pk, "Папка номенклатуры перемещена", [
        {"field": "Папка", "old": "Бумага", "new": "Хозяйство"},
    ])
    [items_moved] = audit_rows("directories.nomenclature_item.move")
    assert (items_moved.target_id, items_moved.summary, items_moved.extra) == (
        f["home"].pk, "Позиции номенклатуры перемещены", {"items": [pen.pk], "folder": f["home"].pk},
    )
    [deleted] = audit_rows("directories.nomenclature_folder.delete")
    assert (deleted.target_id, deleted.summary, deleted.extra) == (
        f["plain"].pk, "Папка номенклатуры удалена", {"name": "Офисная"},
    )


@pytest.mark.feature("DIR-01")
def test_every_write_needs_the_nomenclature_right(admin_user: Any, manager_user: Any) -> None:
    # given
    f = nomenclature_tree(admin_user)
    item = nomenclature_item(admin_user, "Ручка", folder=f["plain"])
    # when / then
    for write in (
        lambda: nomenclature_item_create(acting_user=manager_user, folder_id=None, data=ItemData(name="Х")),
        lambda: nomenclature_item_update(acting_user=manager_user, item_id=item.pk, data=ItemData(name="Х")),
        lambda: nomenclature_folder_create(acting_user=manager_user, parent_id=None, name="Папка"),
        lambda: nomenclature_folder_rename(acting_user=manager_user, folder_id=f["home"].pk, name="Х",
                                           price_list_order=0),
        lambda: nomenclature_folder_delete(acting_user=manager_user, folder_id=f["colour"].pk),
        lambda: nomenclature_folder_move(acting_user=manager_user, folder_id=f["paper"].pk, parent_id=None),
        lambda: nomenclature_items_move(acting_user=manager_user, item_ids=[item.pk], folder_id=None),
    ):
        with pytest.raises(NotAllowed):
            write()
    assert NomenclatureItem.objects.get(pk=item.pk).name == "Ручка"
