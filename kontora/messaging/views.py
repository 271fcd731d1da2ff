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
from django.views.decorators.http import require_POST

from kontora.accounts.models import User
from kontora.accounts.policies import user_of
from kontora.core.errors import DomainError, error_messages
from kontora.messaging.forms import MailboxForm
from kontora.messaging.models import Mailbox
from kontora.messaging.services.mailboxes import mailbox_save, mailbox_test_send

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
