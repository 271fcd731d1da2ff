"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd): AUTH with one login and password, STARTTLS or
SSL from the start with a throwaway certificate made here (and trusted through settings.MAIL_CA_FILE), and every
letter it got, parsed."""

from __future__ import annotations

import datetime
import email
import email.policy
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

LOGIN, PASSWORD = "sales@romashka.test", "верный-пароль"


@dataclass
class Inbox:
    letters: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)  # each letter as it came over the wire
    peers: set[tuple[str, int]] = field(default_factory=set)  # the connections letters came over

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str,
                          responses: list[str]) -> list[str]:
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.raw.append(envelope.original_content)
        self.peers.add(tuple(session.peer[:2]))
        self.letters.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 2.0.0 Ok: queued as K0NT0RA"


@dataclass
class RefusingInbox(Inbox):
    """Answers each letter's DATA with the next of `refusals` ("451 …", "554 …") while any are left, then takes it;
    a recipient in `unknown` is refused at RCPT with 550."""

    refusals: list[str] = field(default_factory=list)
    unknown: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.unknown:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusals:
            return self.refusals.pop(0)
        return await super().handle_DATA(server, session, envelope)


class OAuthInbox(Inbox):
    """A server that offers only OAuth sign-in (as a provider that has switched passwords off)."""

    async def auth_XOAUTH2(self, server: Any, args: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)


@dataclass
class SmtpServer:
    inbox: Inbox
    port: int
    security: str


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.login.decode() == LOGIN and data.password.decode() == PASSWORD
    return AuthResult(success=ok, handled=False)


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for "localhost" and its key, as PEM files in `folder`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(certificate: tuple[Path, Path], settings: Any, security: str, inbox: Inbox | None = None,
          **options: Any) -> Iterator[SmtpServer]:
    """The server, running until the generator is closed; the client trusts its certificate (MAIL_CA_FILE)."""
    cert_path, key_path = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    settings.MAIL_CA_FILE = str(cert_path)
    inbox, port = inbox or Inbox(), _free_port()
    tls = {"ssl_context": context} if security == "ssl" else {"tls_context": context, "require_starttls": True}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, server_hostname="localhost",
                            authenticator=_authenticate,
                            # aiosmtpd counts only STARTTLS as TLS: on an SSL connection AUTH is already encrypted
                            auth_require_tls=security != "ssl", **tls, **options)
    controller.start()
    try:
        yield SmtpServer(inbox=inbox, port=port, security=security)
    finally:
        controller.stop()


def subscribed(client: Any, address: str, *, subscribed: bool = True, whose: str = "") -> Any:
    """One of the client's mailing addresses, as the card's Mailing tab keeps it."""
    from kontora.clients.models import ClientMailingAddress

    return ClientMailingAddress.objects.create(client=client, kind=ClientMailingAddress.Kind.EMAIL, value=address,
                                               value_key=address.lower(), owner_name=whose, subscribed=subscribed)


def mailbox_of(user: Any, server: SmtpServer, **values: Any) -> None:
    """The user's mailbox on the test server: its limits as given, else the defaults; its sending hours as given,
    else the whole day (a test that sends at the real time must not depend on the hour it runs at)."""
    from kontora.messaging.services.mailboxes import mailbox_save

    mailbox_save(acting_user=user, values={"host": "localhost", "port": server.port, "security": server.security,
                                           "sender_name": "Отдел продаж", "address": LOGIN, "login": LOGIN,
                                           "password": PASSWORD, "window_from": datetime.time(0),
                                           "window_to": datetime.time(0), **values})


def moscow(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment `days` after today on the office's clock (Moscow), at hour:minute: tests that freeze the worker's
    time keep it after the rows they queue now, whatever day they run."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Europe/Moscow")
    day = datetime.datetime.now(zone).date() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
