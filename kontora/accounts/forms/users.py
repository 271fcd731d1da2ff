"""Forms of Administration → Users: the user card (General and Rights tabs in one form)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kontora.accounts import hooks, selectors
from kontora.accounts.models import ClientScope, Role, User
from kontora.accounts.services.users import UserAccess, UserProfile
from kontora.core.forms import KontoraForm
from kontora.core.selectors import structure as core_selectors

LOGIN_RE = re.compile(r"^[\w.@-]+$")

# Which tab a field lives on: the card opens the tab of the first field with an error.
RIGHTS_TAB_FIELDS = ("role", "client_scope", "rights")


class PositionSelect(forms.Select):
    """Each position carries its department, so the card can offer only the chosen department's positions."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        instance = getattr(option["value"], "instance", None)
        if instance is not None:
            option["attrs"]["data-department"] = str(instance.department_id)
        return option


class UserCardForm(KontoraForm):
    layout = {
        "person": {name: "col-12" for name in ("full_name", "login", "department", "position", "doc_prefix")},
        "contacts": {name: "col-12" for name in ("email", "mobile", "language")},
        "state": {"disabled": "col-12", "dismissed": "col-12"},
        "password": {"password": "col-6", "password_confirm": "col-6"},
    }

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    login = forms.CharField(label=_("Login"), max_length=64)
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=core_selectors.department_choices(),
        empty_label="—",
    )
    position = forms.ModelChoiceField(
        label=_("Position"), required=False, queryset=core_selectors.position_choices(), empty_label="—",
        widget=PositionSelect,
        help_text=_("The positions of the chosen department (Administration → Enterprise: structure)."),
    )
    doc_prefix = forms.CharField(
        label=_("Document number prefix"), max_length=10, required=False,
        help_text=_("Put before the numbers of documents this user issues, e.g. \"АМ\" gives АМ-422."),
    )
    email = forms.EmailField(label=_("Work e-mail"), required=False)
    mobile = forms.CharField(label=_("Mobile phone"), max_length=32, required=False)
    disabled = forms.BooleanField(label=_("Disable the account"), required=False)
    dismissed = forms.BooleanField(label=_("Employee dismissed"), required=False)
    language = forms.ChoiceField(label=_("Interface language"), choices=settings.LANGUAGES, initial="ru")
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False))
    password_confirm = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MANAGER)
    client_scope = forms.ChoiceField(
        label=_("Working mode with clients"), choices=ClientScope.choices, initial=ClientScope.OWN,
        widget=forms.RadioSelect,
    )
    rights = forms.MultipleChoiceField(
        label=_("Permissions"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(right.code, right.label) for right in hooks.all_rights() if right.grantable],
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        self.user = user
        if user is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(user)
        super().__init__(*args, **kwargs)
        # Inactive structure items are not offered, except the ones this card already carries.
        self.fields["department"].queryset = core_selectors.department_choices(  # type: ignore[attr-defined]
            keep_id=user.department_id if user else None
        )
        self.fields["position"].queryset = core_selectors.position_choices(  # type: ignore[attr-defined]
            keep_id=user.position_id if user else None
        )
        # The registry may have grown after this module was imported: always offer every right.
        self.fields["rights"].choices = [  # type: ignore[attr-defined]
            (right.code, right.label) for right in hooks.all_rights() if right.grantable
        ]
        if user is not None:
            self.fields["password"].required = False
            self.fields["password_confirm"].required = False
            self.fields["password"].label = _("New password")
            self.fields["password_confirm"].label = _("New password again")
            self.fields["password"].help_text = _("Leave empty to keep the current password.")
        for name in ("password", "password_confirm"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"
        self.fields["login"].widget.attrs.update(autocomplete="off", spellcheck="false")

    @property
    def is_new(self) -> bool:
        return self.user is None

    def clean_login(self) -> str:
        login: str = self.cleaned_data["login"].strip()
        if not LOGIN_RE.match(login):
            raise forms.ValidationError(
                _("A login may contain letters, digits and the characters . _ - @ only, without spaces.")
            )
        if selectors.login_taken(login, exclude_pk=self.user.pk if self.user else None):
            raise forms.ValidationError(
                _("A user with this login already exists (logins do not depend on letter case).")
            )
        return login

    def clean_doc_prefix(self) -> str:
        prefix: str = self.cleaned_data["doc_prefix"].strip()
        if any(ch.isspace() for ch in prefix):
            raise forms.ValidationError(_("The prefix cannot contain spaces."))
        return prefix

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password, confirm = data.get("password") or "", data.get("password_confirm") or ""
        if (password or confirm) and password != confirm:
            self.add_error("password_confirm", _("The passwords do not match."))
        department, position = data.get("department"), data.get("position")
        if position is not None and department is None:
            data["department"] = position.department
        elif position is not None and department is not None and position.department_id != department.pk:
            self.add_error("position", _("Choose a position of the chosen department."))
        return data

    def profile(self) -> UserProfile:
        data = self.cleaned_data
        return UserProfile(
            login=data["login"], full_name=data["full_name"].strip(),
            department_id=data["department"].pk if data["department"] else None,
            position_id=data["position"].pk if data["position"] else None, doc_prefix=data["doc_prefix"],
            email=data["email"],
            mobile=data["mobile"].strip(), disabled=data["disabled"], dismissed=data["dismissed"],
            language=data["language"],
        )

    def access(self) -> UserAccess:
        data = self.cleaned_data
        return UserAccess(role=data["role"], client_scope=data["client_scope"], rights=frozenset(data["rights"]))

    def error_tab(self) -> str | None:
        """The tab to open after a failed save: the first one holding an error."""
        if not self.errors:
            return None
        fields = [name for name in self.errors if name != "__all__"]
        if fields and all(name in RIGHTS_TAB_FIELDS for name in fields):
            return "rights"
        return "general"


def initial_for(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: getattr(user, name)
        for name in ("full_name", "login", "doc_prefix", "email", "mobile", "disabled", "dismissed", "language", "role",
                     "client_scope")
    }
    data["department"], data["position"] = user.department_id, user.position_id
    data["rights"] = sorted(selectors.granted_rights(user))
    return data
