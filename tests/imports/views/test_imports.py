"""Администрирование → «Импорт клиентов» (IMP-01 … IMP-04): the upload and its load as a job, the mapping and a load
again, the grid and a row's fix in place, the dry run, the write, undo, the error report, and the refusals."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from kontora.clients.models import Client
from kontora.core.models import AuditEvent, Job, StoredPurge
from kontora.core.services.jobs import job_run
from kontora.directories.models import ClientStatus
from kontora.imports.models import Import, ImportRow
from tests.activity.factories import EventFactory
from tests.clients.factories import ClientFactory
from tests.directories.factories import PriorityFactory
from tests.imports.support import TWO_SHEETS, checksum, csv_upload, importer, loaded, workbook
from tests.support.http import html, signed_in
from tests.support.queries import assert_flat_queries

DATA = Path(__file__).parent.parent / "data"
ROWS = [["ООО «Альфа»", "Альфа", "+7 495 123-45-67", "alpha@example.ru", "7707083893", "773601001", ""],
        ["ООО «Бета»", "Бета", "", "не почта", "1234567890", "", ""]]


@pytest.fixture(autouse=True)
def files_home(settings: Any, tmp_path: Path) -> Path:
    """Uploads kept in a folder of the test's own."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    return tmp_path


def _upload(http: Any, name: str, content: bytes) -> Any:
    return http.post("/imports/", {"file": SimpleUploadedFile(name, content)})


def _ran(response: Any) -> Job:
    """The job the answer's redirect watches, run as a worker would."""
    assert response.status_code == 302, response.content[:500]
    job_id = int(re.search(r"job=(\d+)", response["Location"]).group(1))  # type: ignore[union-attr]
    job = job_run(job_id=job_id)
    assert job is not None
    return job


@pytest.mark.feature("IMP-01")
def test_an_upload_is_loaded_by_a_job_and_its_page_shows_the_rows_and_the_mapping(db: Any) -> None:
    user = importer()
    http = signed_in(user)
    job = _ran(_upload(http, "clients.csv", csv_upload(ROWS).getvalue()))
    assert job.status == "done", job.errors
    run = Import.objects.get()
    assert (run.rows_total, run.rows_with_errors, run.encoding, run.delimiter) == (2, 1, "utf-8", ";")
    assert job.result["url"] == f"/imports/{run.pk}/"
    page = html(http.get(job.result["url"]))
    assert 'data-testid="import-mapping"' in page and "ООО «Альфа»" in page
    assert page.count('data-testid="import-row"') == 2
    assert 'data-severity="error"' in page  # «не почта»


@pytest.mark.feature("IMP-01")
def test_the_manuals_sample_workbook_loads_without_a_header_in_the_order_a_to_n(db: Any) -> None:
    user = importer()
    http = signed_in(user)
    job = _ran(_upload(http, "arsenal.xlsx", (DATA / "arsenal.xlsx").read_bytes()))
    assert job.status == "done", job.errors
    run = Import.objects.get()
    assert run.sheet and run.rows_total >= 1
    assert "Арсенал-Сервис" in html(http.get(f"/imports/{run.pk}/"))


@pytest.mark.feature("IMP-01")
def test_a_file_that_is_not_a_spreadsheet_is_refused_next_to_the_file_field(db: Any) -> None:
    user = importer()
    response = _upload(signed_in(user), "clients.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert response.status_code == 400
    assert 'data-testid="error-file"' in html(response)
    assert "не является таблицей" in html(response) or "not a spreadsheet" in html(response)
    assert not Job.objects.exists() and not Import.objects.exists()


@pytest.mark.feature("IMP-01")
def test_without_the_right_every_page_is_refused_and_anothers_import_is_not_found(db: Any, manager_user: Any) -> None:
    owner = importer()
    run = loaded(owner, ROWS)
    assert signed_in(manager_user).get("/imports/").status_code == 403
    assert signed_in(manager_user).get(f"/imports/{run.pk}/").status_code == 403
    other = signed_in(importer())
    assert other.get(f"/imports/{run.pk}/").status_code == 404
    assert other.get(f"/imports/{run.pk}/errors.csv").status_code == 404
    assert other.post(f"/imports/{run.pk}/check/", {"on_match": "update"}).status_code == 404
    assert other.post(f"/imports/{run.pk}/rows/1/", {"full_name": "x"}).status_code == 404


@pytest.mark.feature("IMP-01")
def test_a_load_again_with_another_mapping_replaces_the_import(db: Any) -> None:
    user = importer()
    http = signed_in(user)
    _ran(_upload(http, "clients.csv", csv_upload(ROWS).getvalue()))
    first = Import.objects.get()
    form = {"header": "on", "encoding": "utf-8", "delimiter": ";", "col0": "full_name", "col1": "short_name",
            "col2": "phone", "person_names": "on"}  # e-mail, INN, KPP and note no longer mapped
    job = _ran(http.post(f"/imports/{first.pk}/reload/", form))
    assert job.status == "done", job.errors
    second = Import.objects.exclude(pk=first.pk).get()
    first.refresh_from_db()
    assert first.state == Import.State.CANCELLED
    assert (second.rows_with_errors, second.options["import_note"]) == (0, False)
    assert set(second.mapping.values()) == {"full_name", "short_name", "phone"}


@pytest.mark.feature("IMP-02")
def test_a_row_is_fixed_in_place_and_its_problems_are_shown_beside_its_cells(db: Any) -> None:
    user = importer()
    run = loaded(user, ROWS)
    http = signed_in(user)
    form = html(http.get(f"/imports/{run.pk}/rows/3/"))
    assert 'data-testid="import-row-form"' in form and 'value="не почта"' in form
    values = {key: ImportRow.objects.get(run=run, number=3).values.get(key, "") for key in run.mapping.values()}
    response = http.post(f"/imports/{run.pk}/rows/3/", {**values, "email": "beta@example.ru",
                                                                        "inn": "7707083893"})
    assert response.status_code == 200
    assert 'data-testid="import-row"' in html(response) and 'data-severity="error"' not in html(response)
    row = ImportRow.objects.get(run=run, number=3)
    assert (row.values["email"], row.has_errors) == ("beta@example.ru", False)


@pytest.mark.feature("IMP-02")
def test_the_grid_reads_as_many_queries_with_many_rows_as_with_one(db: Any) -> None:
    user = importer()
    http = signed_in(user)
    state: dict[str, Any] = {}

    def add(number: int) -> None:
        if number == 0:
            state["run"] = loaded(user, [["ООО «Ромашка 0»", "Ромашка 0", "", "", "", "", ""]])
        else:
            ImportRow.objects.create(run=state["run"], number=100 + number,
                                     values={"full_name": f"ООО «Ромашка {number}»"})

    page = assert_flat_queries(lambda: html(http.get(f"/imports/{state['run'].pk}/")), add)
    assert page.count('data-testid="import-row"') == 20


@pytest.mark.feature("IMP-03", "IMP-04")
def test_the_dry_run_the_write_the_error_report_and_undo(db: Any) -> None:
    user = importer()
    existing = ClientFactory(curator=user, inn="7707083893", kpp="773601001", short_name="Альфа старая",
                             full_name="ООО «Альфа старая»")
    run = loaded(user, [*ROWS, ["ООО «Гамма»", "Гамма", "", "", "", "", ""]])
    http = signed_in(user)
    before = checksum()
    job = _ran(http.post(f"/imports/{run.pk}/check/", {"match_key": "inn_kpp", "on_match": "update"}))
    assert job.status == "done", job.errors
    assert checksum() == before  # the dry run changes nothing
    page = html(http.get(f"/imports/{run.pk}/"))
    assert 'data-testid="import-counts"' in page and 'data-testid="import-change"' in page
    assert "Альфа старая" in page and 'data-testid="import-start"' in page
    report = b"".join(http.get(f"/imports/{run.pk}/errors.csv").streaming_content).decode()
    assert report.startswith("\ufeff") and ";3;" not in report and "\r\n3;" in report  # row 3's bad e-mail
    job = _ran(http.post(f"/imports/{run.pk}/start/"))
    assert job.status == "done", job.errors
    run.refresh_from_db()
    assert (run.state, run.created, run.updated) == (Import.State.DONE, 1, 1)
    existing.refresh_from_db()
    assert existing.short_name == "Альфа"
    assert 'data-testid="import-undo"' in html(http.get(f"/imports/{run.pk}/"))
    job = _ran(http.post(f"/imports/{run.pk}/undo/"))
    assert job.status == "done", job.errors
    run.refresh_from_db()
    existing.refresh_from_db()
    assert run.state == Import.State.UNDONE and existing.short_name == "Альфа старая"
    assert not Client.objects.filter(short_name="Гамма").exists()


@pytest.mark.feature("IMP-03")
def test_an_import_can_be_cancelled_while_running(db: Any) -> None:
    user = importer()
    run = loaded(user, [["ООО «Гамма»", "Гамма", "", "", "", "", ""]])
    http = signed_in(user)
    _ran(http.post(f"/imports/{run.pk}/check/", {"on_match": "update"}))
    assert http.post(f"/imports/{run.pk}/start/").status_code == 302
    assert http.post(f"/imports/{run.pk}/cancel/").status_code == 302
    run.refresh_from_db()
    assert run.state == Import.State.CANCELLED and not Client.objects.exists()


@pytest.mark.feature("IMP-01")
def test_the_list_shows_the_users_imports_in_as_many_queries_whatever_their_number(db: Any) -> None:
    user = importer()
    http = signed_in(user)
    rows = [["ООО «Гамма»", "Гамма", "", "", "", "", ""]]
    page = assert_flat_queries(lambda: html(http.get("/imports/")), lambda _n: loaded(user, rows),
                               rows=5)
    assert page.count('data-testid="imports-item"') == 5


@pytest.mark.feature("IMP-02")
def test_a_rows_fix_posted_from_the_grid_keeps_one_import_note(db: Any) -> None:
    user = importer()
    with translation.override("en"):  # the user's language, as the job loading for him would speak
        run = loaded(user, [["ООО «Альфа»", "Альфа", "", "", "", "", "Клиент Смирнова"]])
    note = ImportRow.objects.get(run=run).values["note"]
    assert note.startswith("Клиент Смирнова\nImported from clients.csv")
    # when the grid posts the row back: its one-line note field lost the line break
    http = signed_in(user)
    values = {key: ImportRow.objects.get(run=run).values.get(key, "") for key in run.mapping.values()}
    http.post(f"/imports/{run.pk}/rows/2/", {**values, "note": note.replace("\n", "")})
    # then the note holds the import's line once
    assert ImportRow.objects.get(run=run).values["note"] == note


@pytest.mark.feature("IMP-03")
def test_the_status_and_priority_chosen_go_to_every_new_client(db: Any) -> None:
    user = importer()
    status, priority = ClientStatus.objects.create(name="Новый импорт"), PriorityFactory(name="Срочный")
    run = loaded(user, [["ООО «Гамма»", "Гамма", "", "", "", "", ""]])
    http = signed_in(user)
    assert 'data-testid="import-check-form"' in html(http.get(f"/imports/{run.pk}/"))
    _ran(http.post(f"/imports/{run.pk}/check/", {"on_match": "update", "status": status.pk,
                                                                 "priority": priority.pk}))
    _ran(http.post(f"/imports/{run.pk}/start/"))
    client = Client.objects.get(short_name="Гамма")
    assert (client.status_id, client.priority_id) == (status.pk, priority.pk)


@pytest.mark.feature("IMP-03")
def test_undo_of_clients_changed_since_is_refused_naming_them(db: Any) -> None:
    user = importer()
    run = loaded(user, [["ООО «Гамма»", "Гамма", "", "", "", "", ""]])
    http = signed_in(user)
    _ran(http.post(f"/imports/{run.pk}/check/", {"on_match": "update"}))
    _ran(http.post(f"/imports/{run.pk}/start/"))
    created = Client.objects.get(short_name="Гамма")
    EventFactory(client=created, author=user)
    # when the import is undone
    response = http.post(f"/imports/{run.pk}/undo/")
    job = _ran(response)
    # then the undo is refused, naming the client, and its page says so
    assert job.status == "failed"
    assert f"{created.code} · Гамма" in job.errors[0]
    assert f"{created.code} · Гамма" in html(http.get(response["Location"]))
    run.refresh_from_db()
    assert run.state == Import.State.DONE and Client.objects.filter(pk=created.pk).exists()


@pytest.mark.feature("IMP-01")
def test_the_kept_upload_leaves_the_storage_once_the_import_is_written(db: Any) -> None:
    user = importer()
    http = signed_in(user)
    _ran(_upload(http, "clients.csv", csv_upload([["ООО «Гамма»", "Гамма", "", "", "", "", ""]]).getvalue()))
    run = Import.objects.get()
    name = run.upload
    assert name.startswith("imports/import-") and default_storage.exists(name)
    _ran(http.post(f"/imports/{run.pk}/check/", {"on_match": "update"}))
    _ran(http.post(f"/imports/{run.pk}/start/"))
    run.refresh_from_db()
    # then it is queued for removal (it goes once the transaction commits and no backup runs)
    assert run.upload == "" and StoredPurge.objects.filter(name=name).exists()


@pytest.mark.feature("IMP-01")
def test_a_file_without_rows_under_its_header_fails_its_load_and_keeps_nothing(db: Any) -> None:
    user = importer()
    job = _ran(_upload(signed_in(user), "clients.csv", csv_upload([]).getvalue()))
    assert job.status == "failed" and job.errors
    assert not Import.objects.exists()
    assert default_storage.listdir("imports")[1] == []


@pytest.mark.feature("IMP-02")
def test_a_rows_fix_once_the_import_has_started_is_refused_in_the_row(db: Any) -> None:
    user = importer()
    run = loaded(user, [["ООО «Гамма»", "Гамма", "", "", "", "", ""]])
    http = signed_in(user)
    _ran(http.post(f"/imports/{run.pk}/check/", {"on_match": "update"}))
    _ran(http.post(f"/imports/{run.pk}/start/"))
    response = http.post(f"/imports/{run.pk}/rows/2/", {"full_name": "ООО «Дельта»"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-testid="import-row-refused"' in html(response)
    assert ImportRow.objects.get(run=run).values["full_name"] == "ООО «Гамма»"


@pytest.mark.feature("IMP-04")
def test_the_dry_run_shows_a_matched_clients_status_curator_and_new_contact_in_russian(db: Any) -> None:
    # given a Russian-speaking importer and a client of his with a status and no contact person
    user = importer()
    user.language = "ru"
    user.save(update_fields=["language"])
    old = ClientStatus.objects.create(name="Новый", name_key="новый")
    ClientStatus.objects.create(name="Постоянный", name_key="постоянный")
    ClientFactory(curator=user, inn="7707083893", short_name="Альфа", status=old)
    header = ["Наименование", "ИНН", "Статус", "Куратор", "ФИО контактного лица"]
    run = loaded(user, [["Альфа", "7707083893", "постоянный", user.login, "иванов иван"]], header)
    http = signed_in(user)
    # when
    job = _ran(http.post(f"/imports/{run.pk}/check/", {"match_key": "inn", "on_match": "update"}))
    # then
    assert job.status == "done", job.errors
    page = html(http.get(f"/imports/{run.pk}/"))
    assert "Статус: Новый → Постоянный" in page
    assert "Контактное лицо: — → Иванов Иван" in page
    assert "Куратор:" not in page  # he is its curator already


def _reload_form(page: str) -> dict[str, str]:
    """The step 1 form as the page fills it: its selects' chosen options and its ticked boxes."""
    form = page[page.index('data-testid="import-reload-form"'):page.index("</form>", page.index(
        'data-testid="import-reload-form"'))]
    data = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    for tag in re.findall(r'<input type="checkbox"[^>]*>', form):
        if " checked" in tag:
            data[re.search(r'name="([^"]+)"', tag).group(1)] = "on"  # type: ignore[union-attr]
    return data


@pytest.mark.feature("IMP-01")
def test_a_workbooks_sheets_are_offered_and_another_sheet_is_read_with_its_own_columns(db: Any) -> None:
    # given a workbook of two sheets, loaded (the first sheet with clients is read)
    user = importer()
    http = signed_in(user)
    _ran(_upload(http, "clients.xlsx", workbook(TWO_SHEETS)))
    first = Import.objects.get()
    assert first.sheet == "Клиенты"
    # when its page is opened
    page = html(http.get(f"/imports/{first.pk}/"))
    # then the sheet is chosen from the workbook's sheets, and a choice sends the form at once
    select = re.search(r'<select name="sheet"[^>]*>.*?</select>', page, re.S)
    assert select is not None
    assert "data-k-submit-on-change" in select.group(0)
    assert re.findall(r'<option value="([^"]*)"', select.group(0)) == ["Клиенты", "Поставщики"]
    # when the other sheet is chosen (the form as the page has it, with the old sheet's mapping)
    job = _ran(http.post(f"/imports/{first.pk}/reload/", {**_reload_form(page), "sheet": "Поставщики"}))
    # then it is read, its columns mapped afresh from its own header
    assert job.status == "done", job.errors
    second = Import.objects.exclude(pk=first.pk).get()
    assert (second.sheet, second.rows_total) == ("Поставщики", 2)
    assert second.mapping == {"0": "phone", "1": "short_name", "2": "full_name", "3": "email"}
    assert set(ImportRow.objects.filter(run=second).values_list("values__short_name", flat=True)) == {
        "Вектор", "Гранит"}
    first.refresh_from_db()
    assert first.state == Import.State.CANCELLED


@pytest.mark.feature("IMP-01")
def test_a_sheet_the_workbook_has_not_is_refused_next_to_the_field(db: Any) -> None:
    user = importer()
    http = signed_in(user)
    _ran(_upload(http, "clients.xlsx", workbook(TWO_SHEETS)))
    run = Import.objects.get()
    page = html(http.get(f"/imports/{run.pk}/"))
    response = http.post(f"/imports/{run.pk}/reload/", {**_reload_form(page), "sheet": "Склад"})
    assert response.status_code == 400
    assert Job.objects.count() == 1


@pytest.mark.feature("IMP-02")
def test_a_switch_of_the_automatic_processing_sends_the_form_and_the_rows_are_processed_again(db: Any) -> None:
    # given a loaded CSV whose second row has a wrong e-mail
    user = importer()
    http = signed_in(user)
    _ran(_upload(http, "clients.csv", csv_upload(ROWS).getvalue()))
    first = Import.objects.get()
    page = html(http.get(f"/imports/{first.pk}/"))
    # then each switch sends the form when changed, and the button stays for a browser without JavaScript
    switches = re.findall(r'<input type="checkbox" name="(\w+)"[^>]*>', page)
    options = [name for name in switches if name != "header"]
    assert len(options) == 7
    assert all("data-k-submit-on-change" in tag for tag in re.findall(
        r'<input type="checkbox" name="(?!header)\w+"[^>]*>', page))
    assert 'data-testid="import-reload"' in page
    # when «Проверять e-mail» is switched off (what the form sends on its change)
    form = _reload_form(page)
    form.pop("emails")
    job = _ran(http.post(f"/imports/{first.pk}/reload/", form))
    # then the rows are processed again without that check
    assert job.status == "done", job.errors
    second = Import.objects.exclude(pk=first.pk).get()
    assert second.options["emails"] is False
    assert [p["field"] for row in ImportRow.objects.filter(run=first) for p in row.problems].count("email") == 1
    assert [p["field"] for row in ImportRow.objects.filter(run=second) for p in row.problems].count("email") == 0
    assert job.result["url"] == f"/imports/{second.pk}/"


@pytest.mark.feature("IMP-01")
def test_the_import_pages_progress_follows_the_job_to_the_imports_page(db: Any) -> None:
    # given an upload whose load is queued
    user = importer()
    http = signed_in(user)
    response = _upload(http, "clients.csv", csv_upload(ROWS).getvalue())
    job_id = int(re.search(r"job=(\d+)", response["Location"]).group(1))  # type: ignore[union-attr]
    # then the list's progress bar asks to be followed
    assert f'hx-get="/jobs/{job_id}/progress/?follow=1"' in html(http.get(response["Location"]))
    # when the worker has loaded it
    job_run(job_id=job_id)
    answer = http.get(f"/jobs/{job_id}/progress/?follow=1", HTTP_HX_REQUEST="true")
    # then the poll takes the page to the new import
    run = Import.objects.get()
    assert answer.status_code == 204 and answer["HX-Redirect"] == f"/imports/{run.pk}/"
    # and a page opened for it now that it is done goes there at once
    landing = http.get(response["Location"])
    assert (landing.status_code, landing["Location"]) == (302, f"/imports/{run.pk}/")
    # and so does the dry run's on the import's page
    check = http.post(f"/imports/{run.pk}/check/", {"on_match": "update"})
    assert "?follow=1" in html(http.get(check["Location"]))
    _ran(check)
    landing = http.get(check["Location"])
    assert (landing.status_code, landing["Location"]) == (302, f"/imports/{run.pk}/")


@pytest.mark.feature("IMP-01")
def test_an_import_not_yet_written_is_deleted_with_its_rows_and_file(db: Any) -> None:
    # given a loaded and checked import, its file kept
    user = importer()
    http = signed_in(user)
    _ran(_upload(http, "clients.csv", csv_upload(ROWS).getvalue()))
    run = Import.objects.get()
    _ran(http.post(f"/imports/{run.pk}/check/", {"on_match": "update"}))
    name = run.upload
    assert 'data-testid="import-delete"' in html(http.get(f"/imports/{run.pk}/"))
    # when another importer tries, then the author deletes it
    assert signed_in(importer()).post(f"/imports/{run.pk}/delete/").status_code == 404
    response = http.post(f"/imports/{run.pk}/delete/")
    # then the import, its rows and its file go; the audit row stays
    assert response.status_code == 302 and response["Location"] == "/imports/"
    assert not Import.objects.exists() and not ImportRow.objects.exists()
    assert StoredPurge.objects.filter(name=name).exists()
    assert AuditEvent.objects.filter(event="imports.import.delete", target_id=run.pk).count() == 1


@pytest.mark.feature("IMP-04")
def test_a_written_import_is_not_deleted_only_undone(db: Any) -> None:
    # given a written import
    user = importer()
    http = signed_in(user)
    _ran(_upload(http, "clients.csv", csv_upload([["ООО «Гамма»", "Гамма", "", "", "", "", ""]]).getvalue()))
    run = Import.objects.get()
    _ran(http.post(f"/imports/{run.pk}/check/", {"on_match": "update"}))
    _ran(http.post(f"/imports/{run.pk}/start/"))
    assert 'data-testid="import-delete"' not in html(http.get(f"/imports/{run.pk}/"))
    # when / then
    response = http.post(f"/imports/{run.pk}/delete/")
    assert response.status_code == 422
    assert "The import has started writing: it can no longer be deleted, only undone." in html(response)
    assert Import.objects.filter(pk=run.pk).exists() and Client.objects.filter(short_name="Гамма").exists()


@pytest.mark.feature("IMP-04")
def test_an_undone_import_names_the_clients_it_left_as_they_were_changed_during_the_undo(db: Any) -> None:
    # given an import undone but for a client changed while the undo ran (services.writing.import_undo)
    user = importer()
    client = ClientFactory(short_name="Гамма", curator=user)
    run = loaded(user, ROWS)
    Import.objects.filter(pk=run.pk).update(state=Import.State.UNDONE, kept=[
        {"client": client.pk, "reason": "the card was changed since"}])
    # when
    page = html(signed_in(user).get(f"/imports/{run.pk}/"))
    # then
    kept = page[page.index('data-testid="import-kept"'):]
    assert "Not taken back — changed during the undo, left as they are now:" in kept
    assert f'href="/clients/{client.pk}/"' in kept and "the card was changed since" in kept
