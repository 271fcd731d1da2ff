"""Reads of an import: its staged rows a page at a time in one query, only its author's, and the per-row error
report as CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.http import Http404
from django.utils import translation

from kontora.imports.selectors.runs import access_import, import_errors_csv, import_rows
from kontora.imports.services.checking import import_check
from kontora.imports.services.loading import import_load
from tests.clients.factories import ClientFactory
from tests.imports.support import importer, loaded
from tests.support.queries import assert_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.feature("IMP-01")
def test_the_rows_come_a_page_at_a_time_by_their_number_in_one_query():
    # given 30 rows, 10 of them matched with clients
    user = importer()
    for n in range(10):
        ClientFactory(short_name=f"Клиент {n}", curator=user)
    run = loaded(user, [[f"Клиент {n}", "", "", "", "", "", ""] for n in range(30)])
    import_check(acting_user=user, import_id=run.pk, match_key="name", on_match="skip")
    # when / then
    with assert_queries(1):
        first = import_rows(fetched_by=user, import_id=run.pk, limit=12)
        names = [row.client.short_name if row.client else "" for row in first]
    with assert_queries(1):
        second = import_rows(fetched_by=user, import_id=run.pk, after=first[-1].number, limit=12)
    assert [row.number for row in first] == list(range(2, 14)) and second[0].number == 14
    assert names[:3] == ["Клиент 0", "Клиент 1", "Клиент 2"] and names[11] == ""
    assert [row.action for row in import_rows(fetched_by=user, import_id=run.pk, action="skip", limit=100)] == \
        ["skip"] * 10


def test_anothers_import_and_its_rows_are_not_found():
    # given
    run = loaded(importer(), [["Альфа", "", "", "", "", "", ""]])
    other = importer()
    # when / then
    with pytest.raises(Http404):
        access_import(other, run.pk)
    assert import_rows(fetched_by=other, import_id=run.pk) == []


@pytest.mark.feature("IMP-03")
def test_the_error_report_lists_each_problem_with_its_row_and_column():
    # given the manual's file with deliberate errors, checked
    user = importer()
    run = import_load(acting_user=user, source=DATA / "arsenal.xlsx")
    import_check(acting_user=user, import_id=run.pk)
    # when
    text = "".join(import_errors_csv(fetched_by=user, import_id=run.pk))
    # then
    assert text.startswith("\ufeff") and text.splitlines()[1:] == [
        "3;O;ИНН;error;“7707083894”: INN: wrong check number.",
        "4;J;E-mail общий;error;“info@@grants” is not an e-mail address (name@example.ru: one address per field).",
        "5;D;Город;warning;The city “Тмутаракань” is not in the directory of populated places: the client is "
        "imported without a city.",
        "6;A;Полное наименование;error;The client's name is empty: a client cannot be imported without a name.",
    ]
    assert text.splitlines()[0] == "\ufeffRow;Column;Column name;Kind;What is wrong"


@pytest.mark.feature("IMP-03")
def test_the_error_report_speaks_russian():
    # given
    user = importer()
    run = import_load(acting_user=user, source=DATA / "arsenal.xlsx")
    # when
    with translation.override("ru"):
        lines = "".join(import_errors_csv(fetched_by=user, import_id=run.pk)).splitlines()
    # then
    assert lines[0] == "\ufeffСтрока;Колонка;Название колонки;Вид;Что не так"
    assert lines[1].startswith("3;O;ИНН;ошибка;")
