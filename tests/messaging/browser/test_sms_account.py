"""The «SMS» tab in a real browser (GRP-04): the counter shows length and parts as the text is typed (the same count
as the server's), an SMS.ru account typed in, the test SMS through a real local SMS.ru and its answer under the
button, the window saved, the api_id never shown back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.messaging.models import SmsAccount
from kontora.messaging.services.sms.parts import measure
from tests.messaging.sms_support import API_ID
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp

TEXTS = ["Hello", "a" * 161, "€" * 81, "Здравствуйте!", "я" * 71, "x😀" * 40, "line\nnext"]


@pytest.mark.feature("GRP-04")
def test_a_manager_sets_up_his_sms_account_and_sends_a_test_sms(page, live_server, manager_user, transactional_db,
                                                               smsru):
    base = live_server.url
    watch_csp(page)
    sign_in(page, base, manager_user.login)
    page.goto(f"{base}/settings/parameters/?tab=sms")
    # when he chooses SMS.ru and types his account in
    page.get_by_label("Протокол").select_option("smsru")
    page.get_by_label("Имя отправителя").fill("Romashka")
    page.get_by_label("api_id", exact=True).fill(API_ID)
    page.get_by_label("Адрес сервиса SMS.ru").fill(smsru.url)
    page.get_by_label("Отправить на номер").fill("+7 916 123-45-67")
    # then the counter follows the text: a Cyrillic text of 71 characters goes in two parts
    text = page.get_by_label("Текст (пусто — стандартный тестовый текст)")
    text.fill("Здравствуйте! " + "я" * 57)
    expect(page.get_by_test_id("sms-count")).to_have_text("71 знаков (Юникод), частей SMS: 2")
    # and it counts as the server does
    counted = page.evaluate("texts => texts.map(t => { const m = window.kontoraSmsMeasure(t);"
                            " return [m.encoding, m.characters, m.parts]; })", TEXTS)
    assert counted == [list(measure(t)) for t in TEXTS]
    # when he sends the test SMS, the gateway's answer shows under the button and SMS.ru got the message
    page.get_by_test_id("sms-test").click()
    expect(page.get_by_test_id("sms-test-answer")).to_contain_text("Ответ шлюза: 100 OK sms_id 000000-10000001")
    sent = smsru.sent["000000-10000001"]
    assert (sent["to"], sent["from"]) == ("79161234567", "Romashka") and sent["msg"].startswith("Здравствуйте!")
    screenshot(page, "sms-settings")
    # and saved, the account is his; the tab shows no api_id
    page.get_by_role("button", name="Применить").click()
    page.get_by_label("Протокол").wait_for()
    assert SmsAccount.objects.get(user=manager_user).api_url == smsru.url
    page.goto(f"{base}/settings/parameters/?tab=sms")
    expect(page.get_by_label("api_id", exact=True)).to_have_value("")
    assert API_ID not in page.content()
    assert csp_violations(page) == []
