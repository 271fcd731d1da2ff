"""Settings → Parameters → «Почта» (GRP-03): the tab's form and save, as core's Parameters page calls them, and
«Отправить тестовое письмо», which sends from the values typed on the tab (saved or not) and shows the server's
answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kontora.accounts.models import User
from kontora.accounts.policies import user_of
from kontora.core.errors import DomainError, error_messages
from kontora.messaging.forms import MailboxForm
from kontora.messaging.models import Mailbox
from kontora.messaging.services.mailboxes import mailbox_save, mailbox_test_send
from kontora.messaging.services.marketing import letter_of_token, letter_unsubscribe

PREFIX = "mail"


def parameters_tab_form(user: User, data: Any) -> MailboxForm:
    mailbox = Mailbox.objects.filter(user=user).first() or Mailbox(user=user)
    return MailboxForm(data, instance=mailbox, prefix=PREFIX)


def parameters_tab_save(user: User, form: forms.BaseForm) -> None:
    """The mailbox as the tab gives it; a window posted without the tab keeps it, and one unchanged writes nothing."""
    if isinstance(form, MailboxForm) and form.posted and form.has_changed():
        mailbox_save(acting_user=user, values=form.cleaned_data)


@login_required
@require_POST
def mailbox_test(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = parameters_tab_form(user, request.POST)
    answer, problem = "", ""
    if not form.is_valid():
        problem = " ".join(str(error) for errors in form.errors.values() for error in errors)
    else:
        try:
            answer = mailbox_test_send(acting_user=user, values=form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            problem = " ".join(error_messages(exc))
    return render(request, "messaging/partials/test_answer.html", {
        "answer": answer, "problem": problem, "address": form.cleaned_data.get("address", "")
        if hasattr(form, "cleaned_data") else ""})


def _masked(address: str) -> str:
    """Enough of the address for its owner to know it, not enough for a forwarded link to leak it."""
    name, _at, domain = address.partition("@")
    return f"{name[:2]}{'•' * max(1, len(name) - 2)}@{domain}"


# The link in a marketing letter works without signing in: its signed token is the authority. The mail program's
# one-click POST (RFC 8058) carries no CSRF token, and a forged request would need the token anyway.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    letter = letter_of_token(token)
    if letter is None:
        return render(request, "messaging/unsubscribe.html", {"unknown": True}, status=404)
    done = False
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        letter_unsubscribe(letter=letter, one_click=one_click)
        if one_click:
            return HttpResponse(status=200)
        done = True
    return render(request, "messaging/unsubscribe.html", {"address": _masked(letter.recipient), "done": done})
