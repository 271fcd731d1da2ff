"""The initial base (DIR-04, DIR-05, LAD-01): a new base comes with its directories filled by the loader."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.apps import apps

from kontora.directories import models as m
from kontora.directories.services.initial import initial_base_load

pytestmark = pytest.mark.django_db


def names(model: type) -> list[str]:
    return list(model.objects.order_by("order", "id").values_list("name", flat=True))


@pytest.mark.feature("DIR-04")
def test_event_types_are_filled_with_the_manuals_events():
    # given a freshly migrated base
    # when
    events = names(m.EventType)
    # then
    assert len(events) == 14
    assert events[:4] == ["Входящий звонок", "Исходящий звонок", "Встреча", "Письмо"]
    assert {"Отправлено коммерческое предложение", "Подписан договор", "Претензия/жалоба", "Выставлен счёт",
            "Оплата", "Презентация"} <= set(events)


@pytest.mark.feature("DIR-05")
def test_the_five_typical_classifiers_have_typical_values():
    # given a freshly migrated base
    # then
    assert names(m.CompanySize) == [
        "Микропредприятие", "Малое предприятие", "Среднее предприятие", "Крупное предприятие",
    ]
    assert names(m.Priority) == ["Высокий", "Средний", "Низкий"]
    assert {"Выставка", "Рекомендация", "Интернет", "Реклама", "Холодный звонок"} <= set(names(m.InformationSource))
    assert {"Производство", "Оптовая торговля", "Розничная торговля", "Услуги", "Строительство", "Транспорт",
            "Госучреждение"} <= set(names(m.ActivityType))
    assert names(m.ClientStatus)[:3] == ["Наш постоянный клиент", "Потенциальный клиент", "Отказался"]
    assert {"Конкурент", "Партнёр", "Поставщик"} <= set(names(m.ClientStatus))


@pytest.mark.feature("LAD-01")
def test_the_sales_ladder_goes_from_competitors_client_through_first_purchase_to_regular_client():
    # given a freshly migrated base
    # when
    stages = names(m.LadderStage)
    # then
    assert stages == [
        "Клиент конкурента", "Знает о нас", "Проявляет интерес", "Готов к покупке", "Первая покупка",
        "Повторная покупка", "Постоянный клиент",
    ]
    assert list(m.LadderStage.objects.order_by("order").values_list("order", flat=True)) == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.feature("LAD-01")
def test_operational_classifiers_are_filled_and_competitors_left_to_the_company():
    # given a freshly migrated base
    # then
    assert names(m.PenetrationDepth)[-1] == "Первое лицо"
    assert names(m.ContactReaction) == ["Положительная", "Нейтральная", "Отрицательная", "Нет реакции"]
    assert names(m.Loyalty)[0] == "Высокая"
    assert names(m.Prospect)[-1] == "Бесперспективен"
    assert m.Competitor.objects.count() == 0


@pytest.mark.feature("DIR-05")
def test_units_of_measure_carry_their_okei_codes():
    # given a freshly migrated base
    # when
    units = {unit.short_name: unit.okei for unit in m.Unit.objects.all()}
    # then
    assert len(units) == 27
    assert {key: units[key] for key in ("шт", "кг", "г", "т", "м", "м²", "м³", "л", "упак", "компл", "ч",
                                        "усл. ед", "пар", "рул", "лист")} == {
        "шт": "796", "кг": "166", "г": "163", "т": "168", "м": "006", "м²": "055", "м³": "113", "л": "112",
        "упак": "778", "компл": "839", "ч": "356", "усл. ед": "876", "пар": "715", "рул": "736", "лист": "625",
    }


@pytest.mark.feature("DIR-05")
def test_vat_rates_have_their_validity_periods():
    # given a freshly migrated base
    # when
    rates = {rate.name: (rate.rate, rate.valid_from, rate.valid_to) for rate in m.VatRate.objects.all()}
    # then
    assert rates["20 %"] == (Decimal("20.00"), datetime.date(2019, 1, 1), datetime.date(2025, 12, 31))
    assert rates["22 %"] == (Decimal("22.00"), datetime.date(2026, 1, 1), None)
    assert rates["10 %"] == (Decimal("10.00"), None, None)
    assert rates["0 %"] == (Decimal("0.00"), None, None)
    assert rates["Без НДС"] == (None, None, None)


@pytest.mark.feature("DIR-05")
def test_search_keys_are_kept_and_empty_directories_are_present():
    # given a freshly migrated base
    # then
    assert m.ClientStatus.objects.get(name="Партнёр").name_key == "партнер"
    assert m.EventType.objects.get(name="Претензия/жалоба").name_key == "претензия жалоба"
    assert (m.ContractType.objects.count(), m.Tariff.objects.count(), m.GoodsGroup.objects.count()) == (0, 0, 2)


@pytest.mark.feature("DIR-04", "DIR-05")
def test_loading_again_adds_nothing_and_keeps_the_administrators_edits():
    # given an administrator renamed an event type
    m.EventType.objects.filter(name="Встреча").update(name="Личная встреча")
    before = m.EventType.objects.count()
    # when the loader runs a second time
    created = initial_base_load(apps)
    # then
    assert created == 0
    assert m.EventType.objects.count() == before
    assert m.EventType.objects.filter(name="Личная встреча").exists()


@pytest.mark.feature("DIR-05")
def test_a_new_base_has_the_manuals_named_flags_in_their_colours():
    # given a freshly migrated base
    # then the manual's «Горячий клиент» and «Синий флаг» come first, each with its colour
    flags = list(m.ClientFlag.objects.order_by("order", "id").values_list("name", "colour", "is_active"))
    assert flags[:2] == [("Горячий клиент", "red", True), ("Синий флаг", "blue", True)]
    assert len({colour for _name, colour, _active in flags}) == len(flags)
