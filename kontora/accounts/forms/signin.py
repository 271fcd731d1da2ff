"""The login page's form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from kontora.core.forms import KontoraForm


class SignInForm(KontoraForm):
    login = forms.CharField(label=gettext_lazy("User"), max_length=64)
    password = forms.CharField(label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput)
