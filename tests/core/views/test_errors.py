"""The one mapping of domain errors (core.errors) to what the user sees: next to the field, above the form,
an htmx answer with its status, or the 403 page."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from kontora.core.errors import Conflict, NotAllowed, Refused, error_messages, error_response
from kontora.core.forms import KontoraForm
from kontora.core.permissions import admin_required, has_right, policy_required
from kontora.directories.models import ClientStatus


class _Form(KontoraForm):
    name = forms.CharField()


def _valid() -> _Form:
    form = _Form({"name": "Ромашка"})
    assert form.is_valid()
    return form


def test_a_refusal_about_a_field_lands_next_to_it_and_marks_it_red() -> None:
    form = _valid()
    form.apply_error(Refused("Такое имя уже есть.", field="name"))
    assert form.errors == {"name": ["Такое имя уже есть."]}
    assert "is-invalid" in form.fields["name"].widget.attrs["class"]


def test_a_conflict_without_a_field_lands_above_the_form() -> None:
    form = _valid()
    form.apply_error(Conflict())
    assert form.non_field_errors() == [
        "Данные тем временем изменил другой пользователь. Обновите страницу и повторите."]


def test_a_validation_error_keeps_its_fields() -> None:
    form = _valid()
    form.apply_error(ValidationError({"name": "Введите название.", "other": "Прочее."}))
    assert form.errors == {"name": ["Введите название."], "__all__": ["Прочее."]}


def test_not_allowed_is_never_a_form_error_but_a_403() -> None:
    form = _valid()
    with pytest.raises(NotAllowed):
        form.apply_error(NotAllowed())
    assert isinstance(NotAllowed(), PermissionDenied)  # Django answers 403 when a view lets it pass
    assert form.errors == {}


@pytest.mark.parametrize(("exc", "status", "text"), [
    (Refused("Папка не пуста."), 422, "Папка не пуста."),
    (Conflict("Процесс уже перешёл на этап «Закрыт»."), 409, "Процесс уже перешёл на этап «Закрыт»."),
    (NotAllowed(), 403, "У вас нет права на это действие."),
    (ValidationError(["Первое.", "Второе."]), 422, "Первое. Второе."),
])
def test_an_htmx_answer_carries_the_message_and_the_status(exc: Any, status: int, text: str) -> None:
    response = error_response(exc)
    assert (response.status_code, response.content.decode()) == (status, text)
    assert error_messages(exc) == text.replace("Первое. ", "Первое.|").split("|")


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@pytest.mark.django_db
def test_a_guarded_view_sends_strangers_to_sign_in_refuses_others_and_serves_the_allowed(
    admin_user: Any, manager_user: Any,
) -> None:
    from django.contrib.auth.models import AnonymousUser

    guarded = admin_required(_view)
    request = RequestFactory().get("/administration/x/")
    request.user = AnonymousUser()
    assert guarded(request)["Location"] == "/login/?next=/administration/x/"
    request.user = manager_user
    with pytest.raises(NotAllowed):
        guarded(request)
    request.user = admin_user
    assert guarded(request).content == b"ok"
    # the predicate is readable by the tests that walk every URL
    assert policy_required(has_right("export_clients"))(_view).kontora_policy.code == "export_clients"  # type: ignore[attr-defined]


class _Pick(KontoraForm):
    one = forms.ModelChoiceField(ClientStatus.objects.all(), required=False)
    many = forms.ModelMultipleChoiceField(ClientStatus.objects.all(), required=False)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [str(2**63), str(10**30), "-1", "٣"])
def test_a_record_choice_past_a_bigint_is_refused_next_to_its_field_not_a_server_error(value: str) -> None:
    # SQLite's driver cannot bind a number past a bigint: the form refuses it before the database sees it
    form = _Pick({"one": value, "many": [value]})
    assert not form.is_valid()
    assert set(form.errors) == {"one", "many"}
    # and a real record is taken (the positive control)
    status = ClientStatus.objects.create(name="Партнёр", name_key="партнёр")
    form = _Pick({"one": str(status.pk), "many": [str(status.pk)]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["one"] == status and list(form.cleaned_data["many"]) == [status]
