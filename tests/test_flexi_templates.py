"""Filter templates (REG-06, REG-12) and the registry's active filter: static and user templates, sharing, counts
inside access, and the registry narrowed by the filter kept in the session."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.utils.translation import override

from kontora.clients.flexi import session as flexi_session
from kontora.clients.flexi import templates
from kontora.clients.models import Client, ClientGrant, FilterTemplate
from kontora.clients.selectors import registry as selectors
from kontora.core.models import Department
from kontora.core.text import search_key
from kontora.directories.models import ContactReaction, Priority
from tests.accounts.factories import UserFactory
from tests.support.http import signed_in

_codes = iter(range(1, 10**6))

FLAGGED = {"op": "and", "items": [{"field": "flagged", "operator": "is_true", "value": None}]}


def make_client(name: str, *, curator: Any = None, private: bool = False, **extra: Any) -> Client:
    return Client.objects.create(
        code=next(_codes), short_name=name, full_name=name, name_key=search_key(name), full_name_key=search_key(name),
        curator=curator, is_private=private, **extra,
    )


def _names(user: Any, spec: dict[str, Any]) -> list[str]:
    from kontora.clients.flexi.compile import to_q

    qs = selectors.registry_queryset(fetched_by=user, filter_q=to_q(spec, user=user))
    return sorted(qs.values_list("short_name", flat=True))


@pytest.fixture
def colleagues(db: Any) -> tuple[Any, Any, Any]:
    """Two managers and a supervisor; every one sees all clients (full mode) unless a test says otherwise."""
    return (
        UserFactory(login="m1", full_name="Первый Менеджер", client_scope="full"),
        UserFactory(login="m2", full_name="Второй Менеджер", client_scope="full"),
        UserFactory(login="boss", full_name="Начальник Отдела", role="supervisor", client_scope="full"),
    )


# --- static templates -------------------------------------------------------------------------------------


@pytest.mark.feature("REG-06")
def test_static_templates_come_first_with_the_manuals_names(colleagues: Any) -> None:
    first, _second, _boss = colleagues
    templates.template_save(acting_user=first, name="Мой шаблон", spec=FLAGGED)
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
    make_client("Горячий позитивный", curator=first, priority=high, reaction=positive)
    make_client("Горячий хмурый", curator=first, priority=high, reaction=negative)
    make_client("Холодный", curator=first, priority=low, reaction=positive)
    make_client("Чужой горячий", curator=second, priority=high, reaction=positive)
    # when / then
    assert _names(first, templates.template_spec(first, "static:my")) == [
        "Горячий позитивный", "Горячий хмурый", "Холодный"]
    assert _names(first, templates.template_spec(first, "static:my_hot")) == ["Горячий позитивный", "Горячий хмурый"]
    assert _names(first, templates.template_spec(first, "static:my_hot_positive")) == ["Горячий позитивный"]
    assert _names(second, templates.template_spec(second, "static:my_hot_positive")) == ["Чужой горячий"]


@pytest.mark.feature("REG-06")
def test_static_templates_cannot_be_saved_over_renamed_or_deleted(colleagues: Any) -> None:
    first, _second, _boss = colleagues
    with override("ru"):
        with pytest.raises(ValidationError) as caught:
            templates.template_save(acting_user=first, name="Мои клиенты v2", spec=FLAGGED, template_id="static:my")
        assert caught.value.messages == ["Статические шаблоны нельзя изменить или удалить."]
        with pytest.raises(ValidationError) as caught:
            templates.template_delete(acting_user=first, template_id="static:my_hot")
        assert caught.value.messages == ["Статические шаблоны нельзя изменить или удалить."]
        with pytest.raises(ValidationError) as caught:
            templates.template_save(acting_user=first, name="мои  КЛИЕНТЫ", spec=FLAGGED)
        assert caught.value.message_dict == {"name": ["Это название статического шаблона: выберите другое."]}
    assert not FilterTemplate.objects.exists()


# --- user templates ---------------------------------------------------------------------------------------


@pytest.mark.feature("REG-06")
def test_owner_saves_renames_overwrites_and_deletes_a_template(colleagues: Any) -> None:
    # given
    first, _second, _boss = colleagues
    make_client("Флажок", flagged=True)
    make_client("Без флага")
    # when
    saved = templates.template_save(acting_user=first, name="  С флагом ", spec=FLAGGED)
    # then
    assert (saved.name, saved.owner_id, saved.spec) == ("С флагом", first.pk, FLAGGED)
    assert _names(first, templates.template_spec(first, f"user:{saved.pk}")) == ["Флажок"]
    # when: renamed and given another filter
    other = {"op": "and", "items": [{"field": "flagged", "operator": "is_false", "value": None}]}
    renamed = templates.template_save(acting_user=first, name="Без флагов", spec=other, template_id=saved.pk)
    # then
    assert renamed.pk == saved.pk and FilterTemplate.objects.count() == 1
    assert _names(first, templates.template_spec(first, f"user:{saved.pk}")) == ["Без флага"]
    # when
    templates.template_delete(acting_user=first, template_id=f"user:{saved.pk}")
    # then
    assert not FilterTemplate.objects.exists()


@pytest.mark.feature("REG-06")
def test_bad_name_and_bad_filter_are_refused_field_by_field(colleagues: Any) -> None:
    first, second, _boss = colleagues
    templates.template_save(acting_user=first, name="Горячие", spec=FLAGGED)
    templates.template_save(acting_user=second, name="Горячие", spec=FLAGGED)  # another owner: the same name is fine
    with override("ru"), pytest.raises(ValidationError) as caught:
        templates.template_save(
            acting_user=first, name="горячие", shared_role="emperor", shared_department=999999,
            spec={"op": "and", "items": [{"field": "salary", "operator": "gt", "value": 1}]},
        )
    assert caught.value.message_dict == {
        "name": ["У вас уже есть шаблон с таким названием."],
        "shared_role": ["Выберите роль из списка."],
        "shared_department": ["Выберите отдел из списка."],
        "spec": ["Неизвестное поле фильтра «salary»."],
    }
    with override("ru"), pytest.raises(ValidationError) as caught:
        templates.template_save(acting_user=first, name=" ", spec=FLAGGED)
    assert caught.value.message_dict == {"name": ["Введите название шаблона."]}
    assert FilterTemplate.objects.count() == 2


@pytest.mark.feature("REG-12")
def test_a_template_shared_with_a_role_is_seen_by_that_role_only_and_changed_by_its_owner_only(
    colleagues: Any,
) -> None:
    # given
    first, second, boss = colleagues
    saved = templates.template_save(acting_user=first, name="Для менеджеров", spec=FLAGGED, shared_role="manager")
    ref = f"user:{saved.pk}"
    # then: another manager sees and applies it, the supervisor does not even learn it exists
    assert [t.name for t in templates.templates_for(second) if not t.static] == ["Для менеджеров"]
    assert templates.template_ref(second, ref).editable is False
    assert templates.template_spec(second, ref) == FLAGGED
    assert [t.name for t in templates.templates_for(boss) if not t.static] == []
    with pytest.raises(Http404):
        templates.template_spec(boss, ref)
    # and only the owner changes or deletes it
    with pytest.raises(PermissionDenied):
        templates.template_save(acting_user=second, name="Моё", spec=FLAGGED, template_id=saved.pk)
    with pytest.raises(PermissionDenied):
        templates.template_delete(acting_user=second, template_id=saved.pk)
    with pytest.raises(Http404):
        templates.template_delete(acting_user=boss, template_id=saved.pk)
    assert FilterTemplate.objects.get().name == "Для менеджеров"


@pytest.mark.feature("REG-12")
def test_a_template_shared_with_a_department_is_seen_in_that_department(colleagues: Any) -> None:
    # given
    first, second, boss = colleagues
    sales = Department.objects.create(name="Продажи")
    second.department = sales
    second.save(update_fields=["department"])
    # when
    templates.template_save(acting_user=boss, name="Отдел продаж", spec=FLAGGED, shared_department=sales.pk)
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
        make_client(f"Флаг {index}", flagged=True)
    make_client("Без флага")
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    # when / then
    assert templates.template_count(first, FLAGGED) == (3, True)
    assert templates.template_count(first, {"field": "flagged", "operator": "is_false", "value": None}) == (1, False)
    assert templates.count_display(3, True) == "3+"
    assert templates.count_display(10_000, True) == "10\u00a0000+"
    assert templates.count_display(1234, False) == "1\u00a0234"


@pytest.mark.feature("REG-12")
def test_counts_stay_inside_access(colleagues: Any, manager_user: Any) -> None:
    # given: manager_user works in the "own" mode
    first, second, _boss = colleagues
    make_client("Свой", curator=manager_user, flagged=True)
    make_client("Выданный", curator=second, flagged=True)
    ClientGrant.objects.create(client=Client.objects.get(short_name="Выданный"), user=manager_user)
    make_client("Чужой", curator=second, flagged=True)
    make_client("Чужой приватный", curator=second, private=True, flagged=True)
    make_client("Мой приватный", curator=first, private=True, flagged=True)
    # when / then
    assert templates.template_count(manager_user, FLAGGED) == (2, False)  # own and granted only
    assert templates.template_count(first, FLAGGED) == (4, False)  # never another curator's private client
    assert templates.template_count(second, FLAGGED) == (4, False)


# --- the registry's active filter ---------------------------------------------------------------------------


def _registry_names(html: str) -> list[str]:
    return re.findall(r'data-testid="registry-name">([^<]*)<', html)


@pytest.mark.feature("REG-04")
def test_the_active_filter_narrows_the_registry_its_pages_and_ctrl_f(colleagues: Any) -> None:
    # given
    first, _second, _boss = colleagues
    for index in range(120):
        make_client(f"Альфа {index:03}", flagged=index % 2 == 0)
    make_client("Бета без флага")
    browser = signed_in(first)
    request = RequestFactory().get("/")
    request.user = first
    request.session = browser.session
    # when
    active = flexi_session.set_active(request, FLAGGED, label="")
    request.session.save()
    # then
    assert active.label == "Флаг: установлен"
    html = browser.get("/").content.decode()
    shown = _registry_names(html)
    assert len(shown) == selectors.PAGE_SIZE and all(int(n[-3:]) % 2 == 0 for n in shown)
    assert "50 из 60" in html
    more_url = re.search(r'hx-get="(/clients/registry/rows/[^"]+)"', html)
    assert more_url is not None
    more = _registry_names(browser.get(more_url.group(1).replace("&amp;", "&")).content.decode())
    assert len(more) == 10 and all(int(n[-3:]) % 2 == 0 for n in more)
    found = browser.get("/clients/registry/find/", {"q": "бета"}).content.decode()
    assert "Бета без флага" not in found
    # when
    flexi_session.clear_active(request)
    request.session.save()
    # then
    assert len(_registry_names(browser.get("/").content.decode())) == selectors.PAGE_SIZE


@pytest.mark.feature("REG-04")
def test_a_stored_filter_that_no_longer_compiles_is_dropped(colleagues: Any) -> None:
    from kontora.directories.models import Attribute

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
