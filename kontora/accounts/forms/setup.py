"""The first-run wizard's second step: the first user (step 1, our organisation, is core's form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kontora.accounts.models import User
from kontora.core.forms import KontoraForm


class SetupUserForm(KontoraForm):
    layout = {"user": {"login": "col-12", "full_name": "col-12", "password1": "col-md-6", "password2": "col-md-6"}}

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
