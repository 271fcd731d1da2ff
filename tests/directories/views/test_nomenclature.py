"""Directories → Nomenclature (DIR-08, DIR-02, DIR-01): the tree, the item card, folder and move dialogs, rights,
query counts."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

import pytest

from kontora.accounts.models import UserRight
from kontora.core.errors import NotAllowed
from kontora.directories.models import NomenclatureFolder, NomenclatureItem, Unit
from kontora.directories.nomenclature import selectors
from kontora.directories.nomenclature.services import (
    nomenclature_folder_create,
    nomenclature_folder_rename,
    nomenclature_items_move,
)
from tests.directories.support import bulk_items, nomenclature_item, nomenclature_tree
from tests.support.http import signed_in
from tests.support.queries import count_queries

D = Decimal


@pytest.mark.feature("DIR-08")
def test_code_never_changes_on_update_even_if_posted(admin_user: Any, admin_client: Any) -> None:
    # given
    item = nomenclature_item(admin_user, "Бумага А4", purchase_price=D("200"), markup=D("10"))
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
def test_card_sale_price_change_recalculates_the_markup(admin_user: Any, admin_client: Any) -> None:
    # given an item 300 → 330 (10 %)
    item = nomenclature_item(admin_user, "Степлер", purchase_price=D("300"), markup=D("10"))
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
    item = nomenclature_item(admin_user, "Гвоздь", purchase_price=D("0.01"))
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


@pytest.mark.feature("DIR-02")
def test_moving_folder_into_own_subtree_through_the_dialog_shows_the_message(
    admin_user: Any, admin_client: Any
) -> None:
    # given
    f = nomenclature_tree(admin_user)
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
    f = nomenclature_tree(admin_user)
    pen = nomenclature_item(admin_user, "Ручка", folder=f["plain"])
    pencil = nomenclature_item(admin_user, "Карандаш", folder=f["plain"])
    eraser = nomenclature_item(admin_user, "Ластик", folder=f["plain"])
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


@pytest.mark.feature("DIR-08")
def test_folder_rename_and_price_list_order(admin_user: Any, admin_client: Any) -> None:
    # given
    f = nomenclature_tree(admin_user)
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


@pytest.mark.feature("DIR-01")
def test_manager_views_but_cannot_edit_the_nomenclature(
    admin_user: Any, manager_client: Any, manager_user: Any
) -> None:
    # given
    f = nomenclature_tree(admin_user)
    item = nomenclature_item(admin_user, "Ручка", folder=f["plain"])
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
    with pytest.raises(NotAllowed):
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
    item = nomenclature_item(admin_user, "Ручка")
    # when
    response = manager_client.get(f"/directories/nomenclature/items/{item.pk}/")
    # then
    form = response.context["form"]
    assert all(field.disabled for field in form.fields.values())
    assert "изменять её может только пользователь с правом «Редактирование номенклатуры»" in response.content.decode()


@pytest.mark.feature("DIR-08")
def test_search_page_shows_the_found_items(admin_user: Any, admin_client: Any) -> None:
    # given
    nomenclature_item(admin_user, "Бумага офисная", article="БУМ-А4")
    # when
    response = admin_client.get("/directories/nomenclature/", {"q": "бум"})
    # then
    page = response.content.decode()
    assert "Найдено по «бум»" in page
    assert "Бумага офисная" in page


@pytest.mark.feature("DIR-02")
def test_more_rows_partial_and_lazy_children(admin_user: Any, admin_client: Any) -> None:
    # given
    f = nomenclature_tree(admin_user)
    bulk_items(f["plain"], 60, start_code=1)
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
    f = nomenclature_tree(admin_user)
    bulk_items(f["plain"], 300, start_code=1)
    admin_client.get("/directories/nomenclature/")
    # when / then
    with django_assert_max_num_queries(12):
        response = admin_client.get("/directories/nomenclature/", {"folder": f["plain"].pk})
    assert response.status_code == 200


@pytest.mark.feature("DIR-02")
def test_folder_page_and_more_rows_query_no_more_with_more_items(admin_user: Any, admin_client: Any) -> None:
    # given a folder deep in the tree
    f = nomenclature_tree(admin_user)
    bulk_items(f["plain"], 20, start_code=1)
    page_url = f"/directories/nomenclature/?folder={f['plain'].pk}"
    more_url = f"/directories/nomenclature/items/?folder={f['plain'].pk}"
    admin_client.get(page_url)

    # when: the page and the next-rows partial, with 20 items and then with 45
    with count_queries() as page_fewer:
        admin_client.get(page_url)
    with count_queries() as more_fewer:
        admin_client.get(more_url)
    bulk_items(f["plain"], 25, start_code=1_000)
    with count_queries() as page_more:
        page = admin_client.get(page_url)
    with count_queries() as more_more:
        rows = admin_client.get(more_url)

    # then
    assert page.content.decode().count('data-testid="nom-item"') == 45
    assert rows.content.decode().count('data-testid="nom-item"') == 45
    assert (len(page_more), len(more_more)) == (len(page_fewer), len(more_fewer))


@pytest.mark.feature("DIR-02")
def test_new_folders_are_created_beside_each_other_and_the_current_folder_stays_open(
    admin_user: Any, admin_client: Any
) -> None:
    # given «Канцтовары» open in the tree
    f = nomenclature_tree(admin_user)
    url = f"/directories/nomenclature/?folder={f['office'].pk}"
    # when «Новая папка» is pressed twice, each time from the page the previous one left open
    for name in ("Ручки", "Карандаши"):
        tree = admin_client.get(url).content.decode()
        button = re.search(r'hx-get="([^"]+)" hx-target="#k-nom-modal-body" data-testid="folder-new"', tree)
        assert button is not None
        dialog = admin_client.get(html.unescape(button.group(1)), HTTP_HX_REQUEST="true").content.decode()
        parent = re.search(r'<input type="hidden" name="parent" value="(\d+)">', dialog)
        assert parent is not None and "Внутри: Канцтовары" in dialog
        response = admin_client.post("/directories/nomenclature/folders/new/", {
            "parent": parent.group(1), "name": name, "price_list_order": "0",
        }, HTTP_HX_REQUEST="true")
        url = response["HX-Redirect"]
    # then both are subfolders of «Канцтовары», which stays the open folder, and the tree shows them
    assert url == f"/directories/nomenclature/?folder={f['office'].pk}"
    made = NomenclatureFolder.objects.filter(name__in=("Ручки", "Карандаши"))
    assert {folder.parent_id for folder in made} == {f["office"].pk}
    tree = admin_client.get(url).content.decode()
    assert "Ручки" in tree and "Карандаши" in tree
