from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kontora.accounts import selectors
from kontora.accounts.forms.signin import SignInForm
from kontora.accounts.models import User
from kontora.accounts.services import signin as services
from kontora.core import budget
from kontora.core.errors import Refused, Throttled, error_messages
from kontora.core.selectors.settings import system_settings

REASONS = {
    "disabled": gettext_lazy("Your account has been disabled by the administrator. The session is closed."),
    "dismissed": gettext_lazy("Your account belongs to a dismissed employee. The session is closed."),
}


@budget.unbudgeted
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    lang = request.GET.get("lang")
    if lang in {"ru", "en"}:
        request.session["guest_language"] = lang
        return redirect("accounts:login")
    system = system_settings()
    form = SignInForm(request.POST or None)
    error = ""
    status, retry_after = 200, 0
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in(request, login=form.cleaned_data["login"], password=form.cleaned_data["password"])
        except Refused as exc:
            error = " ".join(error_messages(exc))
            status = exc.status if isinstance(exc, Throttled) else 401
            retry_after = exc.retry_after if isinstance(exc, Throttled) else 0
        else:
            _tell_what_others_did(request, user)
            target = request.POST.get("next") or ""
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                target = ""
            if target in ("", "/"):  # the main window is where anyone lands: a page asked for wins over a landing
                target = selectors.signin_landing(user)
            return HttpResponseRedirect(target or "/")
    context = {
        "form": form,
        "error": error,
        "notice": REASONS.get(request.GET.get("reason", ""), ""),
        "user_choices": selectors.login_choices() if system.login_user_list else None,
        "next": request.GET.get("next") or request.POST.get("next", ""),
    }
    response = render(request, "accounts/login.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _tell_what_others_did(request: HttpRequest, user: User) -> None:
    """The notice right after sign-in (F1): who did what to the user's account or clients, and when, since his
    previous sign-in, on the first page after signing in (a reset of his password until he sets his own)."""
    notices = selectors.signin_notices(user)
    if notices is None:
        return
    if notices.previous_at is not None:
        lead = gettext(
            "Since your previous sign-in (%(when)s, from %(ip)s) others did this to your account or clients:"
        ) % {"when": _when(notices.previous_at), "ip": notices.previous_ip or "?"}
    else:
        lead = gettext("Before your first sign-in others did this to your account or clients:")
    messages.warning(request, lead)
    for item in notices.items:
        messages.warning(request, gettext("%(when)s — %(actor)s: %(action)s") % {
            "when": _when(item.at), "actor": item.actor or gettext("a deleted user"), "action": item.action})
    if notices.more:
        messages.warning(request, gettext("… and %(count)d earlier ones.") % {"count": notices.more})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.sign_out(request)
    response = redirect("accounts:login")
    return response
