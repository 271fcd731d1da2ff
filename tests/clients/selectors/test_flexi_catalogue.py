"""The Flexi-filter's catalogue and its checks (REG-04, REG-05, REG-12, LAD-03): refused specifications never reach
the database, the catalogue has the manual's tabs, and another app's fields plug in from its hooks. The engine's
property test against a Python evaluation, and the level each field reads, are in test_flexi.py.
"""


from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from kontora.clients.flexi import hooks
from kontora.clients.flexi.hooks import FILTER_FIELDS, FieldDef
from kontora.clients.flexi.selectors import fields
from kontora.clients.flexi.selectors.specs import MAX_DEPTH, MAX_ITEMS, describe, parse, refusal_path, to_q
from kontora.clients.models import (
    Client,
)
from kontora.clients.selectors.registry import registry_queryset
from kontora.core.text import search_key
from kontora.directories.models import (
    Attribute,
    ClientStatus,
    Competitor,
    Settlement,
)
from tests.clients.factories import client_named

# --- validation: refused specifications never reach the database --------------------------------------------


def _refused(raw: Any, user: Any, django_assert_num_queries: Any) -> ValidationError:
    with django_assert_num_queries(0), override("ru"), pytest.raises(ValidationError) as caught:
        parse(raw, user=user)
    return caught.value


@pytest.mark.feature("REG-04")
def test_unknown_field_is_refused_naming_it_without_sql(manager_user: Any, django_assert_num_queries: Any) -> None:
    error = _refused({"op": "and", "items": [{"field": "password", "operator": "in", "value": [1]}]},
                     manager_user, django_assert_num_queries)
    assert error.messages == ["Неизвестное поле фильтра «password»."]
    assert refusal_path(error) == (0,)


@pytest.mark.feature("REG-04")
def test_unknown_operator_is_refused_naming_it_and_the_field(manager_user: Any,
                                                             django_assert_num_queries: Any) -> None:
    raw = {"op": "or", "items": [
        {"field": "code", "operator": "gt", "value": 5},
        {"op": "and", "items": [{"field": "status", "operator": "regex", "value": [1]}]},
    ]}
    error = _refused(raw, manager_user, django_assert_num_queries)
    assert error.messages == ["Условие «regex» неприменимо к полю «Статус»."]
    assert refusal_path(error) == (1, 0)


@pytest.mark.feature("REG-05")
@pytest.mark.parametrize(("condition", "message"), [
    ({"field": "status", "operator": "in", "value": []}, "Статус: выберите хотя бы одно значение."),
    ({"field": "status", "operator": "in", "value": ["1; DROP TABLE"]}, "Статус: выберите значения из списка."),
    ({"field": "created_at", "operator": "on", "value": "31.02.2024"},
     "Зарегистрирован: введите дату в виде ГГГГ-ММ-ДД."),
    ({"field": "created_at", "operator": "between", "value": ["2024-01-01"]},
     "Зарегистрирован: введите два значения: от и до."),
    ({"field": "code", "operator": "gt", "value": "много"}, "Код: введите число."),
    ({"field": "code", "operator": "gt", "value": 1.5}, "Код: введите целое число."),
    ({"field": "name", "operator": "contains", "value": " ?! "}, "Наименование: введите текст для поиска."),
    ({"field": "phone", "operator": "contains", "value": "abc"}, "Телефон: введите цифры для поиска."),
    ({"field": "kind", "operator": "eq", "value": "robot"}, "Тип клиента: выберите значение из списка."),
    ({"field": "curator", "operator": "in", "value": ["somebody"]}, "Куратор: выберите значения из списка."),
])
def test_bad_values_are_refused_with_a_message_next_to_the_field(
    manager_user: Any, django_assert_num_queries: Any, condition: dict[str, Any], message: str,
) -> None:
    error = _refused({"op": "and", "items": [condition]}, manager_user, django_assert_num_queries)
    assert error.messages == [message]


@pytest.mark.feature("REG-04")
def test_too_deep_and_too_wide_specifications_are_refused(manager_user: Any, django_assert_num_queries: Any) -> None:
    leaf = {"field": "flagged", "operator": "is_true", "value": None}
    deep: dict[str, Any] = {"op": "and", "items": [leaf]}
    for _level in range(MAX_DEPTH):
        deep = {"op": "or", "items": [deep]}
    error = _refused(deep, manager_user, django_assert_num_queries)
    assert error.messages == [f"Группы вложены слишком глубоко: не больше {MAX_DEPTH} уровней."]
    wide = {"op": "and", "items": [leaf] * (MAX_ITEMS + 1)}
    error = _refused(wide, manager_user, django_assert_num_queries)
    assert error.messages == [f"В группе не больше {MAX_ITEMS} условий."]
    assert _refused({"op": "xor", "items": [leaf]}, manager_user, django_assert_num_queries).messages == [
        "Неизвестная логическая связка «xor»: используйте И или ИЛИ."]
    assert _refused({"op": "and", "items": []}, manager_user, django_assert_num_queries).messages == [
        "Группа пуста: добавьте условие."]
    assert _refused("{not json", manager_user, django_assert_num_queries).messages == [
        "Не удалось прочитать фильтр."]


@pytest.mark.feature("REG-04")
def test_parse_normalises_values(manager_user: Any) -> None:
    spec = parse({"field": "created_at", "operator": "between", "value": ["2024-05-01", "2024-01-01"]},
                 user=manager_user)
    assert spec == {"op": "and", "items": [
        {"field": "created_at", "operator": "between", "value": ["2024-01-01", "2024-05-01"]}]}
    spec = parse({"op": "or", "items": [{"field": "status", "operator": "in", "value": ["3", 3, 5]},
                                        {"field": "code", "operator": "between", "value": ["20", 10]}]},
                 user=manager_user)
    assert spec["items"][0]["value"] == [3, 5]
    assert spec["items"][1]["value"] == [10, 20]
    assert parse(spec, user=manager_user) == spec  # parsing is idempotent: templates store the parsed form


@pytest.mark.feature("REG-04")
def test_catalogue_has_the_manuals_tabs_and_the_active_attributes(db: Any) -> None:
    # given
    active = Attribute.objects.create(name="Тоннаж", label="Тоннаж", kind=Attribute.Kind.NUMBER, is_active=True)
    Attribute.objects.create(name="Старый", label="Старый", kind=Attribute.Kind.TEXT, is_active=False)
    # when
    with override("ru"):
        tabs = [(code, str(label), [f.key for f in items]) for code, label, items in fields.catalogue()]
    # then
    assert [(code, label) for code, label, _keys in tabs] == [
        ("main", "Основные данные"), ("attributes", "Признаки"), ("classifiers", "Классификаторы"),
        ("operational", "Оперативная работа"), ("users", "Пользователи"), ("statistics", "Статистика"),
    ]
    by_tab = {code: keys for code, _label, keys in tabs}
    assert by_tab["attributes"] == [f"attr:{active.pk}"]
    assert {"ladder_stage", "next_stage", "penetration", "reaction", "loyalty", "prospect", "competitors",
            "next_contact_date"} <= set(by_tab["operational"])
    assert {"curator", "specialist", "created_by", "changed_by"} <= set(by_tab["users"])
    assert fields.get_field("status").directory == "client-statuses"
    assert fields.get_field("city").directory == "settlements"
    with pytest.raises(ValidationError):
        fields.get_field("attr:999999")
    controls = {f.control for _code, _label, items in fields.catalogue() for f in items}
    assert controls == {"pick", "multi", "date", "number", "text", "flag", "counted", "sum"}


@pytest.mark.feature("REG-12")
def test_bench_contract_compiles_to_one_query(manager_user: Any) -> None:
    # given
    status = ClientStatus.objects.order_by("id").first()
    city = Settlement.objects.order_by("id").first()
    assert status is not None and city is not None
    raw = {"op": "and", "items": [
        {"field": "status", "operator": "in", "value": [status.pk]},
        {"field": "city", "operator": "in", "value": [city.pk]},
        {"field": "curator", "operator": "in", "value": [manager_user.pk]},
        {"field": "contact_phone", "operator": "contains", "value": "495"},
        {"field": "directions", "operator": "not_in", "value": [1]},
    ]}
    client_named("Ромашка", status=status, settlement=city, region_id=city.region_id, curator=manager_user)
    # when
    q = to_q(parse(raw, user=manager_user), user=manager_user)
    with CaptureQueriesContext(connection) as queries:
        found = list(registry_queryset(fetched_by=manager_user, filter_q=q).values_list("short_name", flat=True))
    # then
    assert found == []  # no contact with that phone
    assert len(queries) == 1


@pytest.mark.feature("REG-12")
def test_describe_reads_like_the_manual(manager_user: Any) -> None:
    # given
    status = ClientStatus.objects.get(name_key=search_key("Наш постоянный клиент"))
    city = Settlement.objects.order_by("id").first()
    assert city is not None
    spec = parse({"op": "and", "items": [
        {"field": "status", "operator": "in", "value": [status.pk]},
        {"op": "or", "items": [
            {"field": "city", "operator": "in", "value": [city.pk]},
            {"field": "curator", "operator": "in", "value": ["me"]},
            {"field": "flagged", "operator": "is_true", "value": None},
        ]},
        {"field": "created_at", "operator": "between", "value": ["2024-01-01", "2024-03-31"]},
    ]}, user=manager_user)
    # when
    with override("ru"):
        text = describe(spec)
    # then
    # (a place is named with its region, as its picker names it: issue 13, item 11)
    assert text == (f"Статус ∈ {{Наш постоянный клиент}} И (Город ∈ {{{city} ({city.region})}} ИЛИ Куратор ∈ {{я}} ИЛИ "
                    "Флаг: установлен) И Зарегистрирован между 01.01.2024 — 31.03.2024")


@pytest.mark.feature("LAD-03")
def test_operational_work_tab_selects_a_focus_group(admin_user: Any) -> None:
    # given
    stage = Client._meta.get_field("ladder_stage").related_model.objects.order_by("order").first()  # type: ignore[union-attr]
    competitor = Competitor.objects.create(name="Соседи", name_key="соседи")
    focus = client_named("Фокус", ladder_stage=stage, next_contact_date=date(2025, 5, 5))
    focus.competitors.set([competitor])
    client_named("Прочий", ladder_stage=stage, next_contact_date=date(2025, 5, 5) + timedelta(days=40))
    spec = parse({"op": "and", "items": [
        {"field": "ladder_stage", "operator": "in", "value": [stage.pk]},
        {"field": "competitors", "operator": "in", "value": [competitor.pk]},
        {"field": "next_contact_date", "operator": "before", "value": "2025-06-01"},
    ]}, user=admin_user)
    # when
    found = list(registry_queryset(fetched_by=admin_user, filter_q=to_q(spec, user=admin_user))
                 .values_list("short_name", flat=True))
    # then
    assert found == ["Фокус"]


# --- the extension point: later apps add fields from their hooks ---------------------------------------------


@pytest.fixture
def events_field() -> Any:
    """A field as a later app (activity) would register it from its hooks.py: "has a flag like this"."""
    field_def = FieldDef("has_events", "statistics", "Есть события", "flag",
                         lambda operator, value, user: Q(flag__isnull=operator != "is_true"), order=1000,
                         reads=hooks.CARD)
    FILTER_FIELDS.register(field_def)
    yield field_def
    FILTER_FIELDS.unregister("has_events")


@pytest.mark.feature("REG-04")
def test_a_field_registered_by_another_app_is_offered_validated_and_compiled(
    admin_user: Any, events_field: Any,
) -> None:
    # given
    client_named("С событиями", flagged=True)
    client_named("Без событий")
    # when
    statistics = next(items for code, _label, items in fields.catalogue() if code == "statistics")
    spec = parse({"field": "has_events", "operator": "is_true", "value": None}, user=admin_user)
    found = registry_queryset(fetched_by=admin_user, filter_q=to_q(spec, user=admin_user))
    # then: it comes after the product's own fields of its tab, and selects what its builder says
    assert statistics[-1] is events_field
    assert list(found.values_list("short_name", flat=True)) == ["С событиями"]
    with override("ru"):
        assert describe(spec) == "Есть события: установлен"


@pytest.mark.feature("REG-04")
def test_the_catalogue_refuses_a_field_on_an_unknown_tab_or_under_the_attributes_prefix(db: Any) -> None:
    def build(operator: str, value: Any, user: Any) -> Q:
        return Q()

    # when / then
    with pytest.raises(ValueError, match="unknown tab"):
        FILTER_FIELDS.register(FieldDef("bonus", "bonuses", "Бонус", "flag", build, reads=hooks.CARD))
    with pytest.raises(ValueError, match="reserved"):
        FILTER_FIELDS.register(FieldDef("attr:1", "attributes", "Признак", "flag", build, reads=hooks.CARD))
    with pytest.raises(ValueError, match="registered twice"):
        FILTER_FIELDS.register(FieldDef("status", "main", "Другой статус", "flag", build, reads=hooks.REGISTRY))
    assert "bonus" not in FILTER_FIELDS and FILTER_FIELDS.get("status").label != "Другой статус"
