"""Filter templates as the user finds them (REG-06, REG-12): the static ones first, own and shared ones, their
counts inside the user's access; and the registry's active filter kept in the session."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory
from django.utils.translation import override

from kontora.clients.flexi import services
from kontora.clients.flexi.selectors import session as flexi_session
from kontora.clients.flexi.selectors import templates
from kontora.clients.models import Client, ClientGrant, FilterTemplate
from kontora.clients.selectors import registry as selectors
from kontora.core.models import Department
from kontora.directories.models import Attribute, ContactReaction, Priority
from tests.clients.factories import client_named
from tests.clients.support import FLAGGED_SPEC, filtered_names
from tests.support.http import signed_in

# --- static templates -------------------------------------------------------------------------------------


@pytest.mark.feature("REG-06")
def test_static_templates_come_first_with_the_manualsfiltered_names(colleagues: Any) -> None:
    first, _second, _boss = colleagues
    services.template_save(acting_user=first, name="Мой шаблон", spec=FLAGGED_SPEC)
    # when
    with override("ru"):
        found = templates.templates_for(first)
    # then
    assert [(t.ref, t.name, t.static, t.editable) for t in found] == [
        ("static:my", "Мои клиенты", True, False),
        ("static:my_hot", "Мои горячие клиенты", True, False),
        ("static:my_hot_positive", "Мои горячие и позитивные клиенты", True, False),
        (f"user:{FilterTemplate.objects.get().pk}", "Мой шаблон", False, True),
    ]


@pytest.mark.feature("REG-06")
def test_static_templates_select_my_hot_and_positive_clients_of_whoever_applies_them(colleagues: Any) -> None:
    # given
    first, second, _boss = colleagues
    high = Priority.objects.get(name_key="высокий")
    low = Priority.objects.get(name_key="низкий")
    positive = ContactReaction.objects.get(name_key="положительная")
    negative = ContactReaction.objects.get(name_key="отрицательная")
    client_named("Горячий позитивный", curator=first, priority=high, reaction=positive)
    client_named("Горячий хмурый", curator=first, priority=high, reaction=negative)
    client_named("Холодный", curator=first, priority=low, reaction=positive)
    client_named("Чужой горячий", curator=second, priority=high, reaction=positive)
    # when / then
    assert filtered_names(first, templates.template_spec(first, "static:my")) == [
        "Горячий позитивный", "Горячий хмурый", "Холодный"]
    assert filtered_names(first, templates.template_spec(first, "static:my_hot")) == [
        "Горячий позитивный", "Горячий хмурый"]
    assert filtered_names(first, templates.template_spec(first, "static:my_hot_positive")) == ["Горячий позитивный"]
    assert filtered_names(second, templates.template_spec(second, "static:my_hot_positive")) == ["Чужой горячий"]


# --- shared templates -------------------------------------------------------------------------------------


@pytest.mark.feature("REG-12")
def test_a_template_shared_with_a_department_is_seen_in_that_department(colleagues: Any) -> None:
    # given
    first, second, boss = colleagues
    sales = Department.objects.create(name="Продажи")
    second.department = sales
    second.save(update_fields=["department"])
    # when
    services.template_save(acting_user=boss, name="Отдел продаж", spec=FLAGGED_SPEC, shared_department=sales.pk)
    # then
    assert [t.name for t in templates.templates_for(second) if not t.static] == ["Отдел продаж"]
    assert [t.name for t in templates.templates_for(first) if not t.static] == []
    shared = next(t for t in templates.templates_for(second) if not t.static)
    assert (shared.owner_name, shared.shared_department, shared.editable) == ("Начальник Отдела", "Продажи", False)


# --- counts -----------------------------------------------------------------------------------------------


@pytest.mark.feature("REG-12")
def test_counts_are_capped(colleagues: Any, monkeypatch: Any) -> None:
    # given
    first, _second, _boss = colleagues
    for index in range(5):
        client_named(f"Флаг {index}", flagged=True)
    client_named("Без флага")
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    # when / then
    assert templates.template_count(first, FLAGGED_SPEC) == (3, True)
    assert templates.template_count(first, {"field": "flagged", "operator": "is_false", "value": None}) == (1, False)
    assert templates.count_display(3, True) == "3+"
    assert templates.count_display(10_000, True) == "10\u00a0000+"
    assert templates.count_display(1234, False) == "1\u00a0234"


@pytest.mark.feature("REG-12")
def test_counts_stay_inside_access(colleagues: Any, manager_user: Any) -> None:
    # given: manager_user works in the "own" mode
    first, second, _boss = colleagues
    client_named("Свой", curator=manager_user, flagged=True)
    client_named("Выданный", curator=second, flagged=True)
    ClientGrant.objects.create(client=Client.objects.get(short_name="Выданный"), user=manager_user)
    client_named("Чужой", curator=second, flagged=True)
    client_named("Чужой приватный", curator=second, private=True, flagged=True)
    client_named("Мой приватный", curator=first, private=True, flagged=True)
    # when / then
    assert templates.template_count(manager_user, FLAGGED_SPEC) == (2, False)  # own and granted only
    assert templates.template_count(first, FLAGGED_SPEC) == (4, False)  # never another curator's private client
    assert templates.template_count(second, FLAGGED_SPEC) == (4, False)


# --- the registry's active filter ---------------------------------------------------------------------------


@pytest.mark.feature("REG-04")
def test_a_stored_filter_that_no_longer_compiles_is_dropped(colleagues: Any) -> None:
    first, _second, _boss = colleagues
    attribute = Attribute.objects.create(name="VIP", label="VIP", kind=Attribute.Kind.FLAG, is_active=True)
    request = RequestFactory().get("/")
    request.user = first
    request.session = signed_in(first).session
    flexi_session.set_active(request, {"field": f"attr:{attribute.pk}", "operator": "is_true", "value": None},
                             label="VIP")
    attribute.is_active = False
    attribute.save(update_fields=["is_active"])
    fresh = RequestFactory().get("/")
    fresh.user = first
    fresh.session = request.session
    # when / then
    assert flexi_session.active_filter(fresh) is None
    assert flexi_session.SESSION_KEY not in fresh.session
