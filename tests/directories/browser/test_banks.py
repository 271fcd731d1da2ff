from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.core.models import LegalEntity
from kontora.directories.models import Bank
from tests.directories.support import ALFA, SBER, VTB, ed807
from tests.support.browser import screenshot, sign_in
from tests.support.http import PASSWORD


@pytest.mark.feature("DIR-03")
def test_administrator_imports_the_bik_directory_on_the_banks_page(page, live_server, admin_user, settings, tmp_path,
                                                                   transactional_db):
    # given the Bank of Russia's BIK directory file
    settings.FILES_DIR = tmp_path / "files"
    sample = tmp_path / "20261127_ED807_full.xml"
    sample.write_bytes(ed807(SBER, ALFA, VTB))
    sign_in(page, live_server.url, "admin", PASSWORD)
    # when: Directories → Banks, choose the file, Import
    page.click("[data-menu=directories] > a")
    page.locator("[data-menu=directories]").get_by_role("link", name="Банки", exact=True).click()
    page.set_input_files("[data-testid=banks-import-form] input[type=file]", str(sample))
    page.click("[data-testid=banks-import]")
    # then the job finishes and the banks are listed
    page.wait_for_selector("[data-testid=job-progress][data-status=done]")
    assert page.locator("[data-testid=job-summary]").inner_text().startswith(
        "Банков в файле: 3; добавлено: 3; изменено: 0;"
    )
    assert page.locator("#bank-rows tr[data-bik]").count() == 3
    screenshot(page, "banks")
    # and the search narrows the list as one types
    page.fill("[data-testid=banks-search]", "сбер")
    expect(page.locator("#bank-rows tr[data-bik]")).to_have_count(1)
    assert page.locator("#bank-rows tr[data-bik]").get_attribute("data-bik") == "044525225"


@pytest.mark.feature("DIR-03")
def test_typing_a_bik_in_a_bank_account_fills_the_bank_from_the_directory(page, live_server, admin_user,
                                                                           transactional_db):
    # given the bank in Directories → Banks and a legal entity
    Bank.objects.create(bik="044525225", name="ПАО Сбербанк", name_key="пао сбербанк",
                        corr_account="30101810400000000225", city="г Москва")
    entity = LegalEntity.objects.create(full_name="ООО «Ромашка»", short_name="ООО «Ромашка»", inn="7707083893")
    sign_in(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/administration/constants/entities/{entity.pk}/accounts/new/")
    # when the BIK is typed
    page.fill("#id_bik", "044525225")
    # then the bank's name and correspondent account are filled in
    expect(page.locator("#id_bank_name")).not_to_have_value("")
    assert page.input_value("#id_bank_name") == "ПАО Сбербанк"
    assert page.input_value("#id_corr_account") == "30101810400000000225"


@pytest.mark.feature("DIR-03")
def test_a_typed_bank_name_is_not_overwritten(page, live_server, admin_user, transactional_db):
    # given
    Bank.objects.create(bik="044525225", name="ПАО Сбербанк", name_key="пао сбербанк",
                        corr_account="30101810400000000225", city="г Москва")
    entity = LegalEntity.objects.create(full_name="ООО «Ромашка»", short_name="ООО «Ромашка»", inn="7707083893")
    sign_in(page, live_server.url, "admin", PASSWORD)
    page.goto(f"{live_server.url}/administration/constants/entities/{entity.pk}/accounts/new/")
    page.fill("#id_bank_name", "Московский банк ПАО Сбербанк")
    # when
    with page.expect_response(lambda response: "/directories/banks/lookup/" in response.url):
        page.fill("#id_bik", "044525225")
    # then only the empty field is filled
    expect(page.locator("#id_corr_account")).not_to_have_value("")
    assert page.input_value("#id_bank_name") == "Московский банк ПАО Сбербанк"
    assert page.input_value("#id_corr_account") == "30101810400000000225"
