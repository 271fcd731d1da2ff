"""Shared steps of the import tests: a client list as a CSV upload or a workbook of several sheets, a user with the
import right, a checksum of the client tables, an import taken through its steps."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import xlsxwriter

from kontora.accounts.models import ClientScope, Role, UserRight
from kontora.clients.models import Client, ClientGrant, ContactPerson, PhoneKey
from kontora.core.services.jobs import job_run
from kontora.imports.models import Import
from kontora.imports.services.checking import import_check
from kontora.imports.services.loading import import_load
from kontora.imports.services.writing import import_start
from tests.accounts.factories import UserFactory

HEADER = ["Полное наименование", "Короткое наименование", "Телефон", "E-mail общий", "ИНН", "КПП", "Примечание"]


def csv_upload(rows: list[list[str]], header: list[str] | None = None) -> io.BytesIO:
    """A UTF-8 CSV with «;» between cells (no cell holds one)."""
    lines = [";".join(cells) for cells in [header or HEADER, *rows]]
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def workbook(sheets: dict[str, list[list[str]]]) -> bytes:
    """An .xlsx of these sheets (name: rows of text cells), in this order."""
    data = io.BytesIO()
    book = xlsxwriter.Workbook(data, {"in_memory": True, "strings_to_numbers": False})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for number, cells in enumerate(rows):
            for column, cell in enumerate(cells):
                sheet.write_string(number, column, cell)
    book.close()
    return data.getvalue()


# A workbook of two client lists, the second with its columns in another order.
TWO_SHEETS = {
    "Клиенты": [["Полное наименование", "Короткое наименование", "Телефон"],
                ["ООО «Альфа»", "Альфа", "+7 495 123-45-67"]],
    "Поставщики": [["Телефон", "Короткое наименование", "Полное наименование", "E-mail общий"],
                   ["+7 812 555-44-33", "Вектор", "АО «Вектор»", "vector@example.ru"],
                   ["", "Гранит", "ООО «Гранит»", ""]],
}


def importer(scope: str = ClientScope.FULL, **fields: Any) -> Any:
    user = UserFactory(role=Role.MANAGER, client_scope=scope, language="en", **fields)
    UserRight.objects.create(user=user, code="import_data")
    return user


def checksum() -> str:
    """Every row of the client tables an import writes, as kept: equal checksums, equal tables. Phone keys are
    derived rows, written again whenever a phone is: compared by their values, not their ids."""
    digest = hashlib.sha256()
    for model in (Client, ContactPerson, ClientGrant):
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    digest.update(repr(sorted(PhoneKey.objects.values_list("client_id", "contact_id", "tail", "number"))).encode())
    return digest.hexdigest()


def loaded(user: Any, rows: list[list[str]], header: list[str] | None = None) -> Import:
    return import_load(acting_user=user, source=csv_upload(rows, header), filename="clients.csv")


def checked(user: Any, rows: list[list[str]], match_key: str = "", **options: Any) -> Import:
    run = loaded(user, rows)
    return import_check(acting_user=user, import_id=run.pk, match_key=match_key, **options)


def imported(user: Any, rows: list[list[str]], match_key: str = "", **options: Any) -> Import:
    run = checked(user, rows, match_key, **options)
    run = import_start(acting_user=user, import_id=run.pk)
    job = job_run(job_id=run.job_id)
    assert job is not None and job.status == "done", (job.status if job else None, job.errors if job else None)
    run.refresh_from_db()
    return run
