"""Directories → Banks (DIR-03): the list, the administrator's upload, the bank by BIK for account forms."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kontora.core.models import Job, LegalEntity
from kontora.directories.models import Bank, BankDirectory
from kontora.directories.selectors import banks as banks_selectors
from kontora.directories.selectors.banks import bank_by_bik
from tests.directories.factories import BankFactory
from tests.directories.support import ALFA, SBER, VTB, ed807, run_import
from tests.support.http import html, signed_in
from tests.support.queries import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.feature("DIR-03")]


def test_the_upload_page_shows_the_refusal_next_to_the_file_field(admin_client: Client) -> None:
    # given
    data = ed807(SBER, prolog='<!DOCTYPE x [<!ENTITY e "e">]>\n')
    # when
    response = admin_client.post(
        "/directories/banks/import/", {"file": SimpleUploadedFile("ed807.xml", data, "text/xml")}
    )
    # then
    assert response.status_code == 400
    assert ('data-testid="error-file">Файл содержит объявление DOCTYPE или сущностей, которого в справочнике БИК '
            "не бывает; файл отклонён.</div>") in html(response)


def test_upload_through_the_page_starts_the_job_and_shows_its_progress(
    admin_client: Client, django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    upload = SimpleUploadedFile("ed807.xml", ed807(SBER, ALFA, VTB), "text/xml")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/directories/banks/import/", {"file": upload})
    page = admin_client.get(response["Location"])
    # then
    job = Job.objects.get()
    assert response["Location"] == f"/directories/banks/?job={job.pk}"
    assert 'data-testid="job-progress"' in html(page)
    assert "Банков в файле: 3; добавлено: 3" in html(page)
    assert 'data-bik="044525593"' in html(page)


def test_managers_see_the_banks_but_cannot_import(
    manager_user: Any, admin_user: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    # given imported banks and a manager
    run_import(admin_user, ed807(SBER, ALFA, VTB), django_capture_on_commit_callbacks)
    client = signed_in(manager_user)
    # when
    page = client.get("/directories/banks/")
    upload = client.post("/directories/banks/import/",
                         {"file": SimpleUploadedFile("ed807.xml", ed807(SBER), "text/xml")})
    # then
    assert page.status_code == 200
    assert 'data-testid="banks-import-form"' not in html(page)
    assert html(page).count("data-bik=") == 3
    assert upload.status_code == 403


def test_list_pages_by_keyset(
    admin_client: Client, admin_user: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any,
) -> None:
    # given three banks and pages of two
    run_import(admin_user, ed807(SBER, ALFA, VTB), django_capture_on_commit_callbacks)
    monkeypatch.setattr("kontora.directories.views.banks.PAGE_SIZE", 2)
    # when
    first = html(admin_client.get("/directories/banks/"))
    after = first.split('data-testid="banks-next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = html(admin_client.get(after.replace("&amp;", "&")))
    # then
    assert first.count("data-bik=") == 2
    assert second.count("data-bik=") == 1
    assert 'data-bik="044525225"' in second


def test_the_list_queries_no_more_with_more_banks(admin_client: Client) -> None:
    # given
    for _n in range(3):
        BankFactory()
    admin_client.get("/directories/banks/")
    # when
    with count_queries() as fewer:
        admin_client.get("/directories/banks/")
    for _n in range(7):
        BankFactory()
    with count_queries() as more:
        page = html(admin_client.get("/directories/banks/"))
    # then
    assert page.count("data-bik=") == 10
    assert len(more) == len(fewer)


def test_bank_by_bik_offers_the_active_bank(
    admin_client: Client, admin_user: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    run_import(admin_user, ed807(SBER, ALFA), django_capture_on_commit_callbacks)
    Bank.objects.filter(bik="044525593").update(is_active=False)
    # when
    found = admin_client.get("/directories/banks/lookup/", {"bik": "044525225"})
    inactive = admin_client.get("/directories/banks/lookup/", {"bik": "044525593"})
    short = admin_client.get("/directories/banks/lookup/", {"bik": "04452"})
    # then
    assert found.json() == {"found": True, "bik": "044525225", "name": "ПАО Сбербанк",
                            "corr_account": "30101810400000000225", "city": "г Москва",
                            "note": "ПАО Сбербанк, г Москва"}
    assert inactive.json() == {"found": False, "note": "Банка с таким БИК нет в справочнике БИК."}
    assert short.json() == {"found": False, "note": "Банка с таким БИК нет в справочнике БИК."}
    assert bank_by_bik("0445 25225") is not None


def test_bank_lookup_says_when_the_directory_is_not_loaded(admin_client: Client) -> None:
    # when
    response = admin_client.get("/directories/banks/lookup/", {"bik": "044525225"})
    # then
    assert response.json() == {
        "found": False, "note": "Справочник БИК ещё не загружен: введите банк и его корр. счёт вручную.",
    }


def test_bank_lookup_needs_a_signed_in_user_once_the_base_has_one(client: Client, admin_user: Any) -> None:
    # given a bank and a base past its first run
    BankFactory(bik="044525225", name="ПАО Сбербанк")
    # when a guest asks
    response = client.get("/directories/banks/lookup/", {"bik": "044525225"})
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.feature("SYS-05")
def test_the_first_run_wizard_finds_the_bank_by_bik_before_any_user_exists(client: Client) -> None:
    # given a new base (no user yet) whose BIK directory is loaded
    BankFactory(bik="044525225", name="ПАО Сбербанк", corr_account="30101810400000000225", city="г Москва")
    # when the wizard's page asks, as the guest that runs it
    response = client.get("/directories/banks/lookup/", {"bik": "044525225"})
    # then the bank, its city and correspondent account come back, not a redirect to the wizard
    assert response.status_code == 200
    assert response.json() == {"found": True, "bik": "044525225", "name": "ПАО Сбербанк",
                               "corr_account": "30101810400000000225", "city": "г Москва",
                               "note": "ПАО Сбербанк, г Москва"}
    # and every other page still leads to the wizard (positive control of the exemption's reach)
    assert client.get("/directories/banks/")["Location"] == "/setup/"


# --- the directory's date and the administrator's warning ------------------------------------------------------


def _dated(day: date) -> None:
    BankDirectory.objects.create(pk=1, directory_date=day, imported_at=timezone.make_aware(datetime(2026, 6, 2, 10)))


def test_the_administrator_is_warned_that_the_directory_is_not_loaded(admin_client: Client) -> None:
    # when
    page = html(admin_client.get("/directories/banks/"))
    # then
    assert '<p class="small text-body-secondary mb-2" data-testid="banks-date">Справочник БИК не загружен.</p>' in page
    assert "Справочник БИК не загружен: по БИК в банковских реквизитах ничего не подставится." in page
    assert 'href="#banks-import"' in page and 'id="banks-import"' in page


def test_the_administrator_is_warned_of_a_directory_older_than_ninety_days(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given data of 1 June seen on 31 August (91 days)
    _dated(date(2026, 6, 1))
    monkeypatch.setattr(banks_selectors, "_today", lambda: date(2026, 8, 31))
    # when
    page = html(admin_client.get("/directories/banks/"))
    # then
    assert "Данные справочника БИК на 01.06.2026 (загружены 02.06.2026)." in page
    assert ('data-testid="banks-stale">\n    Данным справочника БИК больше 90 дней (они на 01.06.2026): банки '
            "закрываются, объединяются и меняют корреспондентские счета, а корр. счёт печатается в счетах и "
            "QR-кодах для оплаты. Загрузите свежий файл ED807.") in page
    assert 'data-testid="banks-stale-import"' in page


def test_a_fresh_directory_shows_its_date_without_a_warning(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given data of 1 June seen on 30 August (90 days)
    _dated(date(2026, 6, 1))
    monkeypatch.setattr(banks_selectors, "_today", lambda: date(2026, 8, 30))
    # when
    page = html(admin_client.get("/directories/banks/"))
    # then
    assert "Данные справочника БИК на 01.06.2026 (загружены 02.06.2026)." in page
    assert 'data-testid="banks-stale"' not in page


def test_a_manager_sees_the_date_but_not_the_administrators_warning(
    manager_client: Client, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given stale data
    _dated(date(2026, 6, 1))
    monkeypatch.setattr(banks_selectors, "_today", lambda: date(2026, 12, 1))
    # when
    page = html(manager_client.get("/directories/banks/"))
    # then
    assert "Данные справочника БИК на 01.06.2026" in page
    assert 'data-testid="banks-stale"' not in page


def test_the_constants_account_form_asks_for_the_bank_by_bik(admin_client: Client) -> None:
    # given
    entity = LegalEntity.objects.create(full_name="ООО «Ромашка»", short_name="ООО «Ромашка»", inn="7707083893")
    # when
    response = admin_client.get(f"/administration/constants/entities/{entity.pk}/accounts/new/")
    # then
    assert response.status_code == 200
    assert 'data-k-bank-lookup="/directories/banks/lookup/"' in html(response)


def test_the_main_windows_informer_warns_the_administrator_of_a_directory_never_loaded(
    admin_client: Client, manager_client: Client,
) -> None:
    # when
    admin_page = html(admin_client.get("/"))
    manager_page = html(manager_client.get("/"))
    # then: the administrator is told and led to the banks page; a manager is not
    assert ('data-testid="informer-notice-banks">Справочник БИК не загружен: по БИК в банковских реквизитах ничего '
            'не подставится. <a href="/directories/banks/" class="alert-link">Справочники → Банки</a>') in admin_page
    assert 'data-testid="informer-notice-banks"' not in manager_page


def test_the_informer_warns_of_a_stale_directory_and_is_silent_on_a_fresh_one(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given data of 1 June
    _dated(date(2026, 6, 1))
    # when looked at on 31 August, then on 30 August
    monkeypatch.setattr(banks_selectors, "_today", lambda: date(2026, 8, 31))
    stale = html(admin_client.get("/"))
    monkeypatch.setattr(banks_selectors, "_today", lambda: date(2026, 8, 30))
    fresh = html(admin_client.get("/"))
    # then
    assert "Данным справочника БИК больше 90 дней (они на 01.06.2026)." in stale
    assert 'data-testid="informer-notice-banks"' not in fresh
