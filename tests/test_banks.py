"""Directories → Banks (DIR-03 reference data): the Bank of Russia's BIK directory (ED807) import and bank by BIK."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kontora.core.models import Job
from kontora.directories.banks import bank_by_bik, bank_search, banks_import_start, ed807_parse
from kontora.directories.models import Bank
from tests.support.http import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.feature("DIR-03")]

ENTRY = """<BICDirectoryEntry BIC="{bik}">
  <ParticipantInfo NameP="{name}" RegN="{regn}" CntrCd="RU" Rgn="45" Ind="{ind}" Tnp="г" Nnp="{city}" Adr="{adr}"
    DateIn="1991-08-20" PtType="20" Srvcs="5" XchType="1" UID="{bik}0" ParticipantStatus="{status}"/>
  {accounts}
</BICDirectoryEntry>"""
ACCOUNT = ('<Accounts Account="{account}" RegulationAccountType="{kind}" CK="59" AccountCBRBIC="044525000" '
           'DateIn="2007-01-01" AccountStatus="{status}"/>')

SBER = {"bik": "044525225", "name": "ПАО Сбербанк", "regn": "1481", "ind": "117312", "city": "Москва",
        "adr": "ул Вавилова, 19", "status": "PSAC",
        "accounts": ACCOUNT.format(account="30101810400000000225", kind="CRSA", status="ACAC")}
ALFA = {"bik": "044525593", "name": "АО «АЛЬФА-БАНК»", "regn": "1326", "ind": "107078", "city": "Москва",
        "adr": "ул Каланчевская, 27", "status": "PSAC",
        "accounts": ACCOUNT.format(account="30101810200000000593", kind="CRSA", status="ACAC")}
VTB = {"bik": "044525187", "name": "Банк ВТБ (ПАО)", "regn": "1000", "ind": "191144", "city": "Санкт-Петербург",
       "adr": "пер Дегтярный, 11, лит А", "status": "PSAC",
       "accounts": ACCOUNT.format(account="30101810700000000187", kind="CRSA", status="ACAC")}


def ed807(*entries: dict[str, str], encoding: str = "windows-1251", prolog: str = "") -> bytes:
    body = "\n".join(ENTRY.format(**entry) for entry in entries)
    text = (f'<?xml version="1.0" encoding="{encoding}"?>\n{prolog}'
            '<ED807 xmlns="urn:cbr-ru:ed:v2.0" EDNo="100" EDDate="2026-11-27" EDAuthor="4583001999" '
            'CreationReason="FCBD" CreationDateTime="2026-11-27T06:00:00Z" InfoTypeCode="FIRR" '
            f'BusinessDay="2026-11-27" DirectoryVersion="1">\n{body}\n</ED807>\n')
    return text.encode(encoding)


def run_import(user, data: bytes, capture, filename: str = "20261127_ED807_full.xml") -> Job:
    with capture(execute=True):
        job = banks_import_start(acting_user=user, upload=io.BytesIO(data), filename=filename)
    job.refresh_from_db()
    return job


def imports_dir() -> list[Path]:
    folder = Path(settings.FILES_DIR) / "imports"
    return sorted(folder.glob("banks-*")) if folder.exists() else []


def test_parser_reads_a_windows_1251_file_with_the_correspondent_account():
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


def test_a_file_that_is_not_ed807_is_refused_with_the_reason():
    # given
    data = b'<?xml version="1.0" encoding="utf-8"?><Banks><Bank BIC="044525225"/></Banks>'
    # when
    with pytest.raises(ValidationError) as error:
        list(ed807_parse(io.BytesIO(data)))
    # then
    assert error.value.messages == [
        "Это не файл справочника БИК Банка России (ED807): корневой элемент — Banks"
    ]


def test_administrator_imports_three_banks_as_a_job(admin_user, django_capture_on_commit_callbacks):
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


def test_reimport_updates_changed_banks_and_deactivates_absent_ones(admin_user, django_capture_on_commit_callbacks):
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


def test_a_zipped_file_as_published_by_the_bank_of_russia_is_read(admin_user, django_capture_on_commit_callbacks):
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
def test_a_file_with_doctype_or_entities_is_refused_before_parsing(admin_user, prolog):
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


def test_the_upload_page_shows_the_refusal_next_to_the_file_field(admin_client):
    # given
    data = ed807(SBER, prolog='<!DOCTYPE x [<!ENTITY e "e">]>\n')
    # when
    response = admin_client.post(
        "/directories/banks/import/", {"file": SimpleUploadedFile("ed807.xml", data, "text/xml")}
    )
    # then
    assert response.status_code == 400
    assert ('data-testid="error-file">Файл содержит объявление DOCTYPE или сущностей, которого в справочнике БИК '
            "не бывает; файл отклонён.</div>") in response.content.decode()


def test_a_utf16_file_is_refused_with_the_encoding_named(admin_user):
    # given
    data = ed807(SBER, encoding="utf-16")
    # when
    with pytest.raises(ValidationError) as error:
        banks_import_start(acting_user=admin_user, upload=io.BytesIO(data), filename="ed807.xml")
    # then
    assert error.value.messages == ["Кодировка файла не поддерживается; ожидается windows-1251 или UTF-8."]


def test_a_broken_file_fails_the_job_with_the_reason(admin_user, django_capture_on_commit_callbacks):
    # given a truncated file
    data = ed807(SBER)[:-40]
    # when
    job = run_import(admin_user, data, django_capture_on_commit_callbacks)
    # then
    assert job.status == Job.Status.FAILED
    assert job.errors[0].startswith("Это не файл справочника БИК Банка России (ED807): ")
    assert imports_dir() == []


def test_upload_through_the_page_starts_the_job_and_shows_its_progress(
    admin_client, django_capture_on_commit_callbacks
):
    # given
    upload = SimpleUploadedFile("ed807.xml", ed807(SBER, ALFA, VTB), "text/xml")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/directories/banks/import/", {"file": upload})
    page = admin_client.get(response["Location"])
    # then
    job = Job.objects.get()
    assert response["Location"] == f"/directories/banks/?job={job.pk}"
    html = page.content.decode()
    assert 'data-testid="job-progress"' in html
    assert "Банков в файле: 3; добавлено: 3" in html
    assert 'data-bik="044525593"' in html


def test_managers_see_the_banks_but_cannot_import(manager_user, admin_user, django_capture_on_commit_callbacks):
    # given imported banks and a manager
    run_import(admin_user, ed807(SBER, ALFA, VTB), django_capture_on_commit_callbacks)
    client = signed_in(manager_user)
    # when
    page = client.get("/directories/banks/")
    upload = client.post("/directories/banks/import/",
                         {"file": SimpleUploadedFile("ed807.xml", ed807(SBER), "text/xml")})
    # then
    assert page.status_code == 200
    assert 'data-testid="banks-import-form"' not in page.content.decode()
    assert page.content.decode().count("data-bik=") == 3
    assert upload.status_code == 403


def test_search_by_bik_prefix_or_a_word_of_the_name(admin_user, django_capture_on_commit_callbacks):
    # given
    run_import(admin_user, ed807(SBER, ALFA, VTB), django_capture_on_commit_callbacks)
    # then
    assert [bank.bik for bank in bank_search("044525")] == ["044525593", "044525187", "044525225"]
    assert [bank.bik for bank in bank_search("0445252")] == ["044525225"]
    assert [bank.name for bank in bank_search("СБЕР")] == ["ПАО Сбербанк"]
    assert [bank.name for bank in bank_search("альфа")] == ["АО «АЛЬФА-БАНК»"]
    assert len(bank_search("")) == 3


def test_list_pages_by_keyset(admin_client, admin_user, django_capture_on_commit_callbacks, monkeypatch):
    # given three banks and pages of two
    run_import(admin_user, ed807(SBER, ALFA, VTB), django_capture_on_commit_callbacks)
    monkeypatch.setattr("kontora.directories.views_banks.PAGE_SIZE", 2)
    # when
    first = admin_client.get("/directories/banks/").content.decode()
    after = first.split('data-testid="banks-next"')[0].rsplit('href="?after=', 1)[1].split('"')[0]
    second = admin_client.get(f"/directories/banks/?after={after}").content.decode()
    # then
    assert first.count("data-bik=") == 2
    assert second.count("data-bik=") == 1
    assert 'data-bik="044525225"' in second


def test_bank_by_bik_offers_the_active_bank(admin_client, admin_user, django_capture_on_commit_callbacks):
    # given
    run_import(admin_user, ed807(SBER, ALFA), django_capture_on_commit_callbacks)
    Bank.objects.filter(bik="044525593").update(is_active=False)
    # when
    found = admin_client.get("/directories/banks/lookup/", {"bik": "044525225"})
    inactive = admin_client.get("/directories/banks/lookup/", {"bik": "044525593"})
    short = admin_client.get("/directories/banks/lookup/", {"bik": "04452"})
    # then
    assert found.json() == {"found": True, "bik": "044525225", "name": "ПАО Сбербанк",
                            "corr_account": "30101810400000000225", "city": "г Москва"}
    assert inactive.json() == {"found": False}
    assert short.json() == {"found": False}
    assert bank_by_bik("0445 25225") is not None


def test_bank_lookup_needs_a_signed_in_user(client):
    # when
    response = client.get("/directories/banks/lookup/", {"bik": "044525225"})
    # then
    assert response.status_code == 302


def test_the_constants_account_form_asks_for_the_bank_by_bik(admin_client):
    # given
    from kontora.core.models import LegalEntity

    entity = LegalEntity.objects.create(full_name="ООО «Ромашка»", short_name="ООО «Ромашка»", inn="7707083893")
    # when
    response = admin_client.get(f"/administration/constants/entities/{entity.pk}/accounts/new/")
    # then
    assert response.status_code == 200
    assert 'fetch("/directories/banks/lookup/?bik="' in response.content.decode()
