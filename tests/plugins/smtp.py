"""Fixtures of the mail and SMS tests — messaging's and group processing's mailings: a real SMTP server on
127.0.0.1 (tests.messaging.support), STARTTLS or SSL; a real SMPP SMSC and SMS.ru's HTTP API
(tests.messaging.sms_support)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.messaging.sms_support import Smsc, SmsRu, serve_smpp, serve_smsru
from tests.messaging.support import OAuthInbox, RefusingInbox, SmtpServer, make_certificate, serve


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture
def smtp_starttls(certificate: tuple[Path, Path], settings: Any) -> Iterator[SmtpServer]:
    yield from serve(certificate, settings, "starttls")


@pytest.fixture
def smtp_ssl(certificate: tuple[Path, Path], settings: Any) -> Iterator[SmtpServer]:
    yield from serve(certificate, settings, "ssl")


@pytest.fixture
def smtp_oauth_only(certificate: tuple[Path, Path], settings: Any) -> Iterator[SmtpServer]:
    yield from serve(certificate, settings, "starttls", OAuthInbox(), auth_exclude_mechanism=["LOGIN", "PLAIN"])


@pytest.fixture
def smtp_refusing(certificate: tuple[Path, Path], settings: Any) -> Iterator[SmtpServer]:
    """A server whose answers the test sets: `server.inbox.refusals`, `server.inbox.unknown`."""
    yield from serve(certificate, settings, "starttls", RefusingInbox())


@pytest.fixture
def smsc() -> Iterator[Smsc]:
    """A real SMPP 3.4 SMSC on 127.0.0.1 (tests.messaging.sms_support): system_id SYSTEM_ID, password
    SMPP_PASSWORD; set `bind_status`, `submit_statuses`, `receipts`; read `submitted`, `messages()`, `binds`."""
    yield from serve_smpp()


@pytest.fixture
def smsru() -> Iterator[SmsRu]:
    """SMS.ru's HTTP API on 127.0.0.1: api_id API_ID, sender "Romashka" approved; set `balance`, `errors`, `down`;
    read `sent`, `requests`. Its address is `smsru.url` (the account's api_url)."""
    yield from serve_smsru()
