"""A mailing in a real browser (GRP-03, GRP-07): the E-mail tab with an individual letter and an attachment, the
recipient check, the run, the letter as the SMTP server got it, and its unsubscribe link followed."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from kontora.bulk.models import BulkRun
from kontora.clients.models import ClientMailingAddress
from kontora.core.services.jobs import job_run
from kontora.messaging.services.outbox import letters_send_due
from tests.clients.factories import client_named
from tests.messaging.support import mailbox_of, subscribed
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


@pytest.mark.feature("GRP-03", "GRP-07")
def test_a_manager_sends_an_individual_letter_and_the_recipient_unsubscribes(page, live_server, admin_user,
                                                                             transactional_db, smtp_refusing,
                                                                             settings, tmp_path: Path):
    base = live_server.url
    settings.PUBLIC_URL = base
    mailbox_of(admin_user, smtp_refusing)
    alpha = client_named("ООО «Альфа»", curator=admin_user)
    subscribed(alpha, "ivanov@alpha.test", whose="Иванов Иван Петрович")
    price = tmp_path / "прайс.pdf"
    price.write_bytes(b"%PDF-1.4 price")
    watch_csp(page)
    sign_in(page, base, "admin")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.get_by_text("Отмечено: 1").wait_for()
    page.get_by_test_id("registry-row").first.click(button="right")
    page.get_by_test_id("registry-menu").get_by_test_id("registry-group").click()
    # the E-mail tab: an individual letter with placeholders and an attachment
    page.get_by_test_id("bulk-tab-email").click()
    page.get_by_label("Отправить E-Mail").check()
    page.get_by_label("Тема").fill("{клиент}: новинки декабря")
    page.get_by_label("Текст письма").fill("Здравствуйте, {контакт}!\nПрайс во вложении.")
    page.get_by_label("Вложения").set_input_files(str(price))
    page.get_by_label("Индивидуальное письмо каждому адресату").check()
    page.get_by_test_id("bulk-mail-check").click()
    expect(page.get_by_test_id("bulk-preview-count")).to_have_text("В очередь будет поставлено 1 письмо.")
    expect(page.get_by_test_id("bulk-preview-letter")).to_contain_text("Здравствуйте, Иван Петрович!")
    screenshot(page, "bulk-mail")
    page.get_by_test_id("bulk-start").click()
    expect(page.get_by_test_id("bulk-run")).to_be_visible()
    job_run(job_id=BulkRun.objects.get().job_id)
    letters_send_due()
    # the server got the letter, with its attachment and the unsubscribe link on the public address
    got = smtp_refusing.inbox.letters[0]
    assert str(got["Subject"]) == "ООО «Альфа»: новинки декабря"
    assert [part.get_filename() for part in got.iter_attachments()] == ["прайс.pdf"]
    link = got["List-Unsubscribe"].strip("<>")
    assert link.startswith(base + "/messaging/unsubscribe/")
    # the recipient, not signed in, follows it
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_test_id("unsubscribe-confirm").click()
    expect(page.get_by_test_id("unsubscribe-done")).to_contain_text("отписан")
    screenshot(page, "unsubscribe")
    assert not ClientMailingAddress.objects.get().subscribed
    assert csp_violations(page) == []
