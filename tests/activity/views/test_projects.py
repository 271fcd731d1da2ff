"""Планы и задачи → Проектный планировщик (PLN-03): the tree with its timeline, the card of a theme or case (edit,
report, percent, delegation, sub-cases, project tasks), rights on the page, bad input, conflicts, Russian texts and
a query count that does not grow with the items."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from kontora.activity.models import ProjectItem, Task
from kontora.activity.services import projects as services
from tests.accounts.factories import UserFactory
from tests.activity.factories import ProjectItemFactory, TaskFactory
from tests.support.http import signed_in
from tests.support.queries import assert_flat_queries
from tests.support.texts import russian_problems, stored_data

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)
ROW = re.compile(r'<tr data-row data-id="(\d+)"')


def _theme(user: Any, **values: Any) -> ProjectItem:
    return services.project_item_create(acting_user=user, parent=None, values={
        "title": "Семинар-презентация", "responsible": user, "starts_on": DAY,
        "due_on": DAY + datetime.timedelta(days=39), **values})


def _case(user: Any, parent: ProjectItem, **values: Any) -> ProjectItem:
    return services.project_item_create(acting_user=user, parent=parent, values={
        "title": "Кофе-брейк", "responsible": user, "starts_on": parent.starts_on, "due_on": parent.due_on, **values})


def _form(item: ProjectItem, **changes: Any) -> dict[str, Any]:
    """The card's form as posted without its read snapshot (compared with the values as stored)."""
    data = {"title": item.title, "responsible": item.responsible_id, "starts_on": item.starts_on.isoformat(),
            "due_on": item.due_on.isoformat(), "percent": item.percent, "description": item.description,
            "report": item.report}
    if item.delegation_allowed:
        data["delegation_allowed"] = "on"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.mark.feature("PLN-03")
def test_the_planner_shows_the_tree_with_responsible_dates_percent_and_bars(manager_user, manager_client):
    # given a theme with a 10-day case done and a 30-day case not started
    theme = _theme(manager_user)
    done = _case(manager_user, theme, title="Подготовить регистрацию", due_on=DAY + datetime.timedelta(days=9),
                 percent=100)
    _case(manager_user, theme, title="Раздать материалы", starts_on=DAY + datetime.timedelta(days=10))

    # when the manager opens Планы и задачи → Проектный планировщик
    home = manager_client.get("/").content.decode()
    page = manager_client.get("/projects/").content.decode()

    # then the menu leads there, and the theme heads its cases with the weighted percent
    assert 'href="/projects/"' in home and "Проектный планировщик" in home
    assert [int(pk) for pk in ROW.findall(page)] == [theme.pk, done.pk, done.pk + 1]
    percents = re.findall(r'data-testid="project-percent">(\d+)<', page)
    assert percents == ["25", "100", "0"]
    assert "Алексей Менеджеров" in page and "02.03.2026" in page and "10.04.2026" in page
    # each row opens its card by Enter, with an SVG bar whose done part follows the percent
    assert f'data-href="/projects/{done.pk}/"' in page
    assert page.count('class="k-gantt-bar') == 3 and page.count('data-testid="project-done"') == 2
    assert "k-tree-depth-1" in page and "<style" not in page and " style=" not in page


@pytest.mark.feature("PLN-03")
def test_the_planner_costs_the_same_queries_whatever_the_number_of_items(manager_user, manager_client):
    theme = ProjectItemFactory(responsible=manager_user, starts_on=DAY, due_on=DAY + datetime.timedelta(days=60))

    def add(number: int) -> None:
        case = ProjectItemFactory(parent=theme, responsible=UserFactory(), starts_on=DAY, due_on=DAY)
        ProjectItemFactory(parent=case, responsible=UserFactory(), starts_on=DAY, due_on=DAY)

    page = assert_flat_queries(lambda: manager_client.get("/projects/").content.decode(), add)
    assert len(ROW.findall(page)) == 41


@pytest.mark.feature("PLN-03")
def test_the_card_costs_the_same_queries_whatever_its_cases_and_tasks(manager_user, manager_client):
    theme = ProjectItemFactory(responsible=manager_user, starts_on=DAY, due_on=DAY + datetime.timedelta(days=60))

    def add(number: int) -> None:
        ProjectItemFactory(parent=theme, responsible=UserFactory(), starts_on=DAY, due_on=DAY)
        TaskFactory(kind=Task.Kind.PROJECT, case=theme, client=None, assignee=UserFactory())

    page = assert_flat_queries(lambda: manager_client.get(f"/projects/{theme.pk}/").content.decode(), add)
    assert page.count('data-testid="project-case"') == 20 and page.count('data-testid="project-task"') == 20


@pytest.mark.feature("PLN-03")
def test_the_responsible_sets_the_percent_and_writes_the_report_on_the_card(manager_user, manager_client):
    # given a theme with two cases of the manager's
    theme = _theme(manager_user)
    short = _case(manager_user, theme, due_on=DAY + datetime.timedelta(days=9))
    _case(manager_user, theme, starts_on=DAY + datetime.timedelta(days=10))
    card = manager_client.get(f"/projects/{short.pk}/").content.decode()
    assert 'name="percent"' in card and 'name="report"' in card and 'data-testid="project-ok"' in card

    # when he sets the short case to 100 % with a report, and OK
    response = manager_client.post(f"/projects/{short.pk}/", _form(short, percent=100, report="Всё готово"))

    # then it is saved and he is back in the planner on that row; the theme shows 25 %, derived, not typed
    assert response.status_code == 302 and response["Location"] == f"/projects/?focus={short.pk}"
    kept = ProjectItem.objects.get(pk=short.pk)
    assert (kept.percent, kept.report) == (100, "Всё готово")
    theme_card = manager_client.get(f"/projects/{theme.pk}/").content.decode()
    assert 'data-testid="project-item-percent">25 %<' in theme_card and 'name="percent"' not in theme_card
    focused = manager_client.get(response["Location"]).content.decode()
    assert re.search(rf'<tr data-row data-id="{short.pk}"[^>]*class="k-focus"', focused)


@pytest.mark.feature("PLN-03")
def test_another_user_sees_the_card_read_only_and_his_post_is_refused(manager_user, manager_client):
    # given a case of a colleague's
    colleague = UserFactory(full_name="Ольга Коллегова")
    theme = _theme(colleague)
    # when the manager opens it
    card = manager_client.get(f"/projects/{theme.pk}/").content.decode()
    # then he reads its values with the reason, without inputs or buttons
    assert 'data-testid="value-title">Семинар-презентация<' in card
    assert "Изменяет только ответственный или администратор." in card
    assert 'name="title"' not in card and 'data-testid="project-ok"' not in card
    assert 'data-testid="project-case-new"' not in card and 'data-testid="project-delete"' not in card
    # when he posts a change anyway, it is refused and nothing is saved
    response = manager_client.post(f"/projects/{theme.pk}/", _form(theme, title="Чужое"))
    assert response.status_code == 403 and ProjectItem.objects.get(pk=theme.pk).title == "Семинар-презентация"
    # a positive control: the colleague himself may
    mine = signed_in(colleague).post(f"/projects/{theme.pk}/", _form(theme, title="Моё"))
    assert mine.status_code == 302 and ProjectItem.objects.get(pk=theme.pk).title == "Моё"


@pytest.mark.feature("PLN-03")
def test_a_due_before_the_start_is_refused_next_to_the_field(manager_user, manager_client):
    theme = _theme(manager_user)
    # when the due date is set before the start
    response = manager_client.post(f"/projects/{theme.pk}/", _form(theme, due_on="2026-03-01"))
    # then the card comes back with the message next to the field, and nothing is saved
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-due_on">Срок не может быть раньше начала.<' in page
    assert ProjectItem.objects.get(pk=theme.pk).due_on == theme.due_on


@pytest.mark.feature("PLN-03")
def test_a_new_theme_and_its_case_are_made_from_the_pages(manager_user, manager_client):
    # when the manager makes a theme from «Новая тема»
    new = manager_client.get("/projects/new/").content.decode()
    assert "Новая тема" in new and 'data-testid="project-ok"' in new
    response = manager_client.post("/projects/new/", {
        "title": "Семинар", "responsible": manager_user.pk, "starts_on": "2026-03-02", "due_on": "2026-03-31"})
    theme = ProjectItem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/{theme.pk}/"

    # and adds a case from its card, first with an empty title
    card = manager_client.get(f"/projects/{theme.pk}/").content.decode()
    assert f'href="/projects/{theme.pk}/new/"' in card
    empty = manager_client.post(f"/projects/{theme.pk}/new/", {
        "title": "", "responsible": manager_user.pk, "starts_on": "2026-03-02", "due_on": "2026-03-05"})
    assert 'data-testid="error-title"' in empty.content.decode() and ProjectItem.objects.count() == 1
    manager_client.post(f"/projects/{theme.pk}/new/", {
        "title": "Кофе-брейк", "responsible": manager_user.pk, "starts_on": "2026-03-02", "due_on": "2026-03-05"})

    # then the case hangs under the theme
    case = ProjectItem.objects.get(parent=theme)
    assert (case.title, case.responsible, case.due_on) == ("Кофе-брейк", manager_user, datetime.date(2026, 3, 5))


@pytest.mark.feature("PLN-03")
def test_a_case_without_delegation_is_not_split_by_its_responsible(manager_user):
    # given a case the manager gave Olga without delegation, and one with it
    olga = UserFactory(full_name="Ольга Коллегова")
    theme = _theme(manager_user)
    bound = _case(manager_user, theme, responsible=olga)
    free = _case(manager_user, theme, responsible=olga, delegation_allowed=True)
    http = signed_in(olga)

    # when she opens them
    bound_card = http.get(f"/projects/{bound.pk}/").content.decode()
    free_card = http.get(f"/projects/{free.pk}/").content.decode()
    # then only the free one offers «Добавить дело» and a choice of the responsible; the flag is not hers
    assert 'data-testid="project-case-new"' not in bound_card and 'data-testid="value-responsible"' in bound_card
    assert 'data-testid="project-case-new"' in free_card and 'name="responsible"' in free_card
    assert 'data-testid="value-delegation_allowed"' in free_card
    assert http.get(f"/projects/{bound.pk}/new/").status_code == 403
    assert http.get(f"/projects/{free.pk}/new/").status_code == 200


@pytest.mark.feature("PLN-03")
def test_deleting_a_case_from_its_card(manager_user, manager_client):
    theme = _theme(manager_user)
    case = _case(manager_user, theme)
    card = manager_client.get(f"/projects/{case.pk}/").content.decode()
    assert 'data-testid="project-delete"' in card and "data-k-confirm=" in card
    response = manager_client.post(f"/projects/{case.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"/projects/{theme.pk}/"
    assert list(ProjectItem.objects.all()) == [theme]


@pytest.mark.feature("PLN-03")
def test_a_field_changed_meanwhile_by_another_is_marked_to_choose(manager_user, admin_user, manager_client):
    # given the manager's theme, its card read by him
    theme = _theme(manager_user)
    card = manager_client.get(f"/projects/{theme.pk}/").content.decode()
    read = re.search(r'name="item-read" value="([^"]+)"', card)
    assert read is not None
    # when the administrator writes a report meanwhile, and the manager saves his own
    services.project_item_update(acting_user=admin_user, item_id=theme.pk, values={"report": "Отчёт админа"})
    response = manager_client.post(f"/projects/{theme.pk}/", {**_form(theme, report="Мой отчёт"),
                                                              "item-read": read.group(1)})
    # then nothing is saved and the field is marked with the administrator's value
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="conflict-report"' in page
    assert 'data-testid="theirs-report">Отчёт админа<' in page
    assert ProjectItem.objects.get(pk=theme.pk).report == "Отчёт админа"


@pytest.mark.feature("PLN-03", "TSK-04")
def test_the_card_lists_its_project_tasks_linked_to_the_task(manager_user, manager_client):
    # given a case with a project task given to a colleague
    theme = _theme(manager_user)
    task = TaskFactory(kind=Task.Kind.PROJECT, case=theme, client=None, author=manager_user,
                       assignee=UserFactory(full_name="Ольга Коллегова"), description="Забронировать зал")
    other = TaskFactory(kind=Task.Kind.PROJECT, case=_case(manager_user, theme), client=None, author=manager_user)
    # when the card is opened
    card = manager_client.get(f"/projects/{theme.pk}/").content.decode()
    # then its own task is listed, leading to the task's card; a sub-case's is not
    assert f'data-href="/tasks/{task.pk}/"' in card and "Забронировать зал" in card and "Ольга Коллегова" in card
    assert f"/tasks/{other.pk}/" not in card


@pytest.mark.feature("PLN-03")
def test_the_planner_and_card_read_as_russian(manager_user, manager_client):
    theme = _theme(manager_user)
    case = _case(manager_user, theme)
    colleague = signed_in(UserFactory())
    data = stored_data()
    for http, path in [(manager_client, "/projects/"), (manager_client, f"/projects/{theme.pk}/"),
                       (manager_client, f"/projects/{case.pk}/"), (manager_client, "/projects/new/"),
                       (manager_client, f"/projects/{theme.pk}/new/"), (colleague, f"/projects/{case.pk}/")]:
        # the page's own part (the menu bar is every page's, walked by tests/core/views/test_russian_texts.py)
        main = http.get(path).content.decode().partition("<main")[2].partition("</main>")[0]
        assert main and russian_problems("<main" + main, data=data) == [], path


@pytest.mark.feature("PLN-03")
def test_an_item_of_a_dismissed_responsible_is_still_edited(manager_user, admin_user, admin_client):
    # given a theme whose responsible has since been dismissed
    theme = _theme(manager_user)
    type(manager_user).objects.filter(pk=manager_user.pk).update(dismissed=True)
    # when the administrator corrects its title, the responsible left as he is
    response = admin_client.post(f"/projects/{theme.pk}/", _form(theme, title="Семинар для дилеров"))
    # then it is saved: the responsible kept is no new choice to check
    assert response.status_code == 302
    kept = ProjectItem.objects.get(pk=theme.pk)
    assert (kept.title, kept.responsible_id) == ("Семинар для дилеров", manager_user.pk)


@pytest.mark.feature("TSK-04")
def test_a_case_offers_a_new_project_task_on_itself(manager_user: Any) -> None:
    # given a theme with a case
    theme = _theme(manager_user)
    case = _case(manager_user, theme)
    http = signed_in(manager_user)
    # when the case's card is opened
    page = http.get(f"/projects/{case.pk}/").content.decode()
    # then «Новая задача» leads to the task form about that case, which names it
    link = f'href="/tasks/new/?case={case.pk}"'
    assert link in page
    assert case.title in http.get(f"/tasks/new/?case={case.pk}").content.decode()
