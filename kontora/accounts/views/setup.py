"""First-run wizard: step 1 our organisation (kept in the session), step 2 the first user (writes everything)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from kontora.accounts import selectors
from kontora.accounts.models import User
from kontora.accounts.services import setup as services
from kontora.core.forms import KontoraForm, SetupOrganisationForm
from kontora.core.services.organisation import BankAccountData, LegalEntityData

SESSION_KEY = "kontora_setup_organisation"


class SetupUserForm(KontoraForm):
    login = forms.CharField(
        label=_("Login"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    full_name = forms.CharField(label=_("Last name, first name, patronymic"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error("password2", ValidationError(_("The two passwords do not match."), code="mismatch"))
            else:
                probe = User(login=data.get("login", ""), full_name=data.get("full_name", ""))
                try:
                    password_validation.validate_password(password1, user=probe)
                except ValidationError as exc:
                    self.add_error("password1", exc)
        return data


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
        except services.SetupAlreadyDone:
            return _already_done(request)
        except ValidationError:
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
