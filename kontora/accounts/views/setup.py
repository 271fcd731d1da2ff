"""First-run wizard: step 1 our organisation (kept in the session), step 2 the first user (writes everything)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from kontora.accounts import selectors
from kontora.accounts.forms.setup import SetupUserForm
from kontora.accounts.services import setup as services
from kontora.core.errors import Conflict, Refused
from kontora.core.forms import SetupOrganisationForm
from kontora.core.services.organisation import BankAccountData, LegalEntityData

SESSION_KEY = "kontora_setup_organisation"


def _only_while_empty() -> None:
    # Once a user exists the wizard is gone: a 404, not a redirect that would hint at it.
    if not selectors.setup_required():
        raise Http404


def _steps(current: int) -> list[dict[str, Any]]:
    labels = [gettext("Your organisation"), gettext("First user")]
    return [{"number": i, "label": label, "current": i == current, "done": i < current}
            for i, label in enumerate(labels, start=1)]


@require_http_methods(["GET", "POST"])
def setup_organisation(request: HttpRequest) -> HttpResponse:
    _only_while_empty()
    lang = request.GET.get("lang")
    if lang in {"ru", "en"}:
        request.session["guest_language"] = lang
        return redirect("accounts:setup")
    form = SetupOrganisationForm(request.POST or None, initial=request.session.get(SESSION_KEY))
    if request.method == "POST" and form.is_valid():
        # Validated and normalised; nothing is written to the base before step 2.
        request.session[SESSION_KEY] = dict(form.cleaned_data)
        return redirect("accounts:setup_user")
    return render(request, "accounts/setup_organisation.html", {"form": form, "steps": _steps(1)})


def _already_done(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    messages.info(request, gettext("The program has already been set up. Sign in."))
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def setup_user(request: HttpRequest) -> HttpResponse:
    stored: dict[str, Any] | None = request.session.get(SESSION_KEY)
    if request.method == "POST" and stored and not selectors.setup_required():
        # This browser went through the wizard while the base was empty, but another one finished first.
        return _already_done(request)
    _only_while_empty()
    if not stored:
        return redirect("accounts:setup")
    form = SetupUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = LegalEntityData(**{
            name: stored.get(name, "") for name in LegalEntityData.__dataclass_fields__
        })
        bank = None
        if stored.get("bik"):
            bank = BankAccountData(
                bank_name=stored.get("bank_name", ""), bik=stored["bik"],
                corr_account=stored.get("corr_account", ""), account=stored.get("account", ""),
            )
        try:
            services.setup_complete(
                organisation=organisation, bank=bank, login=form.cleaned_data["login"],
                full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"],
            )
        except Conflict:
            return _already_done(request)
        except (ValidationError, Refused):
            # Step 1's data no longer passes (the rules changed under a running wizard): show it again.
            return redirect("accounts:setup")
        request.session.pop(SESSION_KEY, None)
        messages.success(request, gettext(
            "The organisation and the administrator account have been created. "
            "Sign in with the login and password you have entered."
        ))
        return redirect("accounts:login")
    context = {"form": form, "steps": _steps(2), "organisation": stored}
    return render(request, "accounts/setup_user.html", context)
