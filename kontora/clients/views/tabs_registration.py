"""The card's Registration data panel with the history of changes in legal documents (CLI-06), and the
person's Passport and personal data tab (CLI-01).

Both panels are loaded by htmx into panes that sit inside the card's main form, so their inputs belong to a
detached form (`form="k-…-detached"`): OK of the card does not send them, and their own Save posts only them.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from kontora.clients import access
from kontora.clients.models import Client, ClientLegalChange, ClientPersonal, ClientRegistration
from kontora.clients.tabs import registration as reg
from kontora.clients.views.modal import list_changed
from kontora.core.forms import KontoraForm


class _Date(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class _Amount(forms.DecimalField):
    """A sum as people type it: "10 000,50" (spaces between thousands, a comma or a point)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")
        return super().to_python(value)


def _widen(form: forms.BaseForm, name: str, **attrs: str) -> None:
    """A free text field of the model's label: people type numbers with spaces and dashes; the service keeps
    the digits and names what is wrong."""
    old = form.fields[name]
    form.fields[name] = forms.CharField(label=old.label, required=False, max_length=20, help_text=old.help_text)
    form.fields[name].widget.attrs.update(inputmode="numeric", **attrs)


def _detach(form: forms.BaseForm, name: str) -> None:
    for field in form.fields.values():
        field.widget.attrs["form"] = name


class RegistrationForm(KontoraForm):
    prefix = "reg"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(ClientRegistration, fields=reg.REGISTRATION_FIELDS, widgets={
            "registration_date": _Date(),
        }))
        _widen(self, "okpo")
        _widen(self, "oktmo")
        self.fields["okved"].help_text = _("For example, 62.01")
        self.fields["charter_capital"] = _Amount(
            label=self.fields["charter_capital"].label, required=False, max_digits=18, decimal_places=2,
            localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"
        _detach(self, "k-registration-detached")


class LegalChangeForm(KontoraForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(ClientLegalChange, fields=reg.LEGAL_CHANGE_FIELDS, widgets={
            "date": _Date(), "description": forms.Textarea(attrs={"rows": 3}),
        }))
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"


class PersonalForm(KontoraForm):
    prefix = "personal"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(ClientPersonal, fields=reg.PERSONAL_FIELDS, widgets={
            "birth_date": _Date(), "passport_issued_on": _Date(),
        }))
        for name, hint in (("passport_series", "1234"), ("passport_number", "567890"),
                           ("passport_division", "770-001"), ("snils", "112-233-445 95")):
            _widen(self, name, placeholder=hint)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"
        _detach(self, "k-personal-detached")


def _initial(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


def _read_only(form: forms.BaseForm, can_edit: bool) -> None:
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True


# --- registration data ---

def _company(request: HttpRequest, client_id: int) -> Client:
    client = access.access_client(request.user, client_id)
    if client.kind != Client.Kind.COMPANY:
        raise Http404
    return client


@login_required
@require_http_methods(["GET", "POST"])
def registration_panel(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _company(request, client_id)
    can_edit = access.can_edit_main_data(request.user, client)
    form = RegistrationForm(request.POST or None,
                            initial=_initial(reg.registration_of(client), reg.REGISTRATION_FIELDS))
    saved = False
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                row = reg.registration_save(acting_user=request.user, client=client, values=form.cleaned_data)
            except ValidationError as exc:
                form.apply_error(exc)
            else:
                saved = True
                form = RegistrationForm(initial=_initial(row, reg.REGISTRATION_FIELDS))
    _read_only(form, can_edit)
    return render(request, "clients/partials/tab_registration.html", {
        "client": client, "form": form, "can_edit": can_edit, "saved": saved,
        "field_names": ",".join(form[name].html_name for name in form.fields),
        "changes": reg.legal_changes_of(client),
    })


def _editable_company(request: HttpRequest, client_id: int) -> Client:
    client = _company(request, client_id)
    if not access.can_edit_main_data(request.user, client):
        raise PermissionDenied
    return client


@login_required
@require_http_methods(["GET", "POST"])
def legal_change_new(request: HttpRequest, client_id: int) -> HttpResponse:
    return _legal_change(request, _editable_company(request, client_id), None)


@login_required
@require_http_methods(["GET", "POST"])
def legal_change_edit(request: HttpRequest, client_id: int, change_id: int) -> HttpResponse:
    client = _editable_company(request, client_id)
    return _legal_change(request, client, reg.access_legal_change(client, change_id))


def _legal_change(request: HttpRequest, client: Client, change: ClientLegalChange | None) -> HttpResponse:
    form = LegalChangeForm(request.POST or None,
                           initial=_initial(change, reg.LEGAL_CHANGE_FIELDS) if change else None)
    if request.method == "POST" and form.is_valid():
        try:
            if change is None:
                reg.legal_change_create(acting_user=request.user, client=client, values=form.cleaned_data)
            else:
                reg.legal_change_update(acting_user=request.user, change=change, values=form.cleaned_data)
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _changes_changed(request, client)
    action = reverse("clients:legal_change_edit", args=[client.pk, change.pk]) if change \
        else reverse("clients:legal_change_new", args=[client.pk])
    return render(request, "clients/partials/tab_registration_change_form.html", {
        "form": form, "client": client, "change": change, "action": action,
    })


@login_required
@require_POST
def legal_change_delete(request: HttpRequest, client_id: int, change_id: int) -> HttpResponse:
    client = _editable_company(request, client_id)
    reg.legal_change_delete(acting_user=request.user, change=reg.access_legal_change(client, change_id))
    return _changes_changed(request, client)


def _changes_changed(request: HttpRequest, client: Client) -> HttpResponse:
    return list_changed(request, client, tab="registration", target="#client-legal-changes",
                        template="clients/partials/tab_registration_changes.html", context={
                            "client": client, "changes": reg.legal_changes_of(client), "can_edit": True})


# --- a person's passport and personal data ---

@login_required
@require_http_methods(["GET", "POST"])
def personal_panel(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access.access_client(request.user, client_id)
    if client.kind != Client.Kind.PERSON:
        raise Http404
    can_edit = access.can_edit_main_data(request.user, client)
    initial = _initial(reg.personal_of(client), reg.PERSONAL_FIELDS)
    initial["snils"] = reg.snils_shown(initial["snils"])
    form = PersonalForm(request.POST or None, initial=initial)
    saved = False
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                row = reg.personal_save(acting_user=request.user, client=client, values=form.cleaned_data)
            except ValidationError as exc:
                form.apply_error(exc)
            else:
                saved = True
                initial = _initial(row, reg.PERSONAL_FIELDS)
                initial["snils"] = reg.snils_shown(initial["snils"])
                form = PersonalForm(initial=initial)
    _read_only(form, can_edit)
    return render(request, "clients/partials/tab_personal.html", {
        "client": client, "form": form, "can_edit": can_edit, "saved": saved,
        "field_names": ",".join(form[name].html_name for name in form.fields),
    })
