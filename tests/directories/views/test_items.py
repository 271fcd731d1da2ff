"""The generic pages of every directory (DIR-01, DIR-02, DIR-07, ORG-03): list, card, picker answer, delete;
who may change them; query counts that do not grow with the rows."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kontora.accounts.models import UserRight
from kontora.core.selectors.main_window import visible_menu
from kontora.core.selectors.settings import system_settings
from kontora.directories.hooks import Directory
from kontora.directories.models import Competitor, Direction, GoodsGroup, NomenclatureItem, Region, Settlement, Unit
from kontora.directories.selectors import registry
from kontora.directories.services.items import directory_item_save
from tests.directories.factories import NomenclatureItemFactory
from tests.directories.support import add_items
from tests.support.http import html, signed_in
from tests.support.queries import count_queries


def save(user: Any, key: str, data: dict[str, Any], pk: int | None = None) -> Any:
    return directory_item_save(acting_user=user, directory=registry.get(key), pk=pk, data=data)


# ---- list, card, picker ----------------------------------------------------------------------------------


@pytest.mark.feature("DIR-02")
def test_declared_directory_gets_list_card_picker_and_menu(rivals: Directory, admin_user: Any,
                                                           admin_client: Client) -> None:
    # given: a directory declared only in the registry
    list_url = reverse("directories:list", args=[rivals.key])

    # when: the administrator adds an item through its card
    response = admin_client.post(reverse("directories:new", args=[rivals.key]), {"name": "ООО «Ёлочка»",
                                                                                  "is_active": "on", "ok": ""})

    # then: it is saved with its search key and listed; the picker finds it; the menu shows the directory
    assert response.status_code == 302
    assert response["Location"] == list_url
    item = Competitor.objects.get(name="ООО «Ёлочка»")
    assert item.name_key == "ооо елочка"
    listing = admin_client.get(list_url)
    assert listing.status_code == 200
    assert "Соперники" in html(listing)
    assert "ООО «Ёлочка»" in html(listing)
    assert f'data-href="{reverse("directories:edit", args=[rivals.key, item.pk])}"' in html(listing)
    picked = admin_client.get(reverse("directories:pick", args=[rivals.key]), {"q": "ооо ел"})
    assert f'data-pick="{item.pk}"' in html(picked)
    labels = [
        entry["label"] for section in visible_menu(admin_user, system_settings())
        if section["key"] == "directories" for entry in section["items"] if entry
    ]
    assert "Соперники" in labels


@pytest.mark.feature("DIR-02")
def test_card_edits_an_item_and_apply_stays_on_the_card(rivals: Directory, admin_user: Any,
                                                        admin_client: Client) -> None:
    # given
    item = save(admin_user, rivals.key, {"name": "Альфа"})
    edit_url = reverse("directories:edit", args=[rivals.key, item.pk])

    # when
    response = admin_client.post(edit_url, {"name": "Альфа-Плюс", "is_active": "on", "apply": "1"})

    # then
    assert response.status_code == 302
    assert response["Location"] == edit_url
    item.refresh_from_db()
    assert (item.name, item.name_key) == ("Альфа-Плюс", "альфа плюс")


@pytest.mark.feature("DIR-02")
def test_card_shows_errors_next_to_fields(admin_client: Client) -> None:
    # given: a region with code 99
    Region.objects.create(name="Тестовая область", name_key="тестовая область", short_name="Тестовая", code="99")

    # when: an empty name and the same code are posted
    response = admin_client.post(reverse("directories:new", args=["regions"]),
                                 {"name": "", "short_name": "Другая", "code": "99", "is_active": "on"})

    # then
    assert response.status_code == 200
    page = html(response)
    assert 'data-testid="error-name">Обязательное поле.' in page
    assert 'data-testid="error-code">Регион с таким Код региона уже существует.' in page
    assert Region.objects.filter(short_name="Другая").count() == 0


@pytest.mark.feature("DIR-01")
def test_deleting_an_item_in_use_is_refused_naming_the_places(admin_user: Any, admin_client: Client) -> None:
    # given: a goods group used by three nomenclature items
    group = save(admin_user, "goods-groups", {"name": "Канцтовары"})
    for name in ["Бумага", "Ручка", "Скрепки"]:
        NomenclatureItemFactory(name=name, goods_group=group)

    # when
    response = admin_client.post(reverse("directories:delete", args=["goods-groups", group.pk]))

    # then
    assert response.status_code == 409
    assert "Элемент используется: Номенклатура — 3 записи." in html(response)
    assert "<li>Номенклатура — 3</li>" in html(response)
    assert 'data-testid="directory-deactivate"' in html(response)
    assert GoodsGroup.objects.filter(pk=group.pk).exists()


@pytest.mark.feature("DIR-01")
def test_item_in_use_is_made_inactive_instead(admin_user: Any, admin_client: Client) -> None:
    # given
    group = save(admin_user, "goods-groups", {"name": "Хозтовары"})
    bucket = NomenclatureItemFactory(name="Ведро", goods_group=group)

    # when
    response = admin_client.post(reverse("directories:deactivate", args=["goods-groups", group.pk]))

    # then
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.is_active is False
    assert NomenclatureItem.objects.get(pk=bucket.pk).goods_group_id == group.pk


@pytest.mark.feature("DIR-01")
def test_unused_item_is_deleted(admin_user: Any, admin_client: Client) -> None:
    # given
    group = save(admin_user, "goods-groups", {"name": "Временная группа"})

    # when
    response = admin_client.post(reverse("directories:delete", args=["goods-groups", group.pk]))

    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("directories:list", args=["goods-groups"])
    assert not GoodsGroup.objects.filter(pk=group.pk).exists()


@pytest.mark.feature("DIR-07")
def test_inactive_items_are_hidden_from_picker_and_list_unless_asked(admin_user: Any, admin_client: Client) -> None:
    # given
    active = save(admin_user, "priorities", {"name": "Срочный тест"})
    inactive = save(admin_user, "priorities", {"name": "Срочный старый", "is_active": False})
    list_url = reverse("directories:list", args=["priorities"])

    # when
    picked = html(admin_client.get(reverse("directories:pick", args=["priorities"]), {"q": "срочн"}))
    listed = html(admin_client.get(list_url, {"q": "срочн"}))
    all_listed = html(admin_client.get(list_url, {"q": "срочн", "inactive": "1"}))

    # then
    assert f'data-pick="{active.pk}"' in picked
    assert f'data-pick="{inactive.pk}"' not in picked
    assert "Срочный старый" not in listed
    assert "Срочный старый" in all_listed
    assert "не действует" in all_listed


@pytest.mark.feature("DIR-07")
def test_search_folds_cyrillic_case_and_yo(admin_user: Any, admin_client: Client) -> None:
    # given
    save(admin_user, "activity-types", {"name": "Ёлочные игрушки"})
    save(admin_user, "activity-types", {"name": "еловые ветки"})
    save(admin_user, "activity-types", {"name": "Электроника"})

    # when
    listed = html(admin_client.get(reverse("directories:list", args=["activity-types"]), {"q": "ЁЛ"},
                                   HTTP_HX_REQUEST="true", HTTP_HX_TARGET="dir-rows"))
    picked = html(admin_client.get(reverse("directories:pick", args=["activity-types"]), {"q": "ел"}))

    # then: the htmx answer is the rows only, with both spellings found
    assert "<html" not in listed
    for page in (listed, picked):
        assert "Ёлочные игрушки" in page
        assert "еловые ветки" in page
        assert "Электроника" not in page


@pytest.mark.feature("DIR-07")
def test_card_in_a_modal_answers_with_the_saved_item_for_the_picker(admin_client: Client) -> None:
    # when: the picker's "+" posts the card by htmx
    response = admin_client.post(reverse("directories:new", args=["units"]),
                                 {"name": "Рулон тестовый", "short_name": "рул. т", "okei": "", "is_active": "on"},
                                 HTTP_HX_REQUEST="true")

    # then: nothing to swap; the event names the new item
    unit = Unit.objects.get(name="Рулон тестовый")
    assert response.status_code == 204
    assert json.loads(response["HX-Trigger"]) == {"k:directory-saved": {"key": "units", "pk": unit.pk,
                                                                        "text": "Рулон тестовый"}}


@pytest.mark.feature("DIR-07")
def test_card_in_a_modal_prefills_the_typed_name(admin_client: Client) -> None:
    # when
    response = admin_client.get(reverse("directories:new", args=["units"]), {"name": "Бухта"},
                                HTTP_HX_REQUEST="true")

    # then: a bare form for the modal with the text typed in the picker
    page = html(response)
    assert "<html" not in page
    assert 'value="Бухта"' in page
    assert "hx-post" in page


@pytest.mark.feature("DIR-07")
def test_a_reference_to_another_directory_is_edited_with_its_picker(places_directory: Directory, admin_user: Any,
                                                                    admin_client: Client) -> None:
    # given
    region = save(admin_user, "regions", {"name": "Тестовский край", "short_name": "Тестовский", "code": "98"})

    # when
    card = html(admin_client.get(reverse("directories:new", args=[places_directory.key])))
    response = admin_client.post(reverse("directories:new", args=[places_directory.key]),
                                 {"name": "Тестоград", "region": str(region.pk), "is_active": "on"})

    # then: a picker with "+" and "✎" for the administrator, not a <select>; the reference is saved
    assert 'data-picker="regions"' in card
    assert "data-picker-add" in card
    assert "<select" not in card
    assert response.status_code == 302
    assert Settlement.objects.get(name="Тестоград").region == region


def test_unknown_directory_is_not_found(admin_client: Client) -> None:
    # when / then
    assert admin_client.get("/directories/no-such-directory/").status_code == 404
    assert admin_client.get(reverse("directories:edit", args=["units", 999999999])).status_code == 404


def test_every_declared_directory_list_opens(admin_client: Client) -> None:
    # then: the generic list works for each declaration, including other areas' ones
    for directory in registry.all_directories():
        response = admin_client.get(reverse("directories:list", args=[directory.key]))
        assert response.status_code == 200, directory.key


# ---- query counts ----------------------------------------------------------------------------------------


def _queries(client: Client, url: str, params: dict[str, str]) -> int:
    client.get(url, params)  # the first page of a session reads what it then keeps (settings, the menu)
    with count_queries() as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.feature("DIR-02")
def test_no_directory_list_queries_more_with_more_rows(admin_client: Client) -> None:
    # given: every directory of the product (the clients' picker is theirs to test) and its search for new rows
    directories = [directory for directory in registry.all_directories() if directory.editable]
    for directory in directories:
        add_items(directory, ["Яяятест 1", "Яяятест 2"])
    url = "directories:list"

    # when: each list is drawn with two matching rows, then with five
    fewer = {d.key: _queries(admin_client, reverse(url, args=[d.key]), {"q": "яяятест"}) for d in directories}
    for directory in directories:
        add_items(directory, ["Яяятест 3", "Яяятест 4", "Яяятест 5"])
    more = {d.key: _queries(admin_client, reverse(url, args=[d.key]), {"q": "яяятест"}) for d in directories}

    # then
    assert more == fewer


@pytest.mark.feature("DIR-07")
def test_the_picker_answer_queries_no_more_with_more_matches(admin_client: Client) -> None:
    # given
    directories = [registry.get(key) for key in ("units", "settlements", "regions", "priorities")]
    for directory in directories:
        add_items(directory, ["Яяятест 1", "Яяятест 2"])

    # when
    fewer = {d.key: _queries(admin_client, reverse("directories:pick", args=[d.key]), {"q": "яяят"})
             for d in directories}
    for directory in directories:
        add_items(directory, ["Яяятест 3", "Яяятест 4", "Яяятест 5"])
    more = {d.key: _queries(admin_client, reverse("directories:pick", args=[d.key]), {"q": "яяят"})
            for d in directories}

    # then
    assert more == fewer


# ---- who may change directories (DIR-01) -----------------------------------------------------------------


@pytest.mark.feature("DIR-01")
def test_manager_sees_lists_without_edit_buttons(unit: Unit, manager_client: Client) -> None:
    # when
    response = manager_client.get(reverse("directories:list", args=["units"]))

    # then
    page = html(response)
    assert response.status_code == 200
    assert "Бобина тестовая" in page
    assert 'data-testid="directory-new"' not in page
    assert "data-href" not in page
    assert "Изменять справочники могут только пользователи с правом их редактирования" in page


@pytest.mark.feature("DIR-01")
def test_manager_picks_values(unit: Unit, manager_client: Client) -> None:
    # when
    response = manager_client.get(reverse("directories:pick", args=["units"]), {"q": "боб"})

    # then
    assert response.status_code == 200
    assert f'data-pick="{unit.pk}"' in html(response)


@pytest.mark.feature("DIR-01")
def test_manager_is_refused_new_edit_and_delete(unit: Unit, manager_client: Client) -> None:
    # when
    answers = [
        manager_client.get(reverse("directories:new", args=["units"])),
        manager_client.post(reverse("directories:new", args=["units"]), {"name": "Чужая", "short_name": "ч"}),
        manager_client.get(reverse("directories:edit", args=["units", unit.pk])),
        manager_client.post(reverse("directories:edit", args=["units", unit.pk]), {"name": "Взлом", "short_name": "в"}),
        manager_client.post(reverse("directories:delete", args=["units", unit.pk])),
        manager_client.post(reverse("directories:deactivate", args=["units", unit.pk])),
    ]

    # then
    assert [a.status_code for a in answers] == [403] * 6
    unit.refresh_from_db()
    assert (unit.name, unit.is_active) == ("Бобина тестовая", True)
    assert not Unit.objects.filter(name="Чужая").exists()


@pytest.mark.feature("DIR-01")
def test_nomenclature_right_does_not_open_ordinary_directories(unit: Unit, manager_user: Any) -> None:
    # given: a manager allowed to edit the nomenclature only
    UserRight.objects.create(user=manager_user, code="edit_nomenclature")
    client = signed_in(manager_user)

    # when
    response = client.get(reverse("directories:edit", args=["units", unit.pk]))
    listing = html(client.get(reverse("directories:list", args=["units"])))

    # then
    assert response.status_code == 403
    assert 'data-testid="directory-new"' not in listing


@pytest.mark.feature("DIR-01")
def test_granted_edit_directories_right_lets_a_manager_edit(unit: Unit, manager_user: Any) -> None:
    # given
    UserRight.objects.create(user=manager_user, code="edit_directories")
    client = signed_in(manager_user)

    # when
    response = client.post(reverse("directories:edit", args=["units", unit.pk]),
                           {"name": "Бобина большая", "short_name": "боб", "okei": "", "is_active": "on"})

    # then
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Бобина большая"


@pytest.mark.feature("DIR-01")
def test_administrator_sees_edit_buttons(unit: Unit, admin_client: Client) -> None:
    # when
    page = html(admin_client.get(reverse("directories:list", args=["units"])))

    # then
    assert 'data-testid="directory-new"' in page
    assert f'data-href="{reverse("directories:edit", args=["units", unit.pk])}"' in page


@pytest.mark.feature("DIR-01")
def test_anonymous_goes_to_the_login_page(unit: Unit, client: Client) -> None:
    # when
    answers = [
        client.get(reverse("directories:list", args=["units"])),
        client.get(reverse("directories:pick", args=["units"])),
        client.get(reverse("directories:edit", args=["units", unit.pk])),
        client.get("/directories/no-such-directory/"),  # which keys exist is not told before signing in
    ]

    # then
    assert all(a.status_code == 302 and a["Location"].startswith("/login/") for a in answers)


# ---- directions of activity (ORG-03) ---------------------------------------------------------------------


@pytest.mark.feature("ORG-03")
def test_administrator_adds_a_direction_and_a_manager_picks_it(admin_client: Client, manager_client: Client) -> None:
    # when the administrator adds a direction through its card
    response = admin_client.post(
        reverse("directories:new", args=["directions"]), {"name": "Техника Hitachi", "is_active": "on", "ok": ""}
    )
    # then it is saved, listed, and offered to a manager's picker by the beginning of its name
    assert response.status_code == 302
    direction = Direction.objects.get(name="Техника Hitachi")
    assert direction.name_key == "техника hitachi"
    assert "Техника Hitachi" in html(admin_client.get(reverse("directories:list", args=["directions"])))
    picked = manager_client.get(reverse("directories:pick", args=["directions"]), {"q": "ТЕХН"})
    assert "Техника Hitachi" in html(picked)


@pytest.mark.feature("ORG-03")
def test_a_manager_cannot_change_directions(manager_client: Client) -> None:
    # when
    response = manager_client.post(
        reverse("directories:new", args=["directions"]), {"name": "Сервис", "is_active": "on", "ok": ""}
    )
    # then
    assert response.status_code == 403
    assert not Direction.objects.filter(name="Сервис").exists()
