"""Loading a client list (IMP-01, steps 1 and 2): the committed sample files staged row by row with their problems,
the right, bad input refused with nothing written, and a user's fix of a row cleaned again."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.utils import timezone, translation

from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent
from kontora.directories.models import Settlement
from kontora.imports.models import Import, ImportRow
from kontora.imports.services.checking import import_check
from kontora.imports.services.loading import import_load, import_row_edit
from tests.accounts.factories import UserFactory
from tests.imports.support import csv_upload, importer

pytestmark = [pytest.mark.django_db, pytest.mark.feature("IMP-01")]

DATA = Path(__file__).resolve().parents[1] / "data"


def test_the_manuals_file_is_staged_row_by_row_with_its_problems(english):
    # given
    user = importer()
    # when
    run = import_load(acting_user=user, source=DATA / "arsenal.xlsx")
    # then
    run.refresh_from_db()
    assert (run.filename, run.sheet, run.state, run.rows_total, run.rows_with_errors) == (
        "arsenal.xlsx", "Клиенты", Import.State.LOADED, 5, 3)
    rows = list(ImportRow.objects.filter(run=run).order_by("number"))
    assert [row.number for row in rows] == [2, 3, 4, 5, 6]
    assert [row.has_errors for row in rows] == [False, True, True, False, True]
    example = rows[0]
    assert (example.values["full_name"], example.values["inn"], example.settlement_id, example.problems) == (
        "ООО «Арсенал-Сервис»", "7707083893", Settlement.objects.get(name="Абакан").pk, [])
    assert rows[1].problems == [{"column": "O", "column_name": "ИНН", "field": "inn", "severity": "error",
                                 "message": "“7707083894”: INN: wrong check number."}]
    assert run.mapping["0"] == "full_name" and run.headers[14] == "ИНН"
    assert AuditEvent.objects.filter(event="imports.import.load", target_id=run.pk).count() == 1


@pytest.mark.parametrize("name", ["arsenal.ods", "cp1251.csv", "utf8.csv", "numbers.xlsx"])
def test_every_sample_file_stages_the_manuals_example_row(name):
    # when
    run = import_load(acting_user=importer(), source=DATA / name)
    # then
    first = ImportRow.objects.filter(run=run).order_by("number").first()
    assert first is not None and first.values["short_name"] == "Арсенал-Сервис" and not first.has_errors


def test_without_the_import_right_nothing_is_loaded(english):
    # given
    user = UserFactory(role="manager", language="en")
    # when / then
    with pytest.raises(NotAllowed, match=r"You do not have the right to import data\."):
        import_load(acting_user=user, source=DATA / "arsenal.xlsx")
    assert not Import.objects.exists()


@pytest.mark.parametrize(("content", "filename", "mapping", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "list.xlsx", None, "“list.xlsx” is not a spreadsheet"),
    (b"", "empty.csv", None, "“empty.csv” has no filled cell"),
    ("Полное наименование;ИНН\n".encode(), "header.csv", None, "The file has no rows to import under its header."),
    ("Цвет;Вкус\nкрасный;сладкий\n".encode(), "nothing.csv", {0: "", 1: ""}, "No column is matched with a field"),
    ("Цвет;Вкус\nкрасный;сладкий\n".encode(), "noname.csv", {0: "inn"}, "Choose the column with the client's"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(english, content, filename, mapping, message):
    # when / then
    with pytest.raises(Refused, match=message):
        import_load(acting_user=importer(), source=io.BytesIO(content), filename=filename, mapping=mapping)
    assert not Import.objects.exists() and not ImportRow.objects.exists()


@pytest.mark.feature("IMP-01")
def test_a_200_mb_file_is_refused_by_its_size_and_nothing_written(english, tmp_path):
    # given 200 MB that take no disk (a sparse file)
    huge = tmp_path / "clients.xlsx"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    # when / then: refused with the limit named, before anything is read or staged
    with pytest.raises(Refused, match="larger than 50 MB"):
        import_load(acting_user=importer(), source=huge, filename=huge.name)
    assert not Import.objects.exists() and not ImportRow.objects.exists()
    # and a workbook of an ordinary size loads (the positive control)
    run = import_load(acting_user=importer(), source=DATA / "arsenal.xlsx", filename="arsenal.xlsx")
    assert run.rows_total > 0


def test_a_fixed_row_is_cleaned_again_and_the_dry_run_must_be_done_again(english):
    # given a checked import whose row 3 has a wrong INN
    user = importer()
    run = import_load(acting_user=user, source=DATA / "arsenal.xlsx")
    import_check(acting_user=user, import_id=run.pk)
    # when the user types the right INN with spaces round it
    row = import_row_edit(acting_user=user, import_id=run.pk, number=3, values={"inn": " 7707083893 "})
    # then
    run.refresh_from_db()
    assert (row.values["inn"], row.problems, row.has_errors, row.action) == ("7707083893", [], False, "")
    assert (run.state, run.rows_with_errors) == (Import.State.LOADED, 2)
    assert row.values["note"] == ("Клиент Смирнова\nImported from arsenal.xlsx "
                                  + timezone.localdate(run.created_at).strftime("%d.%m.%Y"))


def test_another_users_import_cannot_be_edited(english):
    # given
    run = import_load(acting_user=importer(), source=csv_upload([["ООО «Альфа»", "", "", "", "", "", ""]]),
                      filename="a.csv")
    # when / then
    with pytest.raises(NotAllowed):
        import_row_edit(acting_user=importer(), import_id=run.pk, number=2, values={"full_name": "Бета"})


def test_problems_are_staged_in_the_users_language():
    # given
    user = importer()
    # when
    with translation.override("ru"):
        run = import_load(acting_user=user, source=DATA / "arsenal.xlsx")
    # then
    assert ImportRow.objects.get(run=run, number=3).problems[0]["message"] == \
        "«7707083894»: ИНН: неверное контрольное число."
