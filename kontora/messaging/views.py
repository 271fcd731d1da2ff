"""Settings → Parameters → «Почта» (GRP-03) and «SMS» (GRP-04): each tab's form and save, as core's Parameters page
calls them, and «Отправить тестовое письмо» / «Отправить тестовое SMS», which send from the values typed on the tab
(saved or not) and show the server's or the gateway's answer."""

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
from kontora.messaging.forms import MailboxForm, SmsAccountForm
from kontora.messaging.models import Mailbox, SmsAccount
from kontora.messaging.services.mailboxes import mailbox_save, mailbox_test_send
from kontora.messaging.services.sms_accounts import sms_account_save, sms_account_test_send

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


# --- «SMS» (GRP-04) ---

SMS_PREFIX = "sms"
SMS_TEST_PREFIX = "smstest"  # the test's number and text: beside the account's fields, never saved with them


def sms_tab_form(user: User, data: Any) -> SmsAccountForm:
    account = SmsAccount.objects.filter(user=user).first() or SmsAccount(user=user)
    return SmsAccountForm(data, instance=account, prefix=SMS_PREFIX)


def sms_tab_save(user: User, form: forms.BaseForm) -> None:
    """The account as the tab gives it; a window posted without the tab keeps it, and one unchanged writes nothing."""
    if isinstance(form, SmsAccountForm) and form.posted and form.has_changed():
        sms_account_save(acting_user=user, values=form.cleaned_data)


@login_required
@require_POST
def sms_test(request: HttpRequest) -> HttpResponse:
    """«Отправить тестовое SMS»: the gateway's exact answer, or what went wrong (a field's message names it)."""
    user = user_of(request)
    form = sms_tab_form(user, request.POST)
    number = request.POST.get(f"{SMS_TEST_PREFIX}-number", "")
    text = request.POST.get(f"{SMS_TEST_PREFIX}-text", "")
    reply, problem = None, ""
    if not form.is_valid():
        problem = " ".join(str(error) for errors in form.errors.values() for error in errors)
    else:
        try:
            reply = sms_account_test_send(acting_user=user, values=form.cleaned_data, number=number, text=text)
        except (DomainError, ValidationError) as exc:
            problem = " ".join(error_messages(exc))
    return render(request, "messaging/partials/sms_test_answer.html", {
        "reply": reply, "problem": problem, "number": number})
