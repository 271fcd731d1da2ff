"""The project planner's writes (PLN-03): themes and cases of any depth, who edits and delegates, dates and percent
checked with a message and nothing saved, the conflict rule, deletion with its sub-cases."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kontora.activity.models import ProjectItem, Task
from kontora.activity.services import projects as services
from kontora.core.conflicts import Edit, EditConflict
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent, Notification
from tests.accounts.factories import UserFactory
from tests.activity.factories import TaskFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def _values(responsible: Any, **values: Any) -> dict[str, Any]:
    return {"title": "Семинар-презентация", "responsible": responsible, "starts_on": DAY,
            "due_on": DAY + datetime.timedelta(days=29), **values}


def _theme(user: Any, **values: Any) -> ProjectItem:
    return services.project_item_create(acting_user=user, parent=None, values=_values(user, **values))


def _case(user: Any, parent: ProjectItem, **values: Any) -> ProjectItem:
    values = {"title": "Кофе-брейк", "responsible": user, "starts_on": parent.starts_on, "due_on": parent.due_on,
              **values}
    return services.project_item_create(acting_user=user, parent=parent, values=values)


def _update(user: Any, item: ProjectItem, **values: Any) -> ProjectItem:
    return services.project_item_update(acting_user=user, item_id=item.pk, values=values)


@pytest.mark.feature("PLN-03")
def test_a_theme_holds_cases_of_any_depth_with_audit_rows(manager_user):
    # given a theme of the manager's
    theme = _theme(manager_user, description="Для дилеров", delegation_allowed=True)

    # when he adds a case under it and a case under that case
    case = _case(manager_user, theme, title="Подготовить вступительное слово")
    deeper = _case(manager_user, case, title="Согласовать текст", due_on=theme.starts_on)

    # then the tree stands as built, each write audited
    assert (case.parent, deeper.parent) == (theme, case)
    assert (theme.created_by, theme.description, theme.delegation_allowed) == (manager_user, "Для дилеров", True)
    rows = list(AuditEvent.objects.filter(event="activity.project_item.create").order_by("id"))
    assert [row.target_id for row in rows] == [theme.pk, case.pk, deeper.pk]
    assert rows[0].summary == "Тема добавлена: Семинар-презентация"
    assert {"field": "Ответственный", "old": "", "new": str(manager_user)} in rows[1].changes


@pytest.mark.feature("PLN-03")
@pytest.mark.parametrize(("values", "field", "message"), [
    ({"title": "  "}, "title", "Введите название."),
    ({"due_on": DAY - datetime.timedelta(days=1)}, "due_on", "Срок не может быть раньше начала."),
    ({"percent": 101}, "percent", "Процент выполнения — целое число от 0 до 100."),
    ({"percent": -1}, "percent", "Процент выполнения — целое число от 0 до 100."),
    ({"starts_on": None}, "starts_on", "Укажите дату начала."),
])
def test_bad_input_is_refused_with_a_message_and_nothing_saved(manager_user, values, field, message):
    # when a theme is asked with a wrong value
    with pytest.raises(ValidationError) as refused:
        _theme(manager_user, **values)
    # then the field's message says why, and nothing is kept
    assert refused.value.message_dict[field] == [message]
    assert not ProjectItem.objects.exists() and not AuditEvent.objects.filter(event__startswith="activity.").exists()


@pytest.mark.feature("PLN-03")
def test_a_case_lies_within_its_parent_and_a_parent_is_not_narrowed_past_its_cases(manager_user):
    # given a theme of March with a case in its middle
    theme = _theme(manager_user)
    case = _case(manager_user, theme, starts_on=DAY + datetime.timedelta(days=5),
                 due_on=DAY + datetime.timedelta(days=10))

    # when a case would end after its theme
    with pytest.raises(ValidationError) as refused:
        _case(manager_user, theme, due_on=theme.due_on + datetime.timedelta(days=1))
    # then it is refused, naming the theme's span
    assert refused.value.message_dict["due_on"] == [
        "Дело лежит в пределах своего родителя «Семинар-презентация»: с 02.03.2026 по 31.03.2026. Сначала измените "
        "сроки родителя."]

    # when the theme would start after its case starts
    with pytest.raises(ValidationError) as narrowed:
        _update(manager_user, theme, starts_on=DAY + datetime.timedelta(days=6))
    # then it is refused too, and the theme keeps its dates
    assert narrowed.value.message_dict["starts_on"] == ["Его дела начинаются 07.03.2026: начало не может быть позже."]
    assert ProjectItem.objects.get(pk=theme.pk).starts_on == DAY

    # a positive control: within the case's span the theme narrows, and the case moves within the theme
    _update(manager_user, theme, starts_on=DAY + datetime.timedelta(days=5))
    _update(manager_user, case, due_on=DAY + datetime.timedelta(days=20))
    assert ProjectItem.objects.get(pk=case.pk).due_on == DAY + datetime.timedelta(days=20)


@pytest.mark.feature("PLN-03")
def test_only_the_responsible_or_an_administrator_edits(manager_user, admin_user):
    # given a theme the manager is responsible for, and a colleague
    theme = _theme(manager_user)
    colleague = UserFactory(full_name="Ольга Коллегова")

    # when the colleague writes its report
    with pytest.raises(NotAllowed) as refused:
        _update(colleague, theme, report="Сделано")
    # then he is refused, naming what
    assert refused.value.message == "Вы не можете изменить в «Семинар-презентация»: отчёт о выполнении."
    assert ProjectItem.objects.get(pk=theme.pk).report == ""

    # when the responsible writes it, and the administrator corrects the title
    _update(manager_user, theme, report="Зал забронирован")
    _update(admin_user, theme, title="Семинар для дилеров")

    # then both are kept and audited
    kept = ProjectItem.objects.get(pk=theme.pk)
    assert (kept.report, kept.title) == ("Зал забронирован", "Семинар для дилеров")
    changes = [row.changes for row in AuditEvent.objects.filter(event="activity.project_item.update").order_by("id")]
    assert changes == [[{"field": "Отчёт о выполнении", "old": "", "new": "Зал забронирован"}],
                       [{"field": "Название", "old": "Семинар-презентация", "new": "Семинар для дилеров"}]]


@pytest.mark.feature("PLN-03")
def test_delegation_allowed_lets_the_responsible_pass_a_case_on_and_split_it(
        manager_user, django_capture_on_commit_callbacks):
    # given a theme of the manager's with two cases he gave Olga: one with delegation allowed, one without
    olga, petr = UserFactory(full_name="Ольга Коллегова"), UserFactory(full_name="Пётр Помощников")
    theme = _theme(manager_user)
    free = _case(manager_user, theme, title="Раздать материалы", responsible=olga, delegation_allowed=True)
    bound = _case(manager_user, theme, title="Кофе-брейк", responsible=olga)

    # when Olga passes the free case on to Petr and splits it
    sub = _case(olga, free, title="Напечатать буклеты")
    with django_capture_on_commit_callbacks(execute=True):
        _update(olga, free, responsible=petr)
    # then it is Petr's, and he hears of it on his bell
    assert ProjectItem.objects.get(pk=free.pk).responsible == petr and sub.parent_id == free.pk
    told = Notification.objects.get(user=petr, url=f"/projects/{free.pk}/")
    assert told.text == ("Вы назначены ответственным в проектном планировщике: дело «Раздать материалы», "
                         "с 02.03.2026 по 31.03.2026.")

    # when she tries the same with the case without delegation
    with pytest.raises(NotAllowed):
        _update(olga, bound, responsible=petr)
    with pytest.raises(NotAllowed) as split:
        _case(olga, bound, title="Купить кофе")
    # then both are refused and nothing changed
    assert "Вы не можете делить «Кофе-брейк» на дела" in split.value.message
    assert ProjectItem.objects.get(pk=bound.pk).responsible == olga and not bound.children.exists()
    # nor may she allow herself delegation: the flag is the giver's
    with pytest.raises(NotAllowed):
        _update(olga, bound, delegation_allowed=True)

    # a positive control: the giver (the theme's responsible) reassigns and splits it
    _update(manager_user, bound, responsible=petr)
    _case(manager_user, bound, title="Купить кофе")
    assert ProjectItem.objects.get(pk=bound.pk).responsible == petr and bound.children.count() == 1


@pytest.mark.feature("PLN-03")
def test_percent_is_typed_on_a_leaf_only(manager_user):
    # given a theme with a case
    theme = _theme(manager_user)
    _case(manager_user, theme)
    # when its percent is typed
    with pytest.raises(ValidationError) as refused:
        _update(manager_user, theme, percent=50)
    # then it is refused: it is derived from its cases
    assert refused.value.message_dict["percent"] == [
        "Процент темы или дела с вложенными делами считается по ним, взвешенно по их длительности."]


@pytest.mark.feature("PLN-03")
def test_a_field_both_users_changed_is_a_conflict_and_nothing_is_saved(manager_user, admin_user):
    # given a theme the manager read, then the administrator changed its report
    theme = _theme(manager_user)
    read = {"report": "", "title": theme.title}
    _update(admin_user, theme, report="Отчёт администратора")

    def stored(item: Any) -> dict[str, Any]:
        return {"report": item.report, "title": item.title}

    # when the manager saves his own report and a new title from the old reading
    edit = Edit(code="", stored=stored, read=read, typed={"report": "Мой отчёт", "title": "Новое"},
                labels={"report": "Отчёт о выполнении", "title": "Название"})
    with pytest.raises(EditConflict) as conflict:
        services.project_item_update(acting_user=manager_user, item_id=theme.pk,
                                     values={"report": "Мой отчёт", "title": "Новое"}, edit=edit)
    # then the report is the conflict, named with who changed it, and nothing of his is saved
    assert [(field.name, field.who) for field in conflict.value.fields] == [("report", str(admin_user))]
    kept = ProjectItem.objects.get(pk=theme.pk)
    assert (kept.report, kept.title) == ("Отчёт администратора", "Семинар-презентация")


@pytest.mark.feature("PLN-03", "TSK-04")
def test_deleting_takes_the_sub_cases_and_is_refused_while_their_tasks_are_open(manager_user, admin_user):
    # given a theme with a case and a sub-case holding an open project task
    theme = _theme(manager_user)
    case = _case(manager_user, theme)
    sub = _case(manager_user, case)
    task = TaskFactory(kind=Task.Kind.PROJECT, case=sub, client=None, author=manager_user)
    colleague = UserFactory()

    # when a colleague deletes the theme
    with pytest.raises(NotAllowed):
        services.project_item_delete(acting_user=colleague, item_id=theme.pk)
    # when its responsible does while the task is open
    with pytest.raises(Refused) as refused:
        services.project_item_delete(acting_user=manager_user, item_id=theme.pk)
    # then it is refused with the reason, and everything stays
    assert refused.value.message == ("«Семинар-презентация» и его дела ещё имеют незакрытые задачи (1): сначала "
                                     "закройте или удалите их.")
    assert ProjectItem.objects.count() == 3

    # when the task is closed and he deletes again
    Task.objects.filter(pk=task.pk).update(state=Task.State.CLOSED, closed_at=task.starts_at)
    services.project_item_delete(acting_user=manager_user, item_id=theme.pk)
    # then the theme, its cases and the closed task are gone, with one audit row
    assert not ProjectItem.objects.exists() and not Task.objects.exists()
    row = AuditEvent.objects.get(event="activity.project_item.delete")
    assert row.extra == {"parent": None, "cases": 2, "closed_tasks": 1}


@pytest.mark.feature("PLN-03")
def test_a_case_under_an_item_deleted_meanwhile_is_refused(manager_user):
    # given a theme a page still shows, deleted meanwhile by its responsible
    theme = _theme(manager_user)
    services.project_item_delete(acting_user=manager_user, item_id=theme.pk)
    # when a case is added under it, or it is changed, from the old page
    with pytest.raises(Refused) as refused:
        _case(manager_user, theme)
    with pytest.raises(Refused):
        _update(manager_user, theme, title="Другое")
    # then both are refused with the reason, nothing written
    assert refused.value.message == "Эта тема или дело тем временем удалены."
    assert not ProjectItem.objects.exists()


@pytest.mark.feature("PLN-03")
@pytest.mark.django_db(transaction=True)
def test_a_case_stretched_while_its_theme_is_narrowed_never_runs_out_of_it(manager_user):
    # given a March theme with a case of its first ten days
    theme = _theme(manager_user)
    case = _case(manager_user, theme, due_on=DAY + datetime.timedelta(days=9))
    start = threading.Barrier(2)
    refused: list[str] = []

    def run(work: Any) -> None:
        try:
            start.wait()
            work()
        except ValidationError as exc:
            refused.extend(message for messages in exc.message_dict.values() for message in messages)
        finally:
            connection.close()

    # when one user stretches the case to the 25th while another narrows the theme to the 15th, at once
    threads = [
        threading.Thread(target=run, args=(lambda: _update(manager_user, case, due_on=datetime.date(2026, 3, 25)),)),
        threading.Thread(target=run, args=(lambda: _update(manager_user, theme, due_on=datetime.date(2026, 3, 15)),)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then the second to come is refused (each is right alone), and the case stays within its theme
    assert len(refused) == 1
    kept_case, kept_theme = ProjectItem.objects.get(pk=case.pk), ProjectItem.objects.get(pk=theme.pk)
    assert kept_case.due_on <= kept_theme.due_on
