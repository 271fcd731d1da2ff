"""Request id, trusted proxies, secure cookies, the Content-Security-Policy, no stored copies of signed-in answers,
no NUL characters: cross-cutting HTTP concerns."""

from __future__ import annotations

import ipaddress
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

_local = threading.local()


def current_request_id() -> str:
    return getattr(_local, "request_id", "-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class RequestIdMiddleware:
    """Gives every request an id, shown on error pages and written to every log line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex[:12]
        request.request_id = request_id  # type: ignore[attr-defined]
        _local.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            _local.request_id = "-"
        response["X-Request-Id"] = request_id
        return response


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    nets = []
    for item in settings.TRUSTED_PROXIES:
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            logging.getLogger(__name__).warning("KONTORA_TRUSTED_PROXIES: ignoring %r", item)
    return nets


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str:
    """The address of the person's computer: X-Forwarded-For is believed only from trusted proxies."""
    return getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = _networks()

    def _is_trusted(self, addr: str) -> bool:
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            return False
        return any(ip in net for net in self.trusted)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104
        ip = remote
        if self.trusted and self._is_trusted(remote):
            # Walk the chain from the nearest hop; the first untrusted address is the client. A hop that is no
            # address at all (garbage in the header) ends the walk at the last proxy that handed it on.
            chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
            for hop in reversed(chain):
                if not _is_address(hop):
                    break
                ip = hop
                if not self._is_trusted(hop):
                    break
            proto = request.META.get("HTTP_X_FORWARDED_PROTO", "").split(",")[0].strip().lower()
            if proto in {"http", "https"}:
                request.META["wsgi.url_scheme"] = proto
        request.client_ip = ip  # type: ignore[attr-defined]
        return self.get_response(request)


class SecureCookiesMiddleware:
    """Marks session and CSRF cookies Secure whenever the request itself came over HTTPS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.is_secure():
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    response.cookies[name]["secure"] = True
        return response


def _sources(*names: str) -> str:
    return " ".join(f"'{name}'" for name in names)


# The browser runs only the program's own files: no inline script or style, no eval, nothing from elsewhere
# (docs/architecture.md, "Browser code"). `data:` images are Bootstrap's icons inside its CSS; 'report-sample'
# puts the first characters of a blocked inline script or style into the violation report, so a test can name it.
# No exception: no hash, no 'unsafe-inline', no 'unsafe-hashes', no 'unsafe-eval'.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src " + _sources("self", "report-sample"),
    "style-src " + _sources("self", "report-sample"),
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


class ContentSecurityPolicyMiddleware:
    """The one place the policy is set: outermost, so error pages and other middleware's answers carry it too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response


def program_data(response: HttpResponseBase) -> HttpResponseBase:
    """Marks an answer that holds only the program's own files, the same for everyone and nothing of the base (the
    guide's pictures): `PrivateAnswersMiddleware` leaves its own Cache-Control to it, as to a static file."""
    response.kontora_program_data = True  # type: ignore[attr-defined]
    return response


class PrivateAnswersMiddleware:
    """Nothing a signed-in user is shown — pages, fragments, downloads — is kept by the browser's or a proxy's
    cache (`Cache-Control: no-store, private`): an office computer is shared, and Back after sign-out must not
    show a client's card. Static files never get here (WhiteNoise answers them first) and stay cacheable, and
    neither is an answer marked `program_data`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not getattr(response, "kontora_program_data", False):
            add_never_cache_headers(response)
        return response


class NoNulMiddleware:
    """A request whose path, query or form carries a NUL character is refused with a message (400): no text of
    ours may hold one, and PostgreSQL refuses it in a text — a search or a name would have failed there with a 500
    (issue 11, F6–F9). Form fields refuse it themselves, next to the field; this covers the values views read
    directly. A view exempt from the CSRF check reads its body itself (an upload installs its size limit first),
    so its form is left to it, as the CSRF check leaves it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], *args: Any) -> HttpResponse | None:
        reads_body = request.method == "POST" and not getattr(view, "csrf_exempt", False)
        if "\x00" in request.path or _has_nul(request.GET) or (reads_body and _has_nul(request.POST)):
            return HttpResponse(_("The request holds a NUL character, which no text may contain: remove it."),
                                status=400, content_type="text/plain; charset=utf-8")
        return None


def _has_nul(values: Any) -> bool:
    return any("\x00" in name or any("\x00" in value for value in items) for name, items in values.lists())
