"""The directory engine: registry-driven list, card, picker and deletion rules (DIR-01, DIR-02, DIR-07)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kontora.core.selectors.main_window import visible_menu
from kontora.core.selectors.settings import system_settings
from kontora.directories import registry, selectors, services
from kontora.directories.models import Competitor, GoodsGroup, NomenclatureItem, Region, Settlement, Unit
from kontora.directories.registry import Directory
from kontora.directories.widgets import allow_picker_editing, picker_field

TEST_KEY = "test-rivals"


@pytest.fixture
def rivals() -> Iterator[Directory]:
    """A directory declared by the test alone: no view code of its own."""
    directory = registry.DIRECTORIES.register(Directory(TEST_KEY, Competitor, title="Соперники", group="ladder"))
    yield directory
    registry.DIRECTORIES.unregister(TEST_KEY)


@pytest.fixture
def places() -> Iterator[Directory]:
    """A directory whose card references another directory (regions), so its card has a picker."""
    directory = registry.DIRECTORIES.register(Directory(
        "test-places", Settlement, fields=("name", "region"), title="Места", group="geography",
        order_by=("name_key", "id"),
    ))
    yield directory
    registry.DIRECTORIES.unregister("test-places")


def save(user: Any, key: str, data: dict[str, Any], pk: int | None = None) -> Any:
    return services.directory_item_save(acting_user=user, directory=registry.get(key), pk=pk, data=data)


def html(response: Any) -> str:
    return response.content.decode()


def nomenclature_item(code: int, name: str, **refs: Any) -> NomenclatureItem:
    return NomenclatureItem.objects.create(code=code, name=name, name_key=name.casefold(), **refs)


@pytest.mark.feature("DIR-02")
def test_declared_directory_gets_list_card_picker_and_menu(rivals: Directory, admin_user: Any,
                                                           admin_client: Client) -> None:
    # given: a directory declared only in the registry
    list_url = reverse("directories:list", args=[TEST_KEY])

    # when: the administrator adds an item through its card
    response = admin_client.post(reverse("directories:new", args=[TEST_KEY]), {"name": "ООО «Ёлочка»",
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
    assert f'data-href="{reverse("directories:edit", args=[TEST_KEY, item.pk])}"' in html(listing)
    picked = admin_client.get(reverse("directories:pick", args=[TEST_KEY]), {"q": "ооо ел"})
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
    item = save(admin_user, TEST_KEY, {"name": "Альфа"})
    edit_url = reverse("directories:edit", args=[TEST_KEY, item.pk])

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


@pytest.mark.feature("DIR-02")
def test_service_keeps_search_key_and_writes_audit_line(admin_user: Any, caplog: Any) -> None:
    # given
    caplog.set_level(logging.INFO, logger="kontora.audit")

    # when
    unit = save(admin_user, "units", {"name": "Тёплый метр", "short_name": "т.м", "okei": ""})
    save(admin_user, "units", {"name": "Ёмкость", "short_name": "ём", "okei": "", "is_active": True}, pk=unit.pk)

    # then
    unit.refresh_from_db()
    assert unit.name_key == "емкость"
    assert f"directory item changed: units #{unit.pk} 'Ёмкость' by {admin_user.pk}" in caplog.messages


@pytest.mark.feature("DIR-02")
def test_service_refuses_fields_the_directory_does_not_edit(admin_user: Any) -> None:
    # when / then
    with pytest.raises(ValueError, match="not fields of directory 'units'"):
        save(admin_user, "units", {"name": "Штука", "short_name": "шт", "changed_at": None})


@pytest.mark.feature("DIR-02")
def test_service_checks_the_models_rules(admin_user: Any) -> None:
    # when: a VAT rate that ends before it starts
    with pytest.raises(ValidationError) as caught:
        save(admin_user, "vat-rates", {"name": "Ошибочная", "rate": Decimal("5"),
                                       "valid_from": "2026-02-01", "valid_to": "2026-01-01"})

    # then
    assert caught.value.messages


@pytest.mark.feature("DIR-01")
def test_deleting_an_item_in_use_is_refused_naming_the_places(admin_user: Any, admin_client: Client) -> None:
    # given: a goods group used by three nomenclature items, a unit used by one
    group = save(admin_user, "goods-groups", {"name": "Канцтовары"})
    unit = save(admin_user, "units", {"name": "Пачка", "short_name": "пач", "okei": ""})
    for code, name in enumerate(["Бумага", "Ручка", "Скрепки"], start=900001):
        nomenclature_item(code, name, goods_group=group, unit=unit if name == "Бумага" else None)

    # when
    response = admin_client.post(reverse("directories:delete", args=["goods-groups", group.pk]))
    with pytest.raises(services.DirectoryItemInUse) as caught:
        services.directory_item_delete(acting_user=admin_user, directory=registry.get("units"), pk=unit.pk)

    # then
    assert response.status_code == 409
    assert "Элемент используется: Номенклатура — 3 записи." in html(response)
    assert 'data-testid="directory-deactivate"' in html(response)
    assert str(caught.value) == "Элемент используется: Номенклатура — 1 запись."
    assert GoodsGroup.objects.filter(pk=group.pk).exists()
    assert Unit.objects.filter(pk=unit.pk).exists()


@pytest.mark.feature("DIR-01")
def test_item_in_use_is_made_inactive_instead(admin_user: Any, admin_client: Client) -> None:
    # given
    group = save(admin_user, "goods-groups", {"name": "Хозтовары"})
    nomenclature_item(900010, "Ведро", goods_group=group)

    # when
    response = admin_client.post(reverse("directories:deactivate", args=["goods-groups", group.pk]))

    # then
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.is_active is False
    assert NomenclatureItem.objects.get(code=900010).goods_group_id == group.pk


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


@pytest.mark.feature("DIR-01")
def test_a_rename_shows_wherever_the_item_is_used(admin_user: Any) -> None:
    # given: an item referenced by a nomenclature item
    unit = save(admin_user, "units", {"name": "Коробка", "short_name": "кор", "okei": ""})
    item = nomenclature_item(900020, "Маркеры", unit=unit)

    # when
    save(admin_user, "units", {"name": "Упаковка тестовая", "short_name": "уп. т", "okei": "", "is_active": True},
         pk=unit.pk)

    # then: the reference shows the new name, nothing was copied
    assert str(NomenclatureItem.objects.select_related("unit").get(pk=item.pk).unit) == "Упаковка тестовая"


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
def test_widget_still_renders_an_old_inactive_value(admin_user: Any) -> None:
    # given: a record whose value has since been made inactive
    old = save(admin_user, "priorities", {"name": "Устаревший", "is_active": False})

    class Form(forms.Form):
        priority = picker_field("priorities", label="Приоритет")

    # when
    rendered = str(Form(initial={"priority": old.pk})["priority"])

    # then
    assert f'value="{old.pk}"' in rendered
    assert 'value="Устаревший"' in rendered
    assert "data-picker-inactive" in rendered
    assert "<select" not in rendered


@pytest.mark.feature("DIR-07")
def test_field_accepts_an_inactive_value_only_when_it_is_the_records_own(admin_user: Any) -> None:
    # given
    old = save(admin_user, "priorities", {"name": "Прежний", "is_active": False})

    class Form(forms.Form):
        priority = picker_field("priorities", label="Приоритет")

    # when
    kept = Form({"priority": str(old.pk)}, initial={"priority": old.pk})
    crafted = Form({"priority": str(old.pk)})

    # then
    assert kept.is_valid()
    assert kept.cleaned_data["priority"] == old
    assert not crafted.is_valid()
    assert crafted.errors["priority"] == ["Элемент не действует — выберите другой."]


@pytest.mark.feature("DIR-07")
def test_picker_offers_active_matches_best_first(admin_user: Any) -> None:
    # given
    longer = save(admin_user, "competitors", {"name": "Ромашка-Трейд"})
    exact = save(admin_user, "competitors", {"name": "Ромашка"})
    save(admin_user, "competitors", {"name": "Лютик"})

    # when
    found = selectors.directory_pick(directory=registry.get("competitors"), fetched_by=admin_user, query="РОМАШКА")

    # then
    assert found[:2] == [exact, longer]
    assert all(item.name.startswith("Ромашка") for item in found)


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
def test_a_reference_to_another_directory_is_edited_with_its_picker(places: Directory, admin_user: Any,
                                                                    admin_client: Client) -> None:
    # given
    region = save(admin_user, "regions", {"name": "Тестовский край", "short_name": "Тестовский", "code": "98"})

    # when
    card = html(admin_client.get(reverse("directories:new", args=["test-places"])))
    response = admin_client.post(reverse("directories:new", args=["test-places"]),
                                 {"name": "Тестоград", "region": str(region.pk), "is_active": "on"})

    # then: a picker with "+" and "✎" for the administrator, not a <select>; the reference is saved
    assert 'data-picker="regions"' in card
    assert "data-picker-add" in card
    assert "<select" not in card
    assert response.status_code == 302
    assert Settlement.objects.get(name="Тестоград").region == region


@pytest.mark.feature("DIR-07")
def test_picker_editing_buttons_follow_the_edit_right(admin_user: Any, manager_user: Any) -> None:
    # given
    class Form(forms.Form):
        unit = picker_field("units", label="Единица")

    for_admin, for_manager = Form(), Form()

    # when
    allow_picker_editing(for_admin, admin_user)
    allow_picker_editing(for_manager, manager_user)

    # then
    assert "data-picker-add" in str(for_admin["unit"])
    assert "data-picker-add" not in str(for_manager["unit"])
    assert "data-picker-edit" not in str(for_manager["unit"])


def test_unknown_directory_is_not_found(admin_client: Client) -> None:
    # when / then
    assert admin_client.get("/directories/no-such-directory/").status_code == 404
    assert admin_client.get(reverse("directories:edit", args=["units", 999999999])).status_code == 404


def test_every_linear_directory_is_declared_in_the_registry() -> None:
    # then
    keys = {d.model.__name__: d.key for d in registry.all_directories()}
    for name in ("EventType", "CompanySize", "InformationSource", "Priority", "ActivityType", "ClientStatus",
                 "LadderStage", "PenetrationDepth", "ContactReaction", "Loyalty", "Prospect", "Competitor",
                 "Direction", "GoodsGroup", "ContractType", "Tariff", "Unit", "VatRate", "Region"):
        assert name in keys
    assert registry.for_model(Unit).fields == ("name", "short_name", "okei")
    assert str(registry.get("event-types").label) == "События"


def test_every_declared_directory_list_opens(admin_client: Client) -> None:
    # then: the generic list works for each declaration, including other areas' ones
    for directory in registry.all_directories():
        response = admin_client.get(reverse("directories:list", args=[directory.key]))
        assert response.status_code == 200, directory.key
