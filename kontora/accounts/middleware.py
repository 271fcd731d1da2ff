from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from kontora.accounts import selectors
from kontora.accounts.services import sessions as session_services
from kontora.core.htmx import go
from kontora.core.selectors.calendar import user_zone

LAST_SEEN_EVERY = timedelta(seconds=60)


class AccountStateMiddleware:
    """Ends the session of a user who was disabled or dismissed, at their very next request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            if not user.is_active:
                reason = "dismissed" if user.dismissed else "disabled"
                logout(request)
                return go(request, f"{reverse('accounts:login')}?reason={reason}")
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any) -> None:
        # Background polls (the notification bell) are not the person's activity: they must not keep
        # the Active users list fresh nor rewrite the session cookie.
        if request.user.is_authenticated and not getattr(view_func, "passive_request", False):
            session_services.session_touch(request, every=LAST_SEEN_EVERY, now=timezone.now())


class UserLanguageMiddleware:
    """Russian by default; a signed-in user's own choice wins; ?lang= on the login page for guests."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = "ru"
        if request.user.is_authenticated:
            lang = request.user.language
        else:
            lang = request.session.get("guest_language", "ru")
        translation.activate(lang)
        request.LANGUAGE_CODE = lang  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response


class UserClockMiddleware:
    """A signed-in user's request runs on his clock: every date and time its page prints, and every one its forms
    read, is in his time zone (Parameters; else the office's). His zone comes with his row (accounts.backends,
    core.selectors.calendar.with_clock), so this costs no query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        timezone.activate(user_zone(request.user))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SetupRequiredMiddleware:
    """While the base has no user, every page leads to the first-run wizard."""

    EXEMPT_PREFIXES = ("/setup/", "/static/", "/health")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not request.path.startswith(self.EXEMPT_PREFIXES) and selectors.setup_required()
            and not self._wizard_open(request)
        ):
            return go(request, reverse("accounts:setup"))
        return self.get_response(request)

    @staticmethod
    def _wizard_open(request: HttpRequest) -> bool:
        """A view the wizard's page calls (`core.permissions.wizard_open`), such as the bank by BIK."""
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return bool(getattr(match.func, "kontora_wizard_open", False))
