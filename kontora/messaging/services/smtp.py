"""Talking to an SMTP server (GRP-03): one connection as the mailbox asks for (SSL from the start, STARTTLS or
plain), signing in, one letter, and the server's own answer — or a refusal that says in the user's words what
went wrong and quotes the server.

Certificates are checked against the system's authorities, plus `settings.MAIL_CA_FILE` (KONTORA_MAIL_CA_FILE: an
office's own authority, or the tests' throwaway one).
"""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from django.conf import settings
from django.utils.translation import gettext as _

from kontora.core.errors import Refused

TIMEOUT_S = 20
# Sign-in mechanisms smtplib speaks; a server that offers only OAuth's wants a token, not a password.
PASSWORD_MECHANISMS = {"PLAIN", "LOGIN", "CRAM-MD5"}
OAUTH_MECHANISMS = {"XOAUTH2", "OAUTHBEARER"}
OAUTH_HINTS = ("oauth", "application-specific password", "app password", "5.7.9", "web login required")


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # Mailbox.Security
    login: str
    password: str


def _context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    extra = getattr(settings, "MAIL_CA_FILE", "")
    if extra:
        context.load_verify_locations(cafile=extra)
    return context


def _text(answer: bytes | str) -> str:
    return (answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)).strip()


def _connect(server: Server) -> smtplib.SMTP:
    where = f"{server.host}:{server.port}"
    try:
        if server.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_S, context=_context())
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_S)
            smtp.ehlo()
            if server.security == "starttls":
                if not smtp.has_extn("starttls"):
                    smtp.close()
                    raise Refused(_("The server %(where)s does not offer STARTTLS: choose SSL/TLS or check the port.")
                                  % {"where": where}, field="security")
                smtp.starttls(context=_context())
                smtp.ehlo()
    except socket.gaierror as exc:
        raise Refused(_("The mail server “%(host)s” is not found: %(reason)s.") % {
            "host": server.host, "reason": exc.strerror or exc}, field="host") from exc
    except ssl.SSLError as exc:
        raise Refused(_("No secure connection with %(where)s: %(reason)s. Check the encryption and the port.") % {
            "where": where, "reason": exc.reason or exc}, field="security") from exc
    except smtplib.SMTPException as exc:
        raise Refused(_("The server %(where)s broke off the connection: %(reason)s") % {
            "where": where, "reason": exc}) from exc
    except OSError as exc:
        raise Refused(_("Cannot connect to the mail server %(where)s: %(reason)s.") % {
            "where": where, "reason": exc.strerror or exc}, field="host") from exc
    return smtp


def _sign_in(smtp: smtplib.SMTP, server: Server) -> None:
    if not server.login:
        return
    smtp.ehlo_or_helo_if_needed()  # an SSL connection has not greeted yet: its features are unknown
    offered = set((smtp.esmtp_features.get("auth") or "").upper().split())
    if offered and not offered & PASSWORD_MECHANISMS and offered & OAUTH_MECHANISMS:
        raise Refused(_("The mail server accepts only OAuth sign-in (%(ways)s), which the program does not support: "
                        "use the provider's app password or another mailbox.") % {"ways": ", ".join(sorted(offered))},
                      field="password")
    try:
        if (server.login + server.password).isascii() or "PLAIN" not in offered:
            smtp.login(server.login, server.password)
        else:
            # smtplib encodes credentials as ASCII; SASL PLAIN is UTF-8 (RFC 4616): a Cyrillic password signs in.
            token = base64.b64encode(b"\0" + server.login.encode() + b"\0" + server.password.encode()).decode()
            code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
            if code != 235:
                raise smtplib.SMTPAuthenticationError(code, reply)
    except smtplib.SMTPAuthenticationError as exc:
        said = f"{exc.smtp_code} {_text(exc.smtp_error)}"
        if any(hint in said.lower() for hint in OAUTH_HINTS):
            raise Refused(_("The mail server demands OAuth or an app password, not the mailbox's password: "
                            "%(answer)s") % {"answer": said}, field="password") from exc
        raise Refused(_("The mail server did not accept the login or the password: %(answer)s") % {
            "answer": said}, field="password") from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise Refused(_("The mail server does not take a login here: switch encryption on, or leave the login "
                        "empty."), field="login") from exc


@dataclass(frozen=True)
class Reply:
    """How one letter went: the server's code (0: no connection) and what to tell the user, with the server's own
    words; `stage` says where it stopped ("connect", "auth", "recipient", "data") or "sent"."""

    code: int
    text: str
    stage: str
    field: str | None = None

    @property
    def sent(self) -> bool:
        return self.stage == "sent"

    @property
    def temporary(self) -> bool:
        """Worth trying again later: no connection, or a 4xx answer."""
        return self.code == 0 or 400 <= self.code < 500


def _recipients(letter: EmailMessage) -> list[str]:
    return [address.addr_spec for header in ("To", "Cc", "Bcc")
            for address in (letter[header].addresses if letter[header] else ())]


def _send(smtp: smtplib.SMTP, letter: EmailMessage) -> Reply:
    """One letter over a signed-in connection. A refusal of the sender or a recipient resets the transaction, so
    the connection carries the next letter."""
    stage = "recipient"
    try:
        sender = letter["From"].addresses[0].addr_spec
        code, answer = smtp.mail(sender)
        if code != 250:
            smtp.rset()
            return Reply(code, _("The mail server refused the letter: %(answer)s") % {
                "answer": f"{code} {_text(answer)}"}, "recipient")
        for recipient in _recipients(letter):
            code, answer = smtp.rcpt(recipient)
            if code not in (250, 251):
                smtp.rset()
                return Reply(code, _("The mail server refused the recipient %(address)s: %(answer)s") % {
                    "address": recipient, "answer": f"{code} {_text(answer)}"}, "recipient")
        stage = "data"
        # On the wire: CRLF line ends (a bare LF is refused by strict servers, and aiosmtpd reads a whole letter
        # of them as one over-long line), and header lines up to RFC 5322's 998, so that a long List-Unsubscribe
        # link stays a link instead of being RFC 2047-encoded where mail programs cannot read it.
        code, answer = smtp.data(letter.as_bytes(policy=letter.policy.clone(linesep="\r\n", max_line_length=998)))
        if code != 250:
            return Reply(code, _("The mail server refused the letter: %(answer)s") % {
                "answer": f"{code} {_text(answer)}"}, "data")
        return Reply(code, f"{code} {_text(answer)}", "sent")
    except smtplib.SMTPResponseException as exc:
        return Reply(exc.smtp_code, _("The mail server refused the letter: %(answer)s") % {
            "answer": f"{exc.smtp_code} {_text(exc.smtp_error)}"}, stage)
    except (smtplib.SMTPException, OSError) as exc:
        # The connection broke: whether the letter got through is not known only after DATA was sent.
        return Reply(0, _("The mail server broke off the connection: %(reason)s") % {"reason": exc}, stage)


class SmtpSession:
    """One connection for many letters of one mailbox (a mailing's): the TLS handshake and the sign-in once, not
    once a letter. Opened at the first letter; a letter whose connection broke closes it, and the next opens a new
    one. Use as a context manager: it says goodbye to the server at the end."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def deliver(self, letter: EmailMessage) -> Reply:
        """Sends one letter and says how it went; never raises for what a server or the network answers."""
        if self._smtp is None:
            try:
                smtp = _connect(self.server)
            except Refused as exc:
                return Reply(0, exc.message, "connect", exc.field)
            try:
                _sign_in(smtp, self.server)
            except Refused as exc:
                smtp.close()
                return Reply(535, exc.message, "auth", exc.field)
            except (smtplib.SMTPException, OSError) as exc:
                smtp.close()
                return Reply(0, _("The mail server broke off the connection: %(reason)s") % {"reason": exc}, "auth")
            self._smtp = smtp
        reply = _send(self._smtp, letter)
        if reply.code == 0 or reply.code == 421:  # the connection is gone, or the server is closing it
            self.close()
        return reply


def smtp_deliver(server: Server, letter: EmailMessage) -> Reply:
    """Sends one letter over a connection of its own."""
    with SmtpSession(server) as session:
        return session.deliver(letter)


def smtp_send(server: Server, letter: EmailMessage) -> str:
    """Sends one letter; the server's answer to it ("250 …"). Refused, with the server's answer, otherwise."""
    reply = smtp_deliver(server, letter)
    if not reply.sent:
        raise Refused(reply.text, field=reply.field)
    return reply.text
