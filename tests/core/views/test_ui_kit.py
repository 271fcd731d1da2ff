"""The UI kit's form side: `submit` maps a service's errors and answers htmx or a redirect; `act` turns a refusal
into the page's message; the one field template draws the red star, the error with its test id, and a read-only
value as text."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from kontora.core.errors import Conflict, NotAllowed, Refused
from kontora.core.forms import KontoraForm
from kontora.core.ui.submit import act, modal, ok_or_apply, refresh, submit


class _Form(KontoraForm):
    layout = {"main": {"name": "col-4"}}

    name = forms.CharField(label="Название", max_length=20)
    kind = forms.ChoiceField(label="Вид", choices=[("a", "Первый"), ("b", "Второй")], required=False)
    since = forms.DateField(label="С", required=False)
    flag = forms.BooleanField(label="Флаг", required=False)


def _request(method: str = "post", htmx: bool = False, **data: Any) -> HttpRequest:
    headers = {"HX-Request": "true"} if htmx else {}
    request = getattr(RequestFactory(), method)("/x/", data, headers=headers)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _page(form: forms.BaseForm) -> HttpResponse:
    return HttpResponse(" ".join(f"{name}: {error}" for name, errors in form.errors.items() for error in errors))


@pytest.mark.parametrize(("htmx", "status"), [(False, 302), (True, 204)])
def test_a_saved_form_flashes_its_message_and_goes_on_by_redirect_or_hx_redirect(htmx: bool, status: int) -> None:
    request = _request(htmx=htmx, name="Ромашка")
    form = _Form(request.POST)
    response = submit(request, form, lambda: form.cleaned_data["name"], page=lambda: _page(form),
                      done=lambda name: f"/done/{len(name)}/", message=lambda name: f"«{name}» сохранён")
    assert response.status_code == status
    assert (response.headers.get("HX-Redirect") if htmx else response["Location"]) == "/done/7/"
    assert [str(m) for m in get_messages(request)] == ["«Ромашка» сохранён"]


@pytest.mark.parametrize(("error", "shown"), [
    (ValidationError({"name": "Такое название уже есть."}), "name: Такое название уже есть."),
    (Refused("Папка не пуста."), "__all__: Папка не пуста."),
    (Conflict(), "__all__: Данные тем временем изменил другой пользователь. Обновите страницу и повторите."),
])
def test_a_services_error_goes_next_to_its_field_or_above_the_form(error: Exception, shown: str) -> None:
    request = _request(name="Ромашка")
    form = _Form(request.POST)

    def refuse() -> None:
        raise error

    response = submit(request, form, refuse, page=lambda: _page(form), done=lambda _: "/never/", message="никогда")
    assert response.status_code == 200 and response.content.decode() == shown
    assert list(get_messages(request)) == []


def test_not_allowed_is_a_403_and_an_invalid_or_unposted_form_never_reaches_the_service() -> None:
    def forbidden() -> None:
        raise NotAllowed

    request = _request(name="Ромашка")
    with pytest.raises(NotAllowed):
        submit(request, _Form(request.POST), forbidden, page=lambda: HttpResponse(), done=lambda _: "/")
    called: list[str] = []
    for request in (_request(name=""), _request("get")):
        form = _Form(request.POST if request.method == "POST" else None)
        submit(request, form, lambda: called.append("x"), page=lambda: HttpResponse("form"), done=lambda _: "/")
    assert called == []


def test_act_shows_a_refusal_as_the_pages_message_and_goes_where_refusals_go() -> None:
    def refuse() -> None:
        raise Refused("Подразделение занято.")

    request = _request()
    response = act(request, refuse, done="/list/", refused="/card/", message="Удалено.")
    assert response["Location"] == "/card/" and [str(m) for m in get_messages(request)] == ["Подразделение занято."]
    request = _request()
    response = act(request, lambda: None, done="/list/", refused="/card/", message="Удалено.")
    assert response["Location"] == "/list/" and [str(m) for m in get_messages(request)] == ["Удалено."]


def test_ok_goes_to_the_list_and_apply_stays_on_the_card() -> None:
    assert ok_or_apply(_request(ok="1"), ok="/list/", apply="/card/1/") == "/list/"
    assert ok_or_apply(_request(apply="1"), ok="/list/", apply="/card/1/") == "/card/1/"


def test_a_small_form_is_the_modals_content_for_htmx_and_a_page_without(db: Any) -> None:
    context = {"form": _Form(), "action": "/x/", "title": "Карточка"}
    inside = modal(_request("get", htmx=True), "core/ui/modal_form.html", context, page="core/ui/modal_page.html")
    assert 'class="modal-header' in inside.content.decode() and "<html" not in inside.content.decode()
    outside = modal(_request("get"), "core/ui/modal_form.html", context, page="core/ui/modal_page.html")
    assert 'class="card-header' in outside.content.decode() and "<html" in outside.content.decode()
    drawn = refresh(_request(htmx=True), "core/ui/pager.html", {"nav": {}}, target="#list", fallback="/card/")
    assert (drawn["HX-Retarget"], drawn["HX-Trigger"]) == ("#list", "kontora-modal-close")
    assert refresh(_request(), "core/ui/pager.html", {}, target="#list", fallback="/card/")["Location"] == "/card/"


def test_the_field_template_draws_the_star_the_error_and_the_column() -> None:
    form = _Form({"name": ""})
    form.is_valid()
    drawn = form["name"].as_field_group()
    assert '<div class="col-4">' in drawn
    assert '<label class="form-label small mb-0 k-required" for="id_name">Название</label>' in drawn
    assert ('<div class="invalid-feedback d-block" id="id_name_error" data-testid="error-name">Обязательное поле.'
            in drawn)
    assert "is-invalid" in drawn and "k-required" not in form["kind"].as_field_group()


def test_a_read_only_field_is_its_value_in_text_not_an_input() -> None:
    form = _Form(initial={"name": "Ромашка", "kind": "b", "since": datetime.date(2024, 3, 1), "flag": True})
    for field in form.fields.values():
        field.disabled = True
    drawn = {name: form[name].as_field_group() for name in form.fields}
    assert all("<input" not in html and "<select" not in html for html in drawn.values())
    assert 'data-testid="value-name">Ромашка<' in drawn["name"]
    assert 'data-testid="value-kind">Второй<' in drawn["kind"]
    assert 'data-testid="value-since">01.03.2024<' in drawn["since"]
    assert 'data-testid="value-flag">да<' in drawn["flag"]
