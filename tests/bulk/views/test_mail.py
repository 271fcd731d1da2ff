"""The manager's E-mail tab (GRP-03): «Проверить получателей» shows the exact number of letters, to whom — never
an address of a client the user may not open — and the first letter as it will go; a broken placeholder or
attachments over the limit are refused next to their field with nothing saved; a good letter starts the run."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kontora.accounts.models import ClientScope, Role, UserRight
from kontora.bulk.models import BulkRun
from kontora.messaging.models import Letter, Mailing
from kontora.messaging.services.marketing import ATTACHMENTS_MAX_BYTES
from tests.accounts.factories import UserFactory
from tests.bulk.support import mark
from tests.clients.factories import ClientFactory
from tests.messaging.support import mailbox_of, subscribed
from tests.support.http import signed_in

LETTER = {"take": "marked", "mail_send": "on", "mail_subject": "Новинки декабря", "mail_text": "Здравствуйте!"}


@pytest.fixture(autouse=True)
def public(settings: Any) -> None:
    settings.PUBLIC_URL = "https://crm.romashka.test"


def _lister() -> Any:
    user = UserFactory(role=Role.MANAGER, client_scope=ClientScope.LIST_ALL)
    UserRight.objects.create(user=user, code="group_processing")
    return user


@pytest.mark.feature("GRP-03")
def test_the_preview_of_a_list_only_user_shows_no_address_of_a_client_he_cannot_open(db: Any,
                                                                                       smtp_refusing: Any) -> None:
    user = _lister()
    mailbox_of(user, smtp_refusing)
    own, foreign = ClientFactory(curator=user, short_name="Своя"), ClientFactory(short_name="Чужая")
    subscribed(own, "own@example.test")
    subscribed(own, "second@example.test")
    subscribed(foreign, "foreign@example.test")
    http = signed_in(user)
    mark(http, own, foreign)
    page = http.post("/bulk/preview/", LETTER).content.decode()
    assert "В очередь будет поставлено 2 письма." in page
    assert "own@example.test, second@example.test" in page and "Своя" in page  # positive control
    assert "foreign@example.test" not in page and "Чужая" not in page
    assert "1 клиент не получит письма: Нет права открывать клиента: он пропущен." in page
    assert "Новинки декабря" in page and not Mailing.objects.exists()  # the preview saves nothing


@pytest.mark.feature("GRP-03")
def test_the_preview_fills_the_placeholders_for_the_first_recipient(admin_user: Any, admin_client: Any,
                                                                    smtp_refusing: Any) -> None:
    mailbox_of(admin_user, smtp_refusing)
    client = ClientFactory(curator=admin_user, short_name="Альфа")
    subscribed(client, "ivanov@alpha.test", whose="Иванов Иван Петрович")
    mark(admin_client, client)
    page = admin_client.post("/bulk/preview/", {
        **LETTER, "mail_individual": "on", "mail_subject": "{клиент}: новинки",
        "mail_html": '<p onclick="steal()">Здравствуйте, {контакт}!</p>'}).content.decode()
    assert "Альфа: новинки" in page and "<p>Здравствуйте, Иван Петрович!</p>" in page
    assert "steal()" not in page


@pytest.mark.feature("GRP-03")
def test_a_broken_placeholder_and_big_attachments_are_refused_next_to_their_fields(admin_user: Any,
                                                                                  admin_client: Any,
                                                                                  smtp_refusing: Any) -> None:
    mailbox_of(admin_user, smtp_refusing)
    mark(admin_client, ClientFactory(curator=admin_user))
    big = SimpleUploadedFile("прайс.pdf", b"x" * (ATTACHMENTS_MAX_BYTES + 1), content_type="application/pdf")
    page = admin_client.post("/bulk/", {**LETTER, "mail_individual": "on", "mail_text": "Здравствуйте, {контак}!",
                                        "mail_files": [big]}).content.decode()
    assert "Неизвестная подстановка {контак}" in page
    assert "Вложения занимают 10,0" in page
    assert 'id="id_mail_text"' in page and "is-invalid" in page
    assert not BulkRun.objects.exists() and not Mailing.objects.exists()


@pytest.mark.feature("GRP-03")
def test_a_good_letter_with_attachments_starts_the_run_and_queues_the_letters(admin_user: Any, admin_client: Any,
                                                                             smtp_refusing: Any) -> None:
    from kontora.core.services.jobs import job_run

    mailbox_of(admin_user, smtp_refusing)
    client = ClientFactory(curator=admin_user)
    subscribed(client, "buyer@example.test")
    mark(admin_client, client)
    files = [SimpleUploadedFile("прайс.pdf", b"%PDF price", content_type="application/pdf"),
             SimpleUploadedFile("условия.txt", "Условия".encode(), content_type="text/plain")]
    response = admin_client.post("/bulk/", {**LETTER, "mail_files": files})
    run = BulkRun.objects.get()
    assert response.status_code == 302
    mailing = Mailing.objects.get()
    assert sorted(mailing.attachments.values_list("name", "size")) == [("прайс.pdf", 10), ("условия.txt", 14)]
    job_run(job_id=run.job_id)
    assert list(Letter.objects.values_list("recipient", "mailing_id")) == [("buyer@example.test", mailing.pk)]


@pytest.mark.feature("GRP-07")
def test_the_email_tab_says_why_mail_cannot_go_without_the_public_address(admin_client: Any, settings: Any) -> None:
    def problem() -> str:
        page = admin_client.get("/bulk/").content.decode()
        return page.partition('data-testid="bulk-mail-problem">')[2].partition("</div>")[0]

    settings.PUBLIC_URL = ""
    assert "не задан внешний адрес сервера (KONTORA_PUBLIC_URL)" in problem()
    settings.PUBLIC_URL = "https://crm.romashka.test"
    assert problem() == "Сначала настройте свой почтовый ящик: Настройки → Параметры → «Почта»."


@pytest.mark.feature("GRP-04")
def test_the_sms_preview_counts_the_messages_and_shows_the_first_with_its_parts(admin_user: Any, admin_client: Any,
                                                                               smsru: Any) -> None:
    from kontora.clients.models import ClientMailingAddress
    from kontora.messaging.services.sms_accounts import sms_account_save
    from tests.messaging.sms_support import API_ID

    sms_account_save(acting_user=admin_user, values={"protocol": "smsru", "api_id": API_ID, "api_url": smsru.url})
    client = ClientFactory(curator=admin_user, short_name="Альфа")
    ClientMailingAddress.objects.create(client=client, kind="mobile", value="+7 916 123-45-67",
                                        value_key="79161234567")
    mark(admin_client, client)
    page = admin_client.post("/bulk/preview/", {"take": "marked", "channel": "sms", "sms_send": "on",
                                                "sms_text": "Скидка для {клиент}"}).content.decode()
    assert "В очередь будет поставлено 1 SMS." in page and "+79161234567" in page
    assert "Скидка для Альфа" in page and "16 знаков, 1 SMS" in page
    # a broken placeholder is refused before anything is counted
    page = admin_client.post("/bulk/preview/", {"take": "marked", "channel": "sms", "sms_send": "on",
                                                "sms_text": "Скидка для {клиент"}).content.decode()
    assert "Подстановка не закрыта" in page and "+79161234567" not in page


@pytest.mark.feature("GRP-03")
def test_the_recipient_check_reads_as_many_queries_whatever_the_number_of_clients(admin_user: Any,
                                                                                  admin_client: Any,
                                                                                  smtp_refusing: Any) -> None:
    from tests.support.queries import assert_flat_queries

    mailbox_of(admin_user, smtp_refusing)
    marked: list[Any] = []

    def add(number: int) -> None:
        client = ClientFactory(curator=admin_user)
        subscribed(client, f"buyer{number}@example.test")
        marked.append(client)
        mark(admin_client, *marked)

    page = assert_flat_queries(lambda: admin_client.post("/bulk/preview/", {
        **LETTER, "mail_individual": "on", "mail_text": "Здравствуйте, {контакт}!"}).content.decode(), add, rows=8)
    assert "В очередь будет поставлено 8 писем." in page


@pytest.mark.feature("GRP-03")
def test_the_letter_html_is_a_plain_textarea_that_the_editor_takes_over_where_scripts_run(admin_user: Any,
                                                                                          admin_client: Any) -> None:
    page = admin_client.get("/bulk/").content.decode()
    # without JavaScript: the textarea posts as before; with it, html-editor.js puts Quill over it with this toolbar
    assert '<textarea name="mail_html"' in page and 'data-k-html-editor="k-bulk-mail-editor"' in page
    assert '<template id="k-bulk-mail-editor"' in page and 'title="Полужирный (Ctrl+B)"' in page
    assert "vendor/quill-2.0.3/quill.js" in page and "vendor/quill-2.0.3/quill.snow.css" in page
    assert "quill" not in admin_client.get("/").content.decode()  # loaded by the page that uses it only
