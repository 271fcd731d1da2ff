"""A hundred thousand rows (IMP-03): a workbook made in the test's set-up, never committed — the manual's columns
A–N with INN, its phones, postcodes and INNs typed as numbers — loaded, checked and written whole by the import's
job in batches. What the bench times (bench.imports), here checked for what ends in the base."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from kontora.clients.models import Client
from kontora.core.requisites import inn_check_digits
from kontora.core.services.jobs import job_run
from kontora.imports.models import Import, ImportRow
from kontora.imports.services.checking import import_check
from kontora.imports.services.loading import import_load
from kontora.imports.services.writing import import_start
from tests.imports.support import importer

ROWS = 100_000
BAD_EVERY = 1_000  # a row with a wrong INN checksum: an error, never written


def _inn(n: int) -> str:
    body = f"{550000000 + n:09d}"
    return body + inn_check_digits(body)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("import") / "clients.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Клиенты")
    header = ["Полное наименование", "Короткое наименование", "Регион", "Город", "Район", "Почтовый индекс", "Адрес",
              "Телефон", "Факс", "E-mail общий", "Web site", "Примечание", "ФИО контактного лица",
              "E-mail контактного лица", "ИНН"]
    sheet.write_row(0, 0, header)
    for n in range(1, ROWS + 1):
        inn = _inn(n) if n % BAD_EVERY else _inn(n)[:-1] + str((int(_inn(n)[-1]) + 1) % 10)
        sheet.write_row(n, 0, [f'ООО "Клиент {n}"', f"Клиент {n}", "", "", "", "", f"ул. Ленина, {n % 300 + 1}"])
        sheet.write_number(n, 5, 600000 + n % 1000)  # numbers, as Excel keeps what looks like one
        sheet.write_number(n, 7, 73902000000 + n)
        sheet.write_row(n, 8, ["", f"info{n}@example.ru", "", "", "гришина оксана викторовна", ""])
        sheet.write_number(n, 14, int(inn))
    book.close()
    return path


@pytest.mark.feature("IMP-03")
def test_a_hundred_thousand_rows_are_imported_whole_with_their_numbers_as_typed(workbook: Path, db: None) -> None:
    user = importer()
    before = Client.objects.count()
    # loaded: every row staged, the wrong INNs as errors
    run = import_load(acting_user=user, source=workbook, filename=workbook.name)
    assert (run.rows_total, run.rows_with_errors) == (ROWS, ROWS // BAD_EVERY)
    # checked against the base by INN: nothing there yet, so every good row is a new client
    run = import_check(acting_user=user, import_id=run.pk, match_key=Import.MatchKey.INN)
    assert (run.to_create, run.to_update) == (ROWS - ROWS // BAD_EVERY, 0)
    # written by the job, batch after batch
    run = import_start(acting_user=user, import_id=run.pk)
    assert run.job_id is not None
    job = job_run(job_id=run.job_id)
    assert job is not None and job.status == "done", job and job.errors
    run.refresh_from_db()
    assert run.state == Import.State.DONE and run.created == ROWS - ROWS // BAD_EVERY
    assert Client.objects.count() == before + run.created
    # the number cells came back as the digits typed, and the contact's name was put right
    last = Client.objects.get(inn=_inn(ROWS - 1))
    assert (last.phone, last.postal_code, last.short_name) == (str(73902000000 + ROWS - 1), "600999",
                                                               f"Клиент {ROWS - 1}")
    assert last.contacts.get().full_name == "Гришина Оксана Викторовна"
    # and the rows with a wrong INN are in the error report, not in the base
    assert not Client.objects.filter(inn=ImportRow.objects.get(run=run, number=BAD_EVERY + 1).values["inn"]).exists()
