"""Settings → Parameters → «Почта» (GRP-03): the tab saves the user's mailbox with the window's OK, never shows the
password back, and «Отправить тестовое письмо» reports the real server's answer or what went wrong."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.messaging.models import Mailbox
from tests.messaging.support import LOGIN, PASSWORD

FORM = {"language": "ru", "informer_at_start": "on", "show_tasks_at_login": "", "report_overdue_at_login": ""}


def _mail(server: Any, **changes: Any) -> dict[str, Any]:
    fields = {"host": "localhost", "port": server.port, "security": server.security, "sender_name": "Продажи",
              "address": LOGIN, "login": LOGIN, "password": PASSWORD, **changes}
    return {f"mail-{name}": value for name, value in fields.items()}


@pytest.mark.feature("GRP-03")
def test_the_mail_tab_saves_the_mailbox_and_never_shows_its_password(manager_user, manager_client, smtp_starttls):
    # when the Parameters window is saved with the mailbox filled in
    response = manager_client.post("/settings/parameters/", {**FORM, **_mail(smtp_starttls)})
    assert response.status_code == 302
    # then the mailbox is the manager's, and the tab shows its settings but not the password
    mailbox = Mailbox.objects.get(user=manager_user)
    assert (mailbox.host, mailbox.port, mailbox.address) == ("localhost", smtp_starttls.port, LOGIN)
    page = manager_client.get("/settings/parameters/?tab=mail").content.decode()
    assert 'data-testid="parameters-mail"' in page and 'value="localhost"' in page
    assert PASSWORD not in page and mailbox.password_sealed not in page
    assert "сохранён — оставьте пустым" in page


@pytest.mark.feature("GRP-03")
def test_a_window_saved_without_a_mailbox_makes_none(manager_user, manager_client):
    assert manager_client.post("/settings/parameters/", FORM).status_code == 302
    assert not Mailbox.objects.filter(user=manager_user).exists()


@pytest.mark.feature("GRP-03")
def test_the_test_letter_reports_the_servers_answer(manager_client, smtp_starttls):
    page = manager_client.post("/messaging/mailbox/test/", _mail(smtp_starttls)).content.decode()
    assert "Тестовое письмо отправлено на sales@romashka.test. Ответ сервера: 250 2.0.0 Ok: queued as K0NT0RA" in page
    assert len(smtp_starttls.inbox.letters) == 1


@pytest.mark.feature("GRP-03")
def test_a_refused_login_is_told_in_russian_with_the_servers_answer(manager_client, smtp_starttls):
    page = manager_client.post("/messaging/mailbox/test/", _mail(smtp_starttls, password="x")).content.decode()
    assert 'data-testid="mail-test-problem"' in page
    assert "Почтовый сервер не принял логин или пароль: 535" in page
    assert smtp_starttls.inbox.letters == []
