"""The Flexi-filter panel, the registry's active filter and filter templates via the views (REG-04…06, REG-12)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.test import RequestFactory

from kontora.accounts.models import User
from kontora.clients.flexi import services as template_services
from kontora.clients.flexi.selectors import session as flexi_session
from kontora.clients.models import Client, FilterTemplate
from kontora.clients.selectors import registry as selectors
from kontora.core.models import Department
from kontora.core.text import search_key
from kontora.directories.models import (
    Attribute,
    AttributeOption,
    ClientFlag,
    ClientStatus,
    LadderStage,
    Region,
    Settlement,
)
from tests.accounts.factories import UserFactory
from tests.clients.factories import client_named
from tests.clients.support import FLAGGED_SPEC, counter_text, flexi_refusal, registry_answer
from tests.clients.support import registry_names as names_in
from tests.support.http import signed_in
from tests.support.queries import count_queries


def status(name: str) -> ClientStatus:
    return ClientStatus.objects.create(name=name, name_key=search_key(name))


def city(name: str) -> Settlement:
    region, _created = Region.objects.get_or_create(
        code="98", defaults={"name": "Тестовый край", "name_key": search_key("Тестовый край"), "short_name": "Тест"})
    return Settlement.objects.create(region=region, name=name, name_key=search_key(name), kind="г")


def spec(*items: Any, op: str = "and") -> str:
    return json.dumps({"op": op, "items": list(items)})


def cond(field: str, operator: str, value: Any) -> dict[str, Any]:
    return {"field": field, "operator": operator, "value": value}


@pytest.fixture
def base(manager_user: Any, admin_user: Any) -> dict[str, Any]:
    """A manager who sees all clients in the list, and another manager with a private client."""
    User.objects.filter(pk=manager_user.pk).update(client_scope="full")
    manager_user.refresh_from_db()
    other = UserFactory(login="other", full_name="Ольга Другая", role="manager", client_scope="full")
    hot, cold = status("Горячий"), status("Холодный")
    tver = city("Тверь")
    made = {
        "hot": client_named("Альфа", curator=manager_user, status=hot),
        "cold_tver": client_named("Бета", curator=manager_user, status=cold, settlement=tver),
        "cold": client_named("Вектор", curator=manager_user, status=cold),
        "others_hot": client_named("Гранит", curator=other, status=hot),
        "others_private_hot": client_named("Дельта", curator=other, status=hot, private=True),
    }
    return {"other": other, "s_hot": hot, "s_cold": cold, "tver": tver, **made}


# --- the filter panel and the active filter -------------------------------------------------------------

@pytest.mark.feature("REG-05")
@pytest.mark.feature("CLI-13")
def test_the_manuals_filter_by_named_flags_and_a_status(manager_user: Any, manager_client: Any,
                                                        base: dict[str, Any]) -> None:
    # given clients with the manual's flags «Горячий клиент» and «Синий флаг», and one with another flag
    hot, blue = ClientFlag.objects.get(name="Горячий клиент"), ClientFlag.objects.get(name="Синий флаг")
    green = ClientFlag.objects.get(name="Зелёный флаг")
    regular = status("Наш постоянный клиент")
    client_named("Ёж горячий", curator=manager_user, flag=hot, status=regular)
    client_named("Жук синий", curator=manager_user, flag=blue, status=regular)
    client_named("Заяц зелёный", curator=manager_user, flag=green, status=regular)
    client_named("Ива синяя", curator=manager_user, flag=blue)
    # when the manual's example is applied: flags «Горячий клиент» or «Синий флаг», and the regular status
    wanted = spec(cond("flag", "in", [hot.pk, blue.pk]), cond("status", "in", [regular.pk]))
    answer = registry_answer(manager_client.post("/clients/filter/apply/", {"spec": wanted},
                                                 HTTP_HX_REQUEST="true"))
    # then exactly those clients are listed, and the badge names the flags
    assert names_in(answer["rows"]) == ["Ёж горячий", "Жук синий"]
    assert "Горячий клиент" in answer["badge"] and "Синий флаг" in answer["badge"]
    # and «Флаг: установлен» still finds every flagged client, whichever its flag
    flagged = registry_answer(manager_client.post("/clients/filter/apply/", {
        "spec": spec(cond("flagged", "is_true", None))}, HTTP_HX_REQUEST="true"))
    assert names_in(flagged["rows"]) == ["Ёж горячий", "Жук синий", "Заяц зелёный", "Ива синяя"]


@pytest.mark.feature("REG-04")
@pytest.mark.feature("REG-05")
def test_panel_shows_the_six_tabs_with_fields_and_pickers(manager_client: Any, base: dict[str, Any]) -> None:
    # when
    response = manager_client.get("/clients/filter/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    tabs = re.findall(r'data-testid="flexi-tab-\w+">([^<]*)<', html)
    assert tabs == ["Основные данные", "Признаки", "Классификаторы", "Оперативная работа", "Пользователи",
                    "Статистика"]
    data = json.loads(re.search(r'id="k-flexi-data" type="application/json">(.*?)</script>', html, re.S)[1])
    fields = {f["key"]: f for tab in data["catalogue"] for f in tab["fields"]}
    assert fields["status"]["pick_url"] == "/directories/client-statuses/pick/"
    assert [op["value"] for op in fields["status"]["operators"]] == ["list", "list"]
    assert {op["code"]: op["value"] for op in fields["created_at"]["operators"]}["between"] == "range"
    assert fields["flagged"]["operators"][0]["value"] == "none"
    assert fields["ladder_stage"]["control"] == "multi"  # LAD-03: the Operational work tab
    assert data["spec"] is None


@pytest.mark.feature("REG-04")
@pytest.mark.feature("REG-12")
def test_applied_or_group_narrows_the_registry_to_matching_visible_clients(
    manager_user: Any, manager_client: Any, base: dict[str, Any],
) -> None:
    # given: status = Hot OR city = Tver
    wanted = spec(cond("status", "in", [base["s_hot"].pk]), cond("city", "in", [base["tver"].pk]), op="or")
    # when
    response = manager_client.post("/clients/filter/apply/", {"spec": wanted}, HTTP_HX_REQUEST="true")
    # then: the answer carries the new rows, the counter and the badge
    answer = registry_answer(response)
    assert names_in(answer["rows"]) == ["Альфа", "Бета", "Гранит"]  # never the other manager's private one
    assert answer["count"] == "3 из 3"
    assert "Фильтр включён" in answer["badge"] and "Тверь" in answer["badge"]
    # and the main window keeps it: rows, counter and badge after a reload
    html = manager_client.get("/").content.decode()
    assert names_in(html) == ["Альфа", "Бета", "Гранит"]
    assert 'data-testid="flexi-badge"' in html
    # and the panel opens on the active filter, with the chosen items' names
    panel = manager_client.get("/clients/filter/").content.decode()
    data = json.loads(re.search(r'id="k-flexi-data" type="application/json">(.*?)</script>', panel, re.S)[1])
    assert data["spec"]["op"] == "or"
    assert data["labels"]["city"] == {str(base["tver"].pk): f"г Тверь ({base['tver'].region.name})"}


@pytest.mark.feature("REG-04")
def test_the_filter_holds_for_the_next_pages_and_ctrl_f(
    manager_user: Any, manager_client: Any, base: dict[str, Any], monkeypatch: Any,
) -> None:
    # given: pages of two rows and a filter on the cold status
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for name in ("Жёлудь", "Зенит"):
        client_named(name, curator=manager_user, status=base["s_cold"])
    manager_client.post("/clients/filter/apply/", {"spec": spec(cond("status", "in", [base["s_cold"].pk]))})
    first = manager_client.get("/").content.decode()
    assert names_in(first) == ["Бета", "Вектор"]
    after = re.search(r'hx-get="/clients/registry/rows/\?sort=name&amp;after=(\d+)"', first)[1]
    # when
    more = manager_client.get(f"/clients/registry/rows/?sort=name&after={after}").content.decode()
    found = manager_client.get("/clients/registry/find/?q=г").content.decode()
    # then
    assert names_in(more) == ["Жёлудь", "Зенит"]
    assert names_in(found) == ["Жёлудь", "Зенит"]  # Ctrl+F moves within the filtered rows only


@pytest.mark.feature("REG-04")
def test_a_wrong_spec_is_refused_next_to_its_row_and_nothing_is_applied(
    manager_client: Any, base: dict[str, Any],
) -> None:
    # given: an unknown field in the root and an unknown operator inside a nested group
    wrong = spec(
        cond("status", "in", [base["s_hot"].pk]),
        cond("password", "eq", "x"),
        {"op": "or", "items": [cond("status", "like", "%")]},
    )
    # when
    response = manager_client.post("/clients/filter/apply/", {"spec": wrong}, HTTP_HX_REQUEST="true")
    # then
    answer = flexi_refusal(response)
    assert answer["rows"] == {
        "1": "Неизвестное поле фильтра «password».",
        "2.0": "Условие «like» неприменимо к полю «Статус».",
    }
    # and no filter is on
    html = manager_client.get("/").content.decode()
    assert 'data-testid="flexi-badge"' not in html
    assert names_in(html) == ["Альфа", "Бета", "Вектор", "Гранит"]


@pytest.mark.feature("REG-04")
def test_a_spec_that_is_not_json_is_refused_above_the_tree(manager_client: Any, base: dict[str, Any]) -> None:
    # when
    response = manager_client.post("/clients/filter/apply/", {"spec": "SELECT * FROM clients"}, HTTP_HX_REQUEST="true")
    # then
    assert flexi_refusal(response) == {"error": "Не удалось прочитать фильтр.", "rows": {}}


@pytest.mark.feature("REG-04")
def test_reset_and_an_empty_tree_show_every_visible_client_again(manager_client: Any, base: dict[str, Any]) -> None:
    # given
    manager_client.post("/clients/filter/apply/", {"spec": spec(cond("status", "in", [base["s_hot"].pk]))})
    # when
    answer = registry_answer(manager_client.post("/clients/filter/clear/", HTTP_HX_REQUEST="true"))
    # then
    assert names_in(answer["rows"]) == ["Альфа", "Бета", "Вектор", "Гранит"]
    assert answer["badge"].strip() == ""
    # when: the panel applies a tree with no conditions after another filter
    manager_client.post("/clients/filter/apply/", {"spec": spec(cond("status", "in", [base["s_hot"].pk]))})
    answer = registry_answer(manager_client.post("/clients/filter/apply/", {"spec": spec()}, HTTP_HX_REQUEST="true"))
    # then
    assert answer["count"] == "4 из 4"


@pytest.mark.feature("REG-12")
def test_live_count_is_inside_access_and_capped(
    manager_client: Any, base: dict[str, Any], monkeypatch: Any,
) -> None:
    hot = spec(cond("status", "in", [base["s_hot"].pk]))
    # when / then: the other manager's private hot client is never counted
    assert manager_client.post("/clients/filter/count/", {"spec": hot}).content.decode() == "Найдено: 2"
    # when the cap is lower than the matches
    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    # then
    assert manager_client.post("/clients/filter/count/", {"spec": hot}).content.decode().startswith("Найдено: 1+ ")
    # and a wrong spec is not counted at all
    assert manager_client.post("/clients/filter/count/", {"spec": "{"}).content.decode() == "Найдено: —"


@pytest.mark.feature("REG-12")
def test_a_manager_in_own_mode_counts_only_own_clients(manager_user: Any, base: dict[str, Any]) -> None:
    # given
    User.objects.filter(pk=manager_user.pk).update(client_scope="own")
    client = signed_in(manager_user)
    hot = spec(cond("status", "in", [base["s_hot"].pk]))
    # when
    answer = client.post("/clients/filter/count/", {"spec": hot}).content.decode()
    # then: Гранит is the other manager's
    assert answer == "Найдено: 1"


# --- templates -------------------------------------------------------------------------------------------

def template_names(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", name).strip()
            for name in re.findall(r'data-testid="flexi-template-apply"[^>]*>\s*<span>([^<]*)', html)]


@pytest.mark.feature("REG-06")
def test_the_list_shows_static_templates_first_and_my_hot_clients_apply(
    manager_user: Any, manager_client: Any, base: dict[str, Any],
) -> None:
    # when
    html = manager_client.get("/clients/filter/templates/").content.decode()
    # then: the three static templates, no edit button for them, counts loaded lazily
    assert template_names(html) == ["Мои клиенты", "Мои горячие клиенты", "Мои горячие и позитивные клиенты"]
    assert 'data-testid="flexi-template-edit"' not in html
    assert html.count('hx-trigger="load"') == 3
    assert manager_client.get("/clients/filter/templates/count/?ref=static:my").content.decode() == "3"
    # when "My clients" is chosen
    answer = registry_answer(manager_client.post("/clients/filter/templates/apply/", {"ref": "static:my"}))
    # then
    assert names_in(answer["rows"]) == ["Альфа", "Бета", "Вектор"]
    assert "Мои клиенты" in answer["badge"]


@pytest.mark.feature("REG-06")
def test_a_template_that_no_longer_reads_is_refused_and_changes_nothing(
    manager_user: Any, manager_client: Any, base: dict[str, Any],
) -> None:
    # given: a template saved on what no longer exists
    stale = FilterTemplate.objects.create(
        owner=manager_user, name="Старый", spec=json.loads(spec(cond("password", "eq", "x"))))
    # when
    response = manager_client.post(
        "/clients/filter/templates/apply/", {"ref": f"user:{stale.pk}"}, HTTP_HX_REQUEST="true")
    # then: the reason travels in the refusal event (the page shows it where the badge goes), and no filter is on
    assert flexi_refusal(response) == {"error": "Неизвестное поле фильтра «password».", "rows": {}}
    assert 'data-testid="flexi-badge"' not in manager_client.get("/").content.decode()


@pytest.mark.feature("REG-06")
@pytest.mark.feature("REG-12")
def test_save_rename_overwrite_and_delete_own_template(
    manager_user: Any, manager_client: Any, base: dict[str, Any],
) -> None:
    hot = spec(cond("status", "in", [base["s_hot"].pk]))
    # when: saved as a template shared with the managers
    response = manager_client.post("/clients/filter/templates/save/",
                                   {"spec": hot, "name": "Горячие", "share": "role:manager"})
    # then
    assert response.status_code == 200
    template = FilterTemplate.objects.get()
    assert response.json() == {"id": template.pk, "message": "Шаблон «Горячие» сохранён."}
    assert (template.owner, template.shared_role) == (manager_user, "manager")
    html = manager_client.get("/clients/filter/templates/").content.decode()
    assert template_names(html)[3:] == ["Горячие"]
    assert 'title="Общий">⇄' in html
    assert f'?template={template.pk}"' in html
    assert manager_client.get(f"/clients/filter/templates/count/?ref=user:{template.pk}").content.decode() == "2"
    # when: the same name again for a new template
    again = manager_client.post("/clients/filter/templates/save/", {"spec": hot, "name": "горячие"})
    # then
    assert again.status_code == 422
    assert again.json()["fields"] == {"name": "У вас уже есть шаблон с таким названием."}
    # when: opened in the panel, renamed and overwritten with other conditions
    panel = manager_client.get(f"/clients/filter/?template={template.pk}").content.decode()
    assert 'value="Горячие"' in panel and 'data-testid="flexi-delete"' in panel
    cold = spec(cond("status", "in", [base["s_cold"].pk]))
    response = manager_client.post("/clients/filter/templates/save/", {
        "spec": cold, "name": "Холодные", "share": "", "template_id": f"user:{template.pk}"})
    # then
    assert response.status_code == 200
    template.refresh_from_db()
    assert (template.name, template.shared_role, FilterTemplate.objects.count()) == ("Холодные", "", 1)
    assert template.spec["items"][0]["value"] == [base["s_cold"].pk]
    # when deleted
    response = manager_client.post("/clients/filter/templates/delete/", {"template_id": f"user:{template.pk}"})
    # then
    assert response.status_code == 200
    assert not FilterTemplate.objects.exists()


@pytest.mark.feature("REG-06")
def test_static_templates_cannot_be_overwritten_or_deleted(manager_client: Any, base: dict[str, Any]) -> None:
    hot = spec(cond("status", "in", [base["s_hot"].pk]))
    # when
    deleted = manager_client.post("/clients/filter/templates/delete/", {"template_id": "static:my"})
    saved = manager_client.post("/clients/filter/templates/save/",
                                {"spec": hot, "name": "Мои", "template_id": "static:my"})
    named = manager_client.post("/clients/filter/templates/save/", {"spec": hot, "name": "мои клиенты"})
    # then
    assert deleted.status_code == 422
    assert deleted.json()["error"] == "Статические шаблоны нельзя изменить или удалить."
    assert saved.status_code == 422
    assert saved.json()["error"] == "Статические шаблоны нельзя изменить или удалить."
    assert named.status_code == 422
    assert named.json()["fields"] == {"name": "Это название статического шаблона: выберите другое."}
    assert manager_client.get("/clients/filter/?template=static:my").status_code == 404
    assert not FilterTemplate.objects.exists()


@pytest.mark.feature("REG-06")
@pytest.mark.feature("REG-12")
def test_someone_elses_template_is_used_if_shared_but_never_changed(
    manager_user: Any, manager_client: Any, base: dict[str, Any],
) -> None:
    # given: the other manager's template shared with managers, and a private one
    other = signed_in(base["other"])
    hot = spec(cond("status", "in", [base["s_hot"].pk]))
    shared_id = other.post("/clients/filter/templates/save/",
                           {"spec": hot, "name": "Горячие Ольги", "share": "role:manager"}).json()["id"]
    private_id = other.post("/clients/filter/templates/save/", {"spec": hot, "name": "Личный"}).json()["id"]
    # when
    html = manager_client.get("/clients/filter/templates/").content.decode()
    # then: the shared one is listed with its owner, without an edit button; the private one is not listed
    assert template_names(html)[3:] == ["Горячие Ольги"]
    assert "Ольга Другая" in html and 'data-testid="flexi-template-edit"' not in html
    # and its count is the manager's own view: the owner's private hot client is not counted
    assert manager_client.get(f"/clients/filter/templates/count/?ref=user:{shared_id}").content.decode() == "2"
    # when the manager tries to change or delete them
    assert manager_client.post("/clients/filter/templates/delete/",
                               {"template_id": f"user:{shared_id}"}).status_code == 403
    assert manager_client.post("/clients/filter/templates/save/", {
        "spec": hot, "name": "Моё", "template_id": f"user:{shared_id}"}).status_code == 403
    assert manager_client.post("/clients/filter/templates/delete/",
                               {"template_id": f"user:{private_id}"}).status_code == 404
    assert manager_client.post("/clients/filter/templates/save/", {
        "spec": hot, "name": "Моё", "template_id": f"user:{private_id}"}).status_code == 404
    assert manager_client.get(f"/clients/filter/?template={shared_id}").status_code == 404
    assert manager_client.post("/clients/filter/templates/apply/", {"ref": f"user:{private_id}"}).status_code == 404
    # then nothing changed
    assert sorted(FilterTemplate.objects.values_list("name", flat=True)) == ["Горячие Ольги", "Личный"]
    # and applying the shared one works within the manager's access
    answer = registry_answer(manager_client.post("/clients/filter/templates/apply/", {"ref": f"user:{shared_id}"}))
    assert names_in(answer["rows"]) == ["Альфа", "Гранит"]


@pytest.mark.feature("LAD-03")
def test_operational_work_tab_selects_a_focus_group(manager_user: Any, manager_client: Any,
                                                    base: dict[str, Any]) -> None:
    # given
    stage = LadderStage.objects.create(name="Переговоры", name_key=search_key("Переговоры"))
    Client.objects.filter(pk=base["cold"].pk).update(ladder_stage=stage)
    # when
    answer = registry_answer(manager_client.post("/clients/filter/apply/",
                                                 {"spec": spec(cond("ladder_stage", "in", [stage.pk]))}))
    # then
    assert names_in(answer["rows"]) == ["Вектор"]


def test_filter_views_need_a_signed_in_user(db: Any) -> None:
    anonymous = HttpClient()
    assert anonymous.get("/clients/filter/").status_code == 302
    assert anonymous.post("/clients/filter/apply/", {"spec": spec()}).status_code == 302


@pytest.mark.feature("REG-12")
def test_a_template_shared_with_a_department_reaches_its_people_only(
    manager_user: Any, manager_client: Any, base: dict[str, Any],
) -> None:
    # given: the other manager works in the sales department
    sales = Department.objects.create(name="Отдел продаж")
    User.objects.filter(pk=base["other"].pk).update(department=sales)
    hot = spec(cond("status", "in", [base["s_hot"].pk]))
    # when the panel offers the department and the template is shared with it
    assert f'value="department:{sales.pk}"' in manager_client.get("/clients/filter/").content.decode()
    response = manager_client.post("/clients/filter/templates/save/",
                                   {"spec": hot, "name": "Для продаж", "share": f"department:{sales.pk}"})
    # then the other manager sees it, the supervisor outside the department does not
    assert response.status_code == 200
    assert FilterTemplate.objects.get().shared_department == sales
    other_list = signed_in(base["other"]).get("/clients/filter/templates/").content.decode()
    supervisor = UserFactory(login="super", role="supervisor")
    supervisor_list = signed_in(supervisor).get("/clients/filter/templates/").content.decode()
    assert template_names(other_list)[3:] == ["Для продаж"]
    assert template_names(supervisor_list)[3:] == []
    # and when the panel edits it, the sharing is shown chosen
    panel = manager_client.get(f"/clients/filter/?template={FilterTemplate.objects.get().pk}").content.decode()
    assert re.search(rf'<option value="department:{sales.pk}" selected>', panel)


@pytest.mark.feature("REG-06")
def test_a_template_name_is_required(manager_client: Any, base: dict[str, Any]) -> None:
    # when
    response = manager_client.post("/clients/filter/templates/save/",
                                   {"spec": spec(cond("status", "in", [base["s_hot"].pk])), "name": " "})
    # then
    assert response.status_code == 422
    assert response.json()["fields"] == {"name": "Обязательное поле."}
    assert not FilterTemplate.objects.exists()


# --- the registry under the active filter kept in the session ------------------------------------------------


@pytest.mark.feature("REG-04")
def test_the_active_filter_narrows_the_registry_its_pages_and_ctrl_f(colleagues: Any) -> None:
    # given
    first, _second, _boss = colleagues
    for index in range(120):
        client_named(f"Альфа {index:03}", flagged=index % 2 == 0)
    client_named("Бета без флага")
    browser = signed_in(first)
    request = RequestFactory().get("/")
    request.user = first
    request.session = browser.session
    # when
    active = flexi_session.set_active(request, FLAGGED_SPEC, label="")
    request.session.save()
    # then
    assert active.label == "Флаг: установлен"
    html = browser.get("/").content.decode()
    shown = names_in(html)
    assert len(shown) == selectors.PAGE_SIZE and all(int(n[-3:]) % 2 == 0 for n in shown)
    assert counter_text(html) == "50 из 60"
    more_url = re.search(r'hx-get="(/clients/registry/rows/[^"]+)"', html)
    assert more_url is not None
    more = names_in(browser.get(more_url.group(1).replace("&amp;", "&")).content.decode())
    assert len(more) == 10 and all(int(n[-3:]) % 2 == 0 for n in more)
    found = browser.get("/clients/registry/find/", {"q": "бета"}).content.decode()
    assert "Бета без флага" not in found
    # when
    flexi_session.clear_active(request)
    request.session.save()
    # then
    assert len(names_in(browser.get("/").content.decode())) == selectors.PAGE_SIZE


# --- query counts ----------------------------------------------------------------------------------------------


def _directory_attribute(number: int, options: int) -> None:
    attribute = Attribute.objects.create(name=f"Вид {number}", label=f"Вид {number}", kind=Attribute.Kind.DIRECTORY,
                                         is_active=True)
    for index in range(options):
        AttributeOption.objects.create(attribute=attribute, name=f"Вариант {index}", name_key=f"вариант {index}")


@pytest.mark.feature("REG-04")
@pytest.mark.feature("REG-12")
def test_the_panel_and_its_count_read_as_many_queries_for_many_attributes_and_clients_as_for_few(
    manager_user: Any, manager_client: Any, base: dict[str, Any],
) -> None:
    # given: one directory attribute with two options, the five clients of the base, a filter on a status
    _directory_attribute(0, 2)
    hot = spec(cond("status", "in", [base["s_hot"].pk]), cond("city", "in", [base["tver"].pk]), op="or")
    manager_client.post("/clients/filter/apply/", {"spec": hot})  # also the first request: session, last seen

    def measure() -> tuple[int, int, int]:
        with count_queries() as panel:
            html = manager_client.get("/clients/filter/").content.decode()
        with count_queries() as count:
            found = manager_client.post("/clients/filter/count/", {"spec": hot}).content.decode()
        assert found.startswith("Найдено: ")
        data = json.loads(re.search(r'id="k-flexi-data" type="application/json">(.*?)</script>', html, re.S)[1])
        attributes = next(tab for tab in data["catalogue"] if tab["code"] == "attributes")["fields"]
        return len(panel), len(count), len(attributes)

    few = measure()
    # when there are four more attributes with five options each, more users and many more clients
    for number in range(1, 5):
        _directory_attribute(number, 5)
    for index in range(40):
        client_named(f"Клиент {index:02d}", curator=manager_user, status=base["s_hot"])
        UserFactory(login=f"extra{index}")
    many = measure()
    # then
    assert (few[2], many[2]) == (1, 5)
    assert many[:2] == few[:2]


@pytest.mark.feature("REG-06")
@pytest.mark.feature("REG-12")
def test_the_templates_list_reads_as_many_queries_for_many_templates_as_for_few(
    manager_user: Any, manager_client: Any, base: dict[str, Any],
) -> None:
    # given: an own template, and one another manager shares with the managers
    sales = Department.objects.create(name="Отдел продаж")
    User.objects.filter(pk=manager_user.pk).update(department=sales)

    def add(count: int, start: int) -> None:
        for index in range(start, start + count):
            template_services.template_save(acting_user=manager_user, name=f"Мой {index}", spec=FLAGGED_SPEC)
            template_services.template_save(acting_user=base["other"], name=f"Общий {index}", spec=FLAGGED_SPEC,
                                            shared_role="manager" if index % 2 else "", shared_department=sales)

    def measure() -> tuple[int, int]:
        with count_queries() as captured:
            html = manager_client.get("/clients/filter/templates/").content.decode()
        return len(captured), len(template_names(html))

    add(1, 0)
    manager_client.get("/")  # the first request after signing in writes (session, last seen)
    few = measure()
    # when
    add(5, 1)
    many = measure()
    # then
    assert (few[1], many[1]) == (3 + 2, 3 + 12)
    assert many[0] == few[0]
