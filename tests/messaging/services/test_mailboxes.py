"""The user's mailbox (GRP-03): its password sealed and never kept in the clear, and the test letter through a
real SMTP server (AUTH over STARTTLS, SSL from the start) with the server's exact answer, or a clear refusal: a
wrong password, an unreachable server, a server that wants OAuth, a password sealed under another key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from kontora.core.errors import Refused
from kontora.core.models import AuditEvent
from kontora.messaging.models import Mailbox
from kontora.messaging.services import mailboxes
from kontora.messaging.services.mailboxes import mailbox_save, mailbox_test_send, password_unseal
from tests.messaging.support import LOGIN, PASSWORD


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _values(server: Any, **changes: Any) -> dict[str, Any]:
    return {"host": "localhost", "port": server.port, "security": server.security, "sender_name": "Отдел продаж",
            "address": LOGIN, "login": LOGIN, "password": PASSWORD, **changes}


@pytest.mark.feature("GRP-03")
def test_the_password_is_kept_sealed_never_in_the_clear_and_an_empty_one_keeps_it(admin_user):
    # when the mailbox is saved with a password, then again without one
    mailbox_save(acting_user=admin_user, values={"host": "smtp.romashka.test", "port": 465, "security": "ssl",
                                                   "address": LOGIN, "login": LOGIN, "password": PASSWORD})
    sealed = Mailbox.objects.get(user=admin_user).password_sealed
    mailbox_save(acting_user=admin_user, values={"host": "smtp2.romashka.test", "port": 465, "security": "ssl",
                                                   "address": LOGIN, "login": LOGIN, "password": ""})
    # then the base holds it sealed (readable only with the mail key), and the second save kept it
    mailbox = Mailbox.objects.get(user=admin_user)
    assert PASSWORD not in sealed and mailbox.password_sealed == sealed
    assert password_unseal(sealed) == PASSWORD and mailbox.host == "smtp2.romashka.test"
    # and the history says the password changed without showing it
    rows = AuditEvent.objects.filter(event="messaging.mailbox.save").order_by("pk")
    assert rows.count() == 2
    assert all(PASSWORD not in str(row.changes) for row in rows)


@pytest.mark.feature("GRP-03")
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_test_letter_goes_through_the_real_server_and_its_answer_is_reported(admin_user, request, security):
    server = request.getfixturevalue(f"smtp_{security}")
    answer = mailbox_test_send(acting_user=admin_user, values=_values(server))
    assert answer == "250 2.0.0 Ok: queued as K0NT0RA"
    assert server.inbox.envelopes == [(LOGIN, [LOGIN])]
    letter = server.inbox.letters[0]
    assert str(letter["From"]) == f"Отдел продаж <{LOGIN}>"  # a Cyrillic name travels encoded (RFC 2047)
    assert "Kontora" in str(letter["Subject"]) and "The mailbox works." in letter.get_content()


@pytest.mark.feature("GRP-03")
def test_the_kept_password_is_used_when_none_is_typed(admin_user, smtp_starttls):
    mailbox_save(acting_user=admin_user, values=_values(smtp_starttls))
    assert mailbox_test_send(acting_user=admin_user, values=_values(smtp_starttls, password="")).startswith("250")


@pytest.mark.feature("GRP-03")
def test_a_wrong_password_is_refused_with_the_servers_answer(admin_user, smtp_starttls):
    with pytest.raises(Refused) as refused:
        mailbox_test_send(acting_user=admin_user, values=_values(smtp_starttls, password="не тот"))
    assert refused.value.field == "password"
    assert refused.value.message.startswith("The mail server did not accept the login or the password: 535")
    assert smtp_starttls.inbox.letters == []


@pytest.mark.feature("GRP-03")
def test_an_unreachable_server_is_named_in_the_refusal(admin_user, smtp_starttls):
    with pytest.raises(Refused, match="Cannot connect to the mail server localhost:1"):
        mailbox_test_send(acting_user=admin_user, values=_values(smtp_starttls, port=1))


@pytest.mark.feature("GRP-03")
def test_a_server_that_wants_oauth_says_so(admin_user, smtp_oauth_only):
    with pytest.raises(Refused, match="accepts only OAuth sign-in \\(XOAUTH2\\)"):
        mailbox_test_send(acting_user=admin_user, values=_values(smtp_oauth_only))


@pytest.mark.feature("GRP-03")
def test_a_server_whose_certificate_is_not_trusted_is_refused(admin_user, smtp_ssl, settings):
    settings.MAIL_CA_FILE = ""
    with pytest.raises(Refused, match="No secure connection with localhost"):
        mailbox_test_send(acting_user=admin_user, values=_values(smtp_ssl))


@pytest.mark.feature("GRP-03")
def test_a_password_sealed_under_another_key_asks_to_be_entered_again(admin_user, smtp_starttls, monkeypatch):
    mailbox_save(acting_user=admin_user, values=_values(smtp_starttls))
    monkeypatch.setattr(mailboxes.config, "mail_key", lambda home: "A" * 43 + "=")
    with pytest.raises(Refused, match="enter the password again"):
        mailbox_test_send(acting_user=admin_user, values=_values(smtp_starttls, password=""))
