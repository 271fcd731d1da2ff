"""The status and curator columns (IMP-02, issue 17): a status found in the client statuses and a curator among the
working users by full name or login, in any case and spacing; a value not found an error on its cell in the user's
language; the directories read once per run, however many rows."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from kontora.directories.models import ClientStatus
from kontora.imports.selectors.cleaning import CleanRow, Severity, rows_clean
from kontora.imports.selectors.sheets import Row
from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.feature("IMP-02")]

DAY = datetime.date(2026, 12, 6)
MAPPING = {0: "full_name", 1: "status", 2: "curator"}
HEADERS = ["Наименование", "Статус", "Куратор"]


def _clean(*rows: list[str]) -> list[CleanRow]:
    return list(rows_clean([Row(n, cells) for n, cells in enumerate(rows, start=2)], mapping=MAPPING,
                           filename="f.csv", imported_on=DAY, headers=HEADERS))


def _problems(row: CleanRow) -> list[tuple[str, str, str, str]]:
    return [(p.column, p.column_name, p.severity, p.message) for p in row.problems]


def test_a_status_and_a_curator_are_found_in_any_case_and_spacing():
    # given
    status = ClientStatus.objects.create(name="Постоянный клиент", name_key="постоянный клиент")
    petrov = UserFactory(full_name="Петров Пётр Петрович", login="Petrov")
    # when
    by_name, by_login = _clean(["ООО «Ёлка»", "  постоянный   КЛИЕНТ ", "петров петр  ПЕТРОВИЧ"],
                               ["ООО «Сосна»", "Постоянный клиент", "PETROV"])
    # then
    for row in (by_name, by_login):
        assert (row.status_id, row.curator_id, row.problems) == (status.pk, petrov.pk, [])
        assert (row.values["status"], row.values["curator"]) == ("Постоянный клиент", "Петров Пётр Петрович")


def test_a_status_or_a_curator_not_found_is_an_error_on_its_cell_in_russian():
    # given a retired status, a dismissed and a disabled user: none of them may be given to a client
    ClientStatus.objects.create(name="Постоянный", name_key="постоянный")
    ClientStatus.objects.create(name="Архивный", name_key="архивный", is_active=False)
    UserFactory(full_name="Петров Пётр", login="petrov")
    UserFactory(full_name="Уволенный Иван", login="gone", dismissed=True)
    UserFactory(full_name="Заблокированный Олег", login="locked", disabled=True)
    # when
    with translation.override("ru"):
        found, missing, retired = _clean(["ООО «Ёлка»", "постоянный", "Петров Пётр"],
                                         ["ООО «Сосна»", "Новый", "Сидоров"],
                                         ["ООО «Ель»", "Архивный", "Уволенный Иван"])
        locked = _clean(["ООО «Пихта»", "", "locked"])[0]
    # then: the positive control has no problem, each other value is an error on its own cell
    assert found.problems == [] and found.status_id and found.curator_id
    assert _problems(missing) == [
        ("B", "Статус", Severity.ERROR, "Статуса «Новый» нет в справочнике статусов клиентов: укажите один из его "
                                        "статусов или добавьте этот статус в справочник."),
        ("C", "Куратор", Severity.ERROR, "Нет работающего пользователя «Сидоров»: укажите ФИО или логин "
                                         "пользователя, который не заблокирован и не уволен."),
    ]
    assert [p.column for p in retired.problems] == ["B", "C"] and retired.has_errors
    assert (retired.status_id, retired.curator_id, retired.values["status"]) == (None, None, "Архивный")
    assert [p.column for p in locked.problems] == ["C"] and locked.curator_id is None


def test_namesakes_are_told_apart_by_the_login():
    # given two working users of one name
    UserFactory(full_name="Иванов Иван", login="ivanov1")
    second = UserFactory(full_name="Иванов Иван", login="ivanov2")
    # when
    with translation.override("en"):
        named, logged = _clean(["ООО «Ёлка»", "", "Иванов Иван"], ["ООО «Ель»", "", "IVANOV2"])
    # then
    assert _problems(named) == [("C", "Куратор", Severity.ERROR,
                                 "Several users are named “Иванов Иван”: type the login of the one meant.")]
    assert (logged.curator_id, logged.problems) == (second.pk, [])


@pytest.mark.parametrize("count", [30, 3000])
def test_the_directories_are_read_once_however_many_rows(count, django_assert_num_queries):
    # given rows naming three statuses and three curators, some of them unknown
    for name in ("Новый", "Постоянный"):
        ClientStatus.objects.create(name=name, name_key=name.lower())
    users = [UserFactory(full_name=f"Менеджер {n}", login=f"m{n}") for n in range(2)]
    statuses, curators = ["Новый", "постоянный", "Чужой"], ["Менеджер 0", "m1", "Никто"]
    rows = [[f"ООО «Ёлка {n}»", statuses[n % 3], curators[n % 3]] for n in range(count)]
    # when: one query a directory, the same for 30 rows and for 3,000
    with django_assert_num_queries(2):
        cleaned = _clean(*rows)
    # then
    assert [(row.status_id is not None, row.curator_id) for row in cleaned[:3]] == [
        (True, users[0].pk), (True, users[1].pk), (False, None)]


def test_a_file_without_the_columns_reads_no_directory(django_assert_num_queries):
    # when
    with django_assert_num_queries(0):
        cleaned = list(rows_clean([Row(2, ["ООО «Ёлка»", "Куратор не столбец"])], mapping={0: "full_name", 1: "note"},
                                  filename="f.csv", imported_on=DAY))
    # then
    assert cleaned[0].problems == []
