"""The E-mail tab's letter editor in a real browser (GRP-03): the HTML field is a WYSIWYG editor (Quill, vendored,
loaded by the manager's page only) with a toolbar in the page's language; a word made bold and a list reach the
recipient check and the queued letter as plain tags, a pasted image with an event handler does not, and the policy
refuses nothing on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.bulk.models import BulkRun
from kontora.core.services.jobs import job_run
from kontora.messaging.models import Letter
from tests.clients.factories import client_named
from tests.messaging.support import mailbox_of, subscribed
from tests.support.browser import csp_violations, sign_in, watch_csp

PASTE = """(html) => {
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "Прайс внутри");
  document.querySelector(".ql-editor").dispatchEvent(
    new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""


@pytest.mark.feature("GRP-03")
def test_a_letter_written_in_the_editor_goes_with_its_bold_word_and_list_and_without_a_pasted_script(
        page, live_server, admin_user, transactional_db, smtp_refusing, settings):
    base = live_server.url
    settings.PUBLIC_URL = base
    mailbox_of(admin_user, smtp_refusing)
    alpha = client_named("ООО «Альфа»", curator=admin_user)
    subscribed(alpha, "ivanov@alpha.test")
    watch_csp(page)
    sign_in(page, base, "admin")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.get_by_text("Отмечено: 1").wait_for()
    page.get_by_test_id("registry-row").first.click(button="right")
    page.get_by_test_id("registry-menu").get_by_test_id("registry-group").click()
    page.get_by_test_id("bulk-tab-email").click()
    page.get_by_label("Отправить E-Mail").check()
    page.get_by_label("Тема").fill("Новинки декабря")
    # the HTML field is an editor with a toolbar in Russian; its textarea is hidden
    editor = page.get_by_role("textbox", name="Письмо в HTML (необязательно)")
    expect(editor).to_be_visible()
    expect(page.locator("#id_mail_html")).to_be_hidden()
    toolbar = page.get_by_test_id("html-editor-toolbar")
    for title in ("Полужирный (Ctrl+B)", "Курсив (Ctrl+I)", "Подчёркнутый (Ctrl+U)", "Маркированный список",
                  "Нумерованный список", "Ссылка (Ctrl+K)", "Убрать оформление", "Стиль абзаца"):
        expect(toolbar.get_by_role("button", name=title, exact=True)).to_have_count(1)
    expect(toolbar.locator(".ql-picker-label")).to_have_attribute("data-label", "Обычный текст")
    # a word typed, then chosen and made bold with the toolbar's button
    editor.click()
    page.keyboard.type("Только до конца месяца: скидки")
    page.keyboard.press("Shift+Control+ArrowLeft")
    toolbar.get_by_test_id("html-editor-bold").click()
    expect(editor.locator("strong")).to_have_text("скидки")
    # then a bulleted list of two items
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    toolbar.get_by_test_id("html-editor-bullets").click()
    page.keyboard.type("Кабель")
    page.keyboard.press("Enter")
    page.keyboard.type("Розетки")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    # and a paste from elsewhere (a page with its styles): an image with an event handler and a styled span
    page.evaluate(PASTE, '<html><head><style>p { color: red }</style></head><body><p style="margin: 0">Прайс '
                         '<img src="x" onerror="window.kontoraPwned = 1"><span style="color: red">внутри</span>'
                         '</p><script>window.kontoraPwned = 2</script></body></html>')
    expect(editor).to_contain_text("Прайс внутри")
    expect(editor.locator("img")).to_have_count(0)
    expect(editor.locator("[style]")).to_have_count(0)
    html = page.locator("#id_mail_html").input_value()
    assert "<strong>скидки</strong>" in html and "<ul>" in html and "Кабель" in html, html
    assert "&nbsp;" not in html and "до конца месяца" in html  # spaces stay spaces: the letter wraps
    # the recipient check gets the HTML and shows the letter with its bold word and list
    page.get_by_test_id("bulk-mail-check").click()
    expect(page.get_by_test_id("bulk-preview-count")).to_have_text("В очередь будет поставлено 1 письмо.")
    shown = page.get_by_test_id("bulk-preview-html")
    expect(shown.locator("strong")).to_have_text("скидки")
    expect(shown.locator("ul > li")).to_have_text(["Кабель", "Розетки"])
    assert csp_violations(page) == []  # the pasted styles and handler never reached a parser: nothing refused
    # the run queues the letter as written, cleaned
    page.get_by_test_id("bulk-start").click()
    expect(page.get_by_test_id("bulk-run")).to_be_visible()
    job_run(job_id=BulkRun.objects.get().job_id)
    letter = Letter.objects.get(recipient="ivanov@alpha.test")
    assert "<strong>скидки</strong>" in letter.html
    assert "<li>Кабель</li>" in letter.html and "Прайс внутри" in letter.html
    for bad in ("<script", "onerror", "<img", "style=", "kontoraPwned"):
        assert bad not in letter.html, letter.html
    assert page.evaluate("window.kontoraPwned") is None
    assert csp_violations(page) == []


# What the paste keeps of an HTML text (behaviours/html-editor.js, `inert`): every style or event handler attribute
# the HTML parser would set, every image and every <style> and <script> element go, before any parser sees the text.
INERT = {
    '<p style="color: red">a</p>': "<p>a</p>",
    "<b/style=x>b</b>": "<b>b</b>",  # "/" parts attributes as a space does
    "<b a=\"x\"style=y>c</b>": '<b a="x">c</b>',  # so does the end of a quoted value
    "<b =x STYLE = 'y' class=z>d</b>": "<b =x class=z>d</b>",
    '<span title="a>b" style=c>e</span>': '<span title="a>b">e</span>',
    "<style>p {}</style><p>f</p><script>go()</script>g": "<p>f</p>g",
    "<!-- <b style=x> -->h": "h",
    '<p ONCLICK="go()" title=x>i<img src=x onerror="go()"></p>': "<p title=x>i</p>",
    "1 < 2 <3": "1 < 2 <3",
}


@pytest.mark.feature("GRP-03")
def test_the_editor_is_loaded_only_by_the_manager_and_takes_no_style_or_handler_from_a_paste(
        page, live_server, admin_user, transactional_db):
    base = live_server.url
    watch_csp(page)
    sign_in(page, base, "admin")
    assert page.evaluate("typeof window.Quill") == "undefined"
    assert page.locator("link[href*='quill']").count() == 0
    page.goto(f"{base}/bulk/")
    expect(page.get_by_test_id("html-editor-toolbar")).to_have_count(1)
    assert page.evaluate("typeof window.Quill") == "function"
    for html, kept in INERT.items():
        assert page.evaluate("html => window.kontoraInert(html)", html) == kept, html
    assert csp_violations(page) == []
