"""Settings → Parameters → «Почта» (GRP-03) and «SMS» (GRP-04): each tab's form and save, as core's Parameters page
calls them, and «Отправить тестовое письмо» / «Отправить тестовое SMS», which send from the values typed on the tab
(saved or not) and show the server's or the gateway's answer. Journals → «Исходящие письма» (GRP-06): the outbox
journal, one letter, and «Отправить снова»."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.models import User
from kontora.accounts.policies import user_of
from kontora.core.errors import DomainError, Refused, error_messages
from kontora.core.htmx import is_htmx
from kontora.core.ui.links import IdLink
from kontora.core.ui.pager import AFTER, BEFORE
from kontora.messaging import policies
from kontora.messaging.forms import MailboxForm, OutboxFilterForm, SmsAccountForm
from kontora.messaging.models import Channel, Letter, Mailbox, SmsAccount
from kontora.messaging.selectors import outbox as selectors
from kontora.messaging.services.mailboxes import mailbox_save, mailbox_test_send
from kontora.messaging.services.marketing import letter_of_token, letter_unsubscribe
from kontora.messaging.services.outbox import letter_resend as resend_service
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
    answer, problem = _tried(form, lambda values: mailbox_test_send(acting_user=user, values=values))
    return render(request, "messaging/partials/test_answer.html", {
        "answer": answer or "", "problem": problem, "address": form.cleaned_data.get("address", "")
        if hasattr(form, "cleaned_data") else ""})


T = TypeVar("T")


def _tried(form: forms.BaseForm, send: Callable[[dict[str, Any]], T]) -> tuple[T | None, str]:
    """A tab's test send over the values typed (saved or not): its answer, or what went wrong in one line."""
    if not form.is_valid():
        return None, " ".join(str(error) for errors in form.errors.values() for error in errors)
    try:
        return send(form.cleaned_data), ""
    except (DomainError, ValidationError) as exc:
        return None, " ".join(error_messages(exc))


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
# --- «Исходящие письма» (GRP-06) ---

PAGE = 50


def _kept(request: HttpRequest) -> dict[str, str]:
    """The filter as asked, for the "show more" link."""
    return {name: str(value) for name, value in request.GET.items() if name not in (AFTER, BEFORE) and value}


class _Links:
    """The addresses a row needs, reversed once a page (IdLink) rather than once a row."""

    def __init__(self) -> None:
        self.letter, self.resend, self.card = (IdLink("messaging:letter"), IdLink("messaging:letter_resend"),
                                               IdLink("clients:card"))


def _row(user: User, letter: Letter, links: _Links, problem: str = "") -> dict[str, Any]:
    """What the row template shows. A listed letter's client is one the user may open (policies.letters), so its
    name links to the card; «Отправить снова» is offered where the service would take it."""
    resendable = letter.state in selectors.RESENDABLE and policies.letters.can(user, "resend", letter)
    return {
        "letter": letter,
        "href": links.letter(letter.pk),
        "client_href": links.card(letter.client_id) if letter.client_id is not None else "",
        "resend_url": links.resend(letter.pk) if resendable else "",
        "attention": letter.state in selectors.RESENDABLE,
        "unknown": letter.state == Letter.State.UNKNOWN,
        "problem": problem,
        # An SMS has no subject: its row shows the start of its text (the journal reads only that start).
        "sms": (getattr(letter, "sms_start", None) or letter.text) if letter.channel == Channel.SMS else "",
    }


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    """«Исходящие письма»: the user's letters (or every employee's to a holder of «журналы всех сотрудников»), of
    those he may see, newest first, 50 at a time ("show more" seeks on); how many client access hides is said."""
    user = user_of(request)
    all_employees = policies.sees_all_employees(user)
    form = OutboxFilterForm(request.GET or None, all_employees=all_employees)
    page = selectors.outbox_page(user, form.choice(), cursor=request.GET, size=PAGE)
    links, base = _Links(), reverse("messaging:outbox")
    context: dict[str, Any] = {
        "rows": [_row(user, letter, links) for letter in page.letters],
        "next_url": page.pager.link(base, AFTER, **_kept(request)),
    }
    if is_htmx(request) and request.GET.get(AFTER):
        return render(request, "messaging/partials/outbox_rows.html", context)
    context.update({"form": form, "base": base, "everyone": page.whose == selectors.EVERYONE, "hidden": page.hidden,
                    "hidden_cap": selectors.HIDDEN_CAP})
    return render(request, "messaging/outbox.html", context)


@login_required
@require_GET
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """One letter as it was queued — its text shown as text, its HTML as source, never drawn — and where it stands."""
    user = user_of(request)
    found = policies.letters.get(user, pk)
    return render(request, "messaging/letter.html", {"letter": found, "row": _row(user, found, _Links())})


@login_required
@require_POST
def letter_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """«Отправить снова»: an unknown, failed or held letter queued again (services.outbox.letter_resend). From the
    journal (htmx) the answer is its row as it stands now, with the service's refusal next to it; from the letter's
    page, the page. Another's letter the user does not see is the same 404 as a missing one; one he sees but may
    not send is refused by the service (403)."""
    user = user_of(request)
    policies.letters.get(user, pk)
    problem = ""
    try:
        resend_service(acting_user=user, letter_id=pk)
    except Refused as exc:
        problem = exc.message
    found = policies.letters.get(user, pk)  # as it stands now: a worker may have taken it already
    if is_htmx(request):
        return render(request, "messaging/partials/outbox_row.html", {"row": _row(user, found, _Links(), problem)})
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, gettext("The letter is queued again."))
    return redirect("messaging:letter", pk=pk)


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
    reply, problem = _tried(form, lambda values: sms_account_test_send(acting_user=user, values=values, number=number,
                                                                        text=text))
    return render(request, "messaging/partials/sms_test_answer.html", {
        "reply": reply, "problem": problem, "number": number})
