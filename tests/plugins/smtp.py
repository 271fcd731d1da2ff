"""Fixtures of the mail tests — messaging's and group processing's mailings: a real SMTP server on 127.0.0.1
(tests.messaging.support), STARTTLS or SSL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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
