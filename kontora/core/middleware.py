"""Request id, trusted proxies, secure cookies, the Content-Security-Policy: cross-cutting HTTP concerns."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import logging
import threading
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

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
            # Walk the chain from the nearest hop; the first untrusted address is the client.
            chain = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
            for hop in reversed(chain):
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


# The client card's inline code, let through by hash until the card's rebuild (issue 10) moves it into behaviours
# and kontora.css: its two scripts (the tab holding the first error; "same as legal") and the values of its style
# attributes. Nothing else inline runs or applies. tests/architecture/test_browser.py fails once the card no longer
# has one of them, so these lists only shrink; the policy itself needs no 'unsafe-inline'.
PENDING_SCRIPT_HASHES = (
    "sha256-v6wTsoPanIt3jQykUTmqGQxkQNCzQkGOTtCk01ncf0c=",  # clients/card.html
    "sha256-IVE4W+O1o621qetc1A8UPd5o2xO6NUQFDPcerN/13Os=",  # clients/partials/tab_registration.html
)
PENDING_STYLE_ATTRIBUTES = (
    "max-width: 72rem;", "max-width: 36rem;", "white-space: pre-wrap;", "width: 7rem;", "width: 9rem;",
    "width: 10rem;", "width: 11rem;", "width: 12rem;", "width: 13rem;", "width: 18rem;",
)


def csp_hash(text: str) -> str:
    """The policy's name for one inline script or style attribute: its SHA-256, in base64."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _sources(*names: str) -> str:
    return " ".join(f"'{name}'" for name in names)


# The browser runs only the program's own files: no inline script or style, no eval, nothing from elsewhere
# (docs/architecture.md, "Browser code"). `data:` images are Bootstrap's icons inside its CSS; 'report-sample'
# puts the first characters of a blocked inline script or style into the violation report, so a test can name it.
# 'unsafe-hashes' lets a style attribute through only when its hash is listed (the card's pending ones).
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src " + _sources("self", "report-sample", *PENDING_SCRIPT_HASHES),
    "style-src " + _sources(
        "self", "report-sample", *(["unsafe-hashes"] if PENDING_STYLE_ATTRIBUTES else []),
        *(csp_hash(value) for value in PENDING_STYLE_ATTRIBUTES),
    ),
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
