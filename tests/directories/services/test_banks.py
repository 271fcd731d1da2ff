"""The Bank of Russia's BIK directory (DIR-03): the ED807 file read and checked, imported as a job, audited."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from kontora.core.models import Job
from kontora.core.services.jobs import JobLost
from kontora.directories.models import Bank, BankDirectory
from kontora.directories.services import banks as bank_services
from kontora.directories.services.banks import banks_import_start, ed807_parse
from tests.directories.support import ACCOUNT, ALFA, SBER, VTB, audit_rows, ed807, imports_dir, run_import

pytestmark = [pytest.mark.django_db, pytest.mark.feature("DIR-03")]


def test_parser_reads_a_windows_1251_file_with_the_correspondent_account() -> None:
    # given a closed correspondent account listed before the active one, and a non-CRSA account
    sber = dict(SBER, accounts=(
        ACCOUNT.format(account="30101810000000000001", kind="CRSA", status="ACDL")
        + ACCOUNT.format(account="30101810400000000225", kind="CRSA", status="ACAC")
        + ACCOUNT.format(account="30102810000000000002", kind="CBRA", status="ACAC")
    ))
    # when
    records = list(ed807_parse(io.BytesIO(ed807(sber))))
    # then
    assert len(records) == 1
    record = records[0]
    assert (record.bik, record.name, record.corr_account, record.city, record.address, record.status) == (
        "044525225", "ПАО Сбербанк", "30101810400000000225", "г Москва", "117312, г Москва, ул Вавилова, 19",
        "PSAC",
    )


def test_a_file_that_is_not_ed807_is_refused_with_the_reason() -> None:
    # given
    data = b'<?xml version="1.0" encoding="utf-8"?><Banks><Bank BIC="044525225"/></Banks>'
    # when
    with pytest.raises(ValidationError) as error:
        list(ed807_parse(io.BytesIO(data)))
    # then
    assert error.value.messages == [
        "Это не файл справочника БИК Банка России (ED807): корневой элемент — Banks"
    ]


def test_administrator_imports_three_banks_as_a_job(admin_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    # given a BIK directory of three banks in windows-1251
    data = ed807(SBER, ALFA, VTB)
    # when
    job = run_import(admin_user, data, django_capture_on_commit_callbacks)
    # then
    assert job.status == Job.Status.DONE
    assert (job.kind, job.done, job.total) == ("banks_import", 3, 3)
    assert job.result["summary"] == (
        "Банков в файле: 3; добавлено: 3; изменено: 0; отсутствуют в файле и сделаны недействующими: 0."
    )
    banks = {bank.bik: bank for bank in Bank.objects.all()}
    assert set(banks) == {"044525225", "044525593", "044525187"}
    vtb = banks["044525187"]
    assert (vtb.name, vtb.corr_account, vtb.city, vtb.status, vtb.is_active, vtb.name_key) == (
        "Банк ВТБ (ПАО)", "30101810700000000187", "г Санкт-Петербург", "PSAC", True, "банк втб пао"
    )
    assert imports_dir() == []  # the uploaded file is removed after the job


def test_reimport_updates_changed_banks_and_deactivates_absent_ones(
    admin_user: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    # given three imported banks
    run_import(admin_user, ed807(SBER, ALFA, VTB), django_capture_on_commit_callbacks)
    # when a newer file renames one bank, drops another and lists one as being removed
    renamed = dict(SBER, name="ПАО СБЕРБАНК", adr="ул Вавилова, д 19")
    removing = dict(ALFA, status="PSDL")
    job = run_import(admin_user, ed807(renamed, removing), django_capture_on_commit_callbacks)
    # then
    assert job.result["summary"] == (
        "Банков в файле: 2; добавлено: 0; изменено: 2; отсутствуют в файле и сделаны недействующими: 1."
    )
    sber = Bank.objects.get(bik="044525225")
    assert (sber.name, sber.address, sber.is_active) == ("ПАО СБЕРБАНК", "117312, г Москва, ул Вавилова, д 19", True)
    assert Bank.objects.get(bik="044525593").is_active is False
    assert Bank.objects.get(bik="044525187").is_active is False
    assert Bank.objects.count() == 3


def test_each_import_writes_one_audit_row_with_its_counts(
    admin_user: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    # when: an import, then a newer file without one of the banks
    run_import(admin_user, ed807(SBER, ALFA, VTB), django_capture_on_commit_callbacks)
    run_import(admin_user, ed807(SBER, ALFA), django_capture_on_commit_callbacks)
    # then: one row per upload, by the administrator who uploaded the file
    first, second = audit_rows("directories.bank.import")
    assert (first.actor, first.summary, first.extra) == (
        admin_user, "Справочник БИК загружен",
        {"total": 3, "created": 3, "updated": 0, "deactivated": 0, "directory_date": "2026-11-27"},
    )
    assert second.extra == {"total": 2, "created": 0, "updated": 0, "deactivated": 1, "directory_date": "2026-11-27"}


def test_an_import_records_the_date_of_the_directory_file(
    admin_user: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    # given no import yet
    assert not BankDirectory.objects.exists()
    # when: a file of 1 June, then a newer one of 27 November
    run_import(admin_user, ed807(SBER, ed_date="2026-06-01"), django_capture_on_commit_callbacks)
    first = BankDirectory.objects.get()
    run_import(admin_user, ed807(SBER, ALFA, ed_date="2026-11-27"), django_capture_on_commit_callbacks)
    # then: one row, with the date of the banks' data as the file states it
    assert first.directory_date == date(2026, 6, 1)
    row = BankDirectory.objects.get()
    assert row.directory_date == date(2026, 11, 27)
    assert row.imported_at >= first.imported_at


def test_a_file_without_a_readable_date_is_dated_by_its_import(
    admin_user: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    # when
    run_import(admin_user, ed807(SBER, ed_date="27.11.2026"), django_capture_on_commit_callbacks)
    # then
    assert BankDirectory.objects.get().directory_date == timezone.localdate()


def test_a_failed_import_leaves_the_directory_date_as_it_was(
    admin_user: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    # given an import of 1 June
    run_import(admin_user, ed807(SBER, ed_date="2026-06-01"), django_capture_on_commit_callbacks)
    # when a newer but broken file is uploaded
    job = run_import(admin_user, ed807(SBER, ed_date="2026-11-27")[:-40], django_capture_on_commit_callbacks)
    # then
    assert job.status == Job.Status.FAILED
    assert BankDirectory.objects.get().directory_date == date(2026, 6, 1)


def test_a_zipped_file_as_published_by_the_bank_of_russia_is_read(
    admin_user: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    # given the directory inside a zip archive
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("20261127_ED807_full.xml", ed807(SBER, VTB))
    # when
    job = run_import(admin_user, archive.getvalue(), django_capture_on_commit_callbacks, filename="bik.zip")
    # then
    assert job.status == Job.Status.DONE
    assert Bank.objects.count() == 2


@pytest.mark.parametrize("prolog", [
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n',
    '<!DOCTYPE ED807 SYSTEM "file:///etc/passwd">\n',
])
def test_a_file_with_doctype_or_entities_is_refused_before_parsing(admin_user: Any, prolog: str) -> None:
    # given
    data = ed807(SBER, prolog=prolog)
    # when
    with pytest.raises(ValidationError) as error:
        banks_import_start(acting_user=admin_user, upload=io.BytesIO(data), filename="ed807.xml")
    # then
    assert error.value.messages == [
        "Файл содержит объявление DOCTYPE или сущностей, которого в справочнике БИК не бывает; файл отклонён."
    ]
    assert not Job.objects.exists()
    assert imports_dir() == []


def test_a_utf16_file_is_refused_with_the_encoding_named(admin_user: Any) -> None:
    # given
    data = ed807(SBER, encoding="utf-16")
    # when
    with pytest.raises(ValidationError) as error:
        banks_import_start(acting_user=admin_user, upload=io.BytesIO(data), filename="ed807.xml")
    # then
    assert error.value.messages == ["Кодировка файла не поддерживается; ожидается windows-1251 или UTF-8."]


def test_a_broken_file_fails_the_job_with_the_reason(admin_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    # given a truncated file
    data = ed807(SBER)[:-40]
    # when
    job = run_import(admin_user, data, django_capture_on_commit_callbacks)
    # then
    assert job.status == Job.Status.FAILED
    assert job.errors[0].startswith("Это не файл справочника БИК Банка России (ED807): ")
    assert imports_dir() == []
    assert audit_rows("directories.bank.import") == []


# --- an import taken over from a run that died goes on from its checkpoint (SYS-10) ----------------------------


def _kept_upload(data: bytes) -> str:
    """The upload as banks_import_start keeps it, without starting the job."""
    folder = Path(settings.FILES_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "banks-test.xml").write_bytes(data)
    return "banks-test.xml"


@pytest.mark.feature("SYS-10")
def test_an_import_taken_over_goes_on_after_the_last_committed_batch_and_closes_once(
    admin_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: batches of one bank; the first run saved two batches, then lost the job (its worker stalled)
    monkeypatch.setattr(bank_services, "BATCH_SIZE", 1)
    file = _kept_upload(ed807(SBER, ALFA, VTB))
    saved: list[dict[str, Any]] = []

    def first_progress(done: int, total: int | None, message: str) -> None:
        if done == 2:
            raise JobLost

    with pytest.raises(JobLost):
        bank_services.banks_import(acting_user=admin_user, file=file, progress=first_progress,
                                   checkpoint=saved.append)
    assert Bank.objects.count() == 2
    assert saved[-1] == {"next": 2, "created": 2, "updated": 0}
    assert imports_dir()  # kept for the run that takes over
    # when: another run takes the job over from its checkpoint
    done = bank_services.banks_import(acting_user=admin_user, file=file, progress=lambda *args: None,
                                      resume=saved[-1], checkpoint=saved.append)
    # then: the third bank was added by it, every bank counted once as added, the import audited once
    assert done == bank_services.BanksImported(total=3, created=3, updated=0, deactivated=0)
    assert Bank.objects.count() == 3
    assert [row.extra for row in audit_rows("directories.bank.import")] == [
        {"total": 3, "created": 3, "updated": 0, "deactivated": 0, "directory_date": "2026-11-27"}
    ]
    assert saved[-1] == {"result": {"total": 3, "created": 3, "updated": 0, "deactivated": 0}}
    assert imports_dir() == []
    # when: the run that closed it died before the job's end was recorded, and yet another run takes over
    again = bank_services.banks_import(acting_user=admin_user, file=file, progress=lambda *args: None,
                                       resume=saved[-1], checkpoint=saved.append)
    # then: nothing is imported or audited twice
    assert again == done
    assert len(audit_rows("directories.bank.import")) == 1
