"""Export of the client registry to CSV/XLSX (right "export_clients") and the export log (ACL-06, ACL-03)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from kontora.accounts.models import UserRight
from kontora.clients.flexi.selectors.session import SESSION_KEY
from kontora.clients.flexi.selectors.specs import parse
from kontora.clients.models import Client, ClientExport
from kontora.clients.selectors import exports
from kontora.clients.views.registry import MARKS_KEY
from kontora.directories.models import ClientStatus
from tests.accounts.factories import UserFactory
from tests.clients.factories import client_named
from tests.support.http import signed_in
from tests.support.queries import count_queries

HEADER = ["Код", "Краткое наименование", "Полное наименование", "ИНН", "КПП", "Город", "Адрес", "Телефоны",
          "E-mail", "Куратор", "Статус", "Изменён"]


def csv_rows(response: Any) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel takes the file for UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response: Any) -> list[list[Any]]:
    raw = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(raw)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def base(admin_user: Any, manager_user: Any) -> dict[str, Client]:
    status = ClientStatus.objects.create(name="Горячий")
    return {
        "beta": client_named("Бета", curator=admin_user, inn="7707083893", kpp="773601001", phone="8 495 111-22-33",
                            email="beta@example.ru", address="Тверская, 1", status=status,
                            full_name="ООО «Бета»"),
        "alpha": client_named("Альфа", curator=manager_user),
        "secret": client_named("Гамма тайная", curator=manager_user, private=True),
    }


@pytest.mark.feature("ACL-06", "ACL-03", "REG-01")
def test_csv_export_streams_the_registry_the_user_sees_and_logs_it(admin_client: Any, admin_user: Any,
                                                                  base: dict[str, Client]) -> None:
    # when the administrator exports the registry as CSV
    response = admin_client.post("/clients/export/", {"what": "shown", "format": "csv"})

    # then a streamed UTF-8 file with ";" holds the clients he sees, in the registry's order, and no private one
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''%D0%BA%D0%BB%D0%B8%D0%B5%D0%BD" in disposition
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert [r[1] for r in rows[1:]] == ["Альфа", "Бета"]
    beta = rows[2]
    assert beta[:11] == [str(base["beta"].code), "Бета", "ООО «Бета»", "7707083893", "773601001", "",
                         "Тверская, 1", "8 495 111-22-33", "beta@example.ru", "Администратор Системы", "Горячий"]
    assert len(beta[11]) == len("28.11.2026 22:15")
    # and the export is on record with the rows actually written
    [log] = ClientExport.objects.all()
    assert (log.user, log.user_login, log.format, log.rows) == (admin_user, "admin", "csv", 2)
    assert log.description == "все видимые клиенты"
    assert log.address == "127.0.0.1"


@pytest.mark.feature("ACL-06", "ACL-03")
def test_xlsx_export_is_a_workbook_of_the_same_rows(admin_client: Any, base: dict[str, Client]) -> None:
    # when
    response = admin_client.post("/clients/export/", {"what": "shown", "format": "xlsx"})

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ".xlsx" in response["Content-Disposition"]
    rows = xlsx_rows(response)
    assert rows[0] == HEADER
    assert [r[1] for r in rows[1:]] == ["Альфа", "Бета"]
    assert rows[2][0] == base["beta"].code and rows[2][3] == "7707083893"
    assert ClientExport.objects.get().rows == 2
    # and its header stays on screen as the rows scroll
    response = admin_client.post("/clients/export/", {"what": "shown", "format": "xlsx"})
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.freeze_panes == "A2"


@pytest.mark.feature("ACL-06", "ACL-03")
def test_marked_export_takes_only_marked_clients_the_user_still_sees(admin_client: Any,
                                                                    base: dict[str, Client]) -> None:
    # given marks on one client, plus a forged mark on another curator's private client
    session = admin_client.session
    session[MARKS_KEY] = [base["beta"].pk, base["secret"].pk]
    session.save()

    # when the marked clients are exported
    response = admin_client.post("/clients/export/", {"what": "marked", "format": "csv"})

    # then only the visible marked client is in the file and the log says so
    assert [r[1] for r in csv_rows(response)[1:]] == ["Бета"]
    log = ClientExport.objects.get()
    assert (log.rows, log.description) == (1, "отмеченные клиенты")


@pytest.mark.feature("ACL-06")
def test_marked_export_without_marks_says_so_next_to_the_choice_and_logs_nothing(admin_client: Any,
                                                                                 base: dict[str, Client]) -> None:
    # when
    response = admin_client.post("/clients/export/", {"what": "marked", "format": "csv"})
    missing = admin_client.post("/clients/export/", {"what": "shown"})

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="export-what-error"' in html
    assert "Ни один клиент в реестре не отмечен" in html
    assert "Выберите формат файла." in missing.content.decode()
    assert not ClientExport.objects.exists()


@pytest.mark.feature("ACL-06")
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_plain_text_in_both_formats(admin_client: Any,
                                                                                       admin_user: Any) -> None:
    # given a client whose texts start like formulas
    typed = {1: "=HYPERLINK(\"http://evil\")", 2: "@SUM(A1)", 6: "-2+3", 7: "+7 495 000-00-00"}
    client_named(typed[1], curator=admin_user, phone=typed[7], address=typed[6], email="", full_name=typed[2])

    # when it is exported in both formats
    csv_row = csv_rows(admin_client.post("/clients/export/", {"what": "shown", "format": "csv"}))[1]
    workbook = load_workbook(io.BytesIO(b"".join(
        admin_client.post("/clients/export/", {"what": "shown", "format": "xlsx"}).streaming_content)))
    xlsx_cells = list(workbook.active.iter_rows())[1]

    # then the CSV neutralises each such cell with an apostrophe, a spreadsheet opening it runs nothing
    assert {column: csv_row[column] for column in typed} == {column: f"'{text}" for column, text in typed.items()}
    assert exports.neutralise("Обычный") == "Обычный"
    # and the workbook keeps every value as typed, as text cells that are never formulas (F4: no apostrophe)
    assert {column: xlsx_cells[column].value for column in typed} == typed
    assert {cell.data_type for cell in xlsx_cells if isinstance(cell.value, str)} == {"s"}


@pytest.mark.feature("ACL-06", "ACL-01")
def test_export_needs_the_right_and_then_covers_only_own_clients(manager_user: Any, admin_user: Any,
                                                                 base: dict[str, Client]) -> None:
    # given a manager in the "own" mode without the right
    http = signed_in(manager_user)

    # then neither the page, the button, the menu item nor the file is his
    assert http.get("/clients/export/").status_code == 403
    assert http.post("/clients/export/", {"what": "shown", "format": "csv"}).status_code == 403
    home = http.get("/").content.decode()
    assert 'data-testid="registry-export"' not in home and "/clients/export/" not in home
    assert signed_in(admin_user).get("/").content.decode().count("/clients/export/") == 2  # button + menu

    # when the administrator grants him the right
    UserRight.objects.create(user=manager_user, code="export_clients")
    http = signed_in(manager_user)
    assert 'data-testid="registry-export"' in http.get("/").content.decode()
    response = http.post("/clients/export/", {"what": "shown", "format": "csv"})

    # then the file holds his own clients, the private one he curates included, and nobody else's
    assert sorted(r[1] for r in csv_rows(response)[1:]) == ["Альфа", "Гамма тайная"]
    assert ClientExport.objects.get().user_login == "manager"


@pytest.mark.feature("ACL-06")
def test_the_export_dialog_shows_the_choice(admin_client: Any, base: dict[str, Client]) -> None:
    # given two marks
    session = admin_client.session
    session[MARKS_KEY] = [base["beta"].pk, base["alpha"].pk]
    session.save()

    # when
    html = admin_client.get("/clients/export/").content.decode()

    # then
    assert "Экспорт клиентов" in html
    assert 'data-testid="export-marked">(2)<' in html
    assert "все видимые вам клиенты" in html


@pytest.mark.feature("ACL-06")
def test_the_export_log_lists_newest_first_with_pages(admin_client: Any, admin_user: Any) -> None:
    # given 55 exports
    for number in range(55):
        ClientExport.objects.create(user=admin_user, user_login="admin", format="csv", rows=number,
                                    description=f"выборка {number}", address="10.0.0.1")

    # when
    first = admin_client.get("/administration/client-exports/").content.decode()
    older = re.search(r'href="([^"]+)" data-testid="export-log-older"', first)
    assert older is not None
    second = admin_client.get(older[1].replace("&amp;", "&")).content.decode()
    newer = re.search(r'href="([^"]+)" data-testid="export-log-newer"', second)
    assert newer is not None and 'data-testid="export-log-older"' not in second

    # then
    assert "Журнал экспорта клиентов" in first
    assert first.count('data-testid="export-log-row"') == 50
    assert first.index("выборка 54<") < first.index("выборка 53<")
    assert second.count('data-testid="export-log-row"') == 5
    assert "выборка 0<" in second and "выборка 54<" not in second
    back = admin_client.get(newer[1].replace("&amp;", "&")).content.decode()  # and back again
    assert back.count('data-testid="export-log-row"') == 50 and "выборка 54<" in back and "выборка 4<" not in back
    assert "Журнал экспорта клиентов" in admin_client.get("/").content.decode()  # the menu item


@pytest.mark.feature("ACL-06")
def test_the_export_log_is_for_administrators_only(manager_client: Any) -> None:
    assert manager_client.get("/administration/client-exports/").status_code == 403


@pytest.mark.feature("ACL-06", "ACL-03")
def test_a_large_export_is_read_in_chunks_and_counted(admin_client: Any, admin_user: Any,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # given more clients than one read chunk and one streamed batch
    monkeypatch.setattr(exports, "CHUNK", 7)
    monkeypatch.setattr(exports, "CSV_BATCH", 5)
    other = UserFactory(login="other")
    for number in range(23):
        client_named(f"Клиент {number:02d}", curator=admin_user)
    client_named("Чужой тайный", curator=other, private=True)

    # when
    response = admin_client.post("/clients/export/", {"what": "shown", "format": "csv"})
    pieces = list(response.streaming_content)

    # then the file came in several pieces, all rows in order, and the log counts them
    assert len(pieces) >= 5
    rows = list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig")), delimiter=";"))[1:]
    assert [r[1] for r in rows] == [f"Клиент {n:02d}" for n in range(23)]
    assert ClientExport.objects.get().rows == 23


@pytest.mark.feature("ACL-06", "ACL-03", "REG-01")
def test_export_follows_the_registrys_active_filter_and_logs_its_label(admin_client: Any, admin_user: Any,
                                                                      base: dict[str, Client]) -> None:
    # given a Flexi-filter on the status "Горячий" applied to the registry, named like a template
    status = base["beta"].status
    assert status is not None
    client_named("Дельта горячая тайная", curator=UserFactory(login="other"), private=True, status=status)
    spec = parse({"op": "and", "items": [{"field": "status", "operator": "in", "value": [status.pk]}]},
                 user=admin_user)
    session = admin_client.session
    session[SESSION_KEY] = {"spec": spec, "label": "Горячие клиенты", "ref": ""}
    session.save()

    # when the registry is exported
    dialog = admin_client.get("/clients/export/").content.decode()
    rows = csv_rows(admin_client.post("/clients/export/", {"what": "shown", "format": "csv"}))

    # then the file holds the filtered clients the user sees, and the log names the filter
    assert "по фильтру «Горячие клиенты»" in dialog
    assert [r[1] for r in rows[1:]] == ["Бета"]
    log = ClientExport.objects.get()
    assert (log.rows, log.description) == (1, "Горячие клиенты")


@pytest.mark.feature("ACL-06")
def test_the_export_reads_its_rows_in_one_stream_without_a_query_per_row(admin_client: Any, admin_user: Any) -> None:
    # given five clients with a curator, a status and a city
    status = ClientStatus.objects.create(name="Горячий")

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            client_named(f"Клиент {number:02d}", curator=admin_user, status=status, phone="8 800")

    def export(fmt: str) -> tuple[int, int]:
        with count_queries() as captured:
            response = admin_client.post("/clients/export/", {"what": "shown", "format": fmt})
            rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
        return len(captured), len(rows) - 1

    add(5, 0)
    admin_client.get("/")  # the first request after signing in writes (session, last seen)
    few = {fmt: export(fmt) for fmt in ("csv", "xlsx")}
    # when twenty-five more are exported
    add(25, 5)
    many = {fmt: export(fmt) for fmt in ("csv", "xlsx")}
    # then
    assert {fmt: rows for fmt, (_queries, rows) in few.items()} == {"csv": 5, "xlsx": 5}
    assert {fmt: rows for fmt, (_queries, rows) in many.items()} == {"csv": 30, "xlsx": 30}
    assert {fmt: queries for fmt, (queries, _rows) in many.items()} == {
        fmt: queries for fmt, (queries, _rows) in few.items()}


@pytest.mark.feature("ACL-06")
def test_the_export_log_reads_as_many_queries_for_a_full_page_as_for_a_few_rows(admin_client: Any,
                                                                                 admin_user: Any) -> None:
    # given five exports by two users
    other = UserFactory(login="other")

    def add(count: int) -> None:
        for number in range(count):
            ClientExport.objects.create(user=[admin_user, other][number % 2], user_login="admin", format="csv",
                                        rows=number, description=f"выборка {number}", address="10.0.0.1")

    def measure() -> tuple[int, int]:
        with count_queries() as captured:
            html = admin_client.get("/administration/client-exports/").content.decode()
        return len(captured), html.count('data-testid="export-log-row"')

    add(5)
    admin_client.get("/")  # the first request after signing in writes (session, last seen)
    few = measure()
    # when the page is full
    add(45)
    many = measure()
    # then
    assert (few[1], many[1]) == (5, 50)
    assert many[0] == few[0]


@pytest.mark.feature("ACL-02", "ACL-06")
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_clients_listed_but_not_openable_are_exported_with_the_registry_columns_only(
    fmt: str, admin_user: Any, base: dict[str, Client],
) -> None:
    # given a "list all" user with the right, his own client with card data, and the administrator's «Бета»
    viewer = UserFactory(login="viewer", client_scope="list_all")
    UserRight.objects.create(user=viewer, code="export_clients")
    client_named("Своя", curator=viewer, inn="500100732259", phone="8 495 999-00-00", email="own@example.ru",
                 address="Мира, 2", full_name="ИП Своя")
    # when he exports the registry
    response = signed_in(viewer).post("/clients/export/", {"what": "shown", "format": fmt})
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    by_name = {row[1]: [str(cell) if cell is not None else "" for cell in row] for row in rows[1:]}
    # then «Бета», which he lists but cannot open, carries the registry's columns only: no full name, INN, KPP,
    # address or e-mail (issue 11, F2); his own client carries everything
    beta = by_name["Бета"]
    assert (beta[2], beta[3], beta[4], beta[6], beta[8]) == ("", "", "", "", "")
    assert (beta[7], beta[9], beta[10]) == ("8 495 111-22-33", str(admin_user.full_name), "Горячий")
    own = by_name["Своя"]
    assert (own[2], own[3], own[6], own[8]) == ("ИП Своя", "500100732259", "Мира, 2", "own@example.ru")
    # and the administrator, who opens every card, still gets «Бета» whole
    full = csv_rows(signed_in(admin_user).post("/clients/export/", {"what": "shown", "format": "csv"}))
    assert {row[1]: row for row in full[1:]}["Бета"][3] == "7707083893"
