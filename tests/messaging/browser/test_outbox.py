"""Journals → «Исходящие письма» in a real browser (GRP-06): found from the menu, narrowed to the letters needing
attention, and an unknown letter sent again from its row — asked first, then the row answered in place — through a
real SMTP server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.messaging.models import Letter
from kontora.messaging.services.mailboxes import mailbox_save
from tests.clients.factories import ClientFactory
from tests.messaging.factories import LetterFactory
from tests.messaging.support import LOGIN, PASSWORD
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


@pytest.mark.feature("GRP-06")
def test_a_manager_finds_an_unknown_letter_and_sends_it_again(page, live_server, manager_user, transactional_db,
                                                             smtp_starttls):
    # given his mailbox, and letters of every kind of fate
    mailbox_save(acting_user=manager_user, values={
        "host": "localhost", "port": smtp_starttls.port, "security": smtp_starttls.security,
        "sender_name": "Отдел продаж", "address": LOGIN, "login": LOGIN, "password": PASSWORD})
    client = ClientFactory(curator=manager_user, short_name="ООО «Ромашка»")
    LetterFactory(author=manager_user, client=client, subject="Счёт № 41", answer="250 2.0.0 Ok: queued as 1A2B")
    LetterFactory(author=manager_user, client=client, state=Letter.State.FAILED, subject="Акт № 7", attempts=1,
                  recipient="buh@romashka.test", answer="550 5.1.1 <buh@romashka.test>: User unknown")
    LetterFactory(author=manager_user, state=Letter.State.HELD, purpose=Letter.Purpose.MARKETING,
                  subject="Новинки марта", answer="Почтовый сервер не принял логин или пароль: 535 5.7.8")
    unknown = LetterFactory(
        author=manager_user, client=client, state=Letter.State.UNKNOWN, subject="Счёт № 42", attempts=1,
        recipient="director@romashka.test",
        answer="Отправка прервалась до того, как был записан её результат: письмо могло уйти, а могло и не уйти. "
               "Уточните у получателя и при необходимости отправьте снова.")
    base = live_server.url
    watch_csp(page)
    sign_in(page, base, manager_user.login)
    # when he opens the journal from the menu and narrows it to the letters needing attention
    page.get_by_role("button", name="Журналы").click()
    page.get_by_role("link", name="Исходящие письма").click()
    page.get_by_label("Состояние").select_option("attention")
    page.get_by_test_id("outbox-apply").click()
    rows = page.get_by_test_id("outbox-row")
    expect(rows).to_have_count(3)
    screenshot(page, "outbox")
    # and sends the unknown letter again, confirming the question
    row = page.locator(f'[data-testid=outbox-row][data-id="{unknown.pk}"]')
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_test_id("outbox-resend").click()
    # then its row shows it sent, with the server's answer, and nothing more to resend
    expect(row.get_by_test_id("outbox-state")).to_contain_text("Отправлено")
    expect(row.get_by_test_id("outbox-state")).to_contain_text("250")
    expect(row.get_by_test_id("outbox-resend")).to_have_count(0)
    assert [str(letter["Subject"]) for letter in smtp_starttls.inbox.letters] == ["Счёт № 42"]
    assert csp_violations(page) == []
