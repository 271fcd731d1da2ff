"""One way a form or a button reaches its service, and how the page hears the answer.

`submit(request, form, action, done=…, page=…)`: on a valid POST `action()` calls the service; a
`ValidationError` or a `DomainError` it raises goes into the form (next to its field, or above the form;
`core.errors.form_error`), a `NotAllowed` is raised on (the 403 page); after a success an optional message is
flashed and `done(result)` answers — a URL is gone to (htmx `HX-Redirect`, else a redirect), a response is sent
as it is. Otherwise `page()` draws the form again, with its errors.

`act(request, action, done=…)`: a button without a form (delete, make default): a refusal becomes the page's
error message, and the user goes on to `done` (or `refused`).

`modal(request, template, context, page=…)`: a small form is the modal's content for htmx and a page of its own
without JavaScript; `refresh(request, template, context, target=…, fallback=…)`: the list a modal changed is
drawn again in place and the modal closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from kontora.core.errors import DomainError, NotAllowed, error_messages, form_error
from kontora.core.forms.base import KontoraFormMixin
from kontora.core.htmx import go, is_htmx

T = TypeVar("T")

MODAL_CLOSE = "kontora-modal-close"  # the event the page's modal closes on (kontora/modal.js)


def _answer(request: HttpRequest, answer: HttpResponse | str) -> HttpResponse:
    return go(request, answer) if isinstance(answer, str) else answer


def submit(
    request: HttpRequest, form: BaseForm, action: Callable[[], T], *,
    done: Callable[[T], HttpResponse | str], page: Callable[[], HttpResponse],
    message: str | Callable[[T], str] = "",
) -> HttpResponse:
    """A form's POST through its service (see the module's docstring); GET and a refused POST draw `page()`."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action()
        except (ValidationError, DomainError) as exc:
            # A form may place a service's error itself (a field the service names otherwise).
            if isinstance(form, KontoraFormMixin):
                form.apply_error(exc)
            else:
                form_error(form, exc)
        else:
            text = message(result) if callable(message) else message
            if text:
                messages.success(request, text)
            return _answer(request, done(result))
    return page()


def leaving_for(request: HttpRequest) -> str:
    """The address the user was leaving the form for when he answered «Save the changes?» with Yes
    (behaviours/unsaved.js posts it as "next"): a path of this site, else ""."""
    target = request.POST.get("next", "")
    if not target.startswith("/") or target.startswith("//") or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return ""
    return target


def ok_or_apply(request: HttpRequest, *, ok: str, apply: str) -> str:
    """Where a card's OK / Apply lead: Apply stays on the saved card, OK goes back to its list — or on to where
    the user was going when the page asked whether to save (`leaving_for`)."""
    return apply if "apply" in request.POST else leaving_for(request) or ok


def act(
    request: HttpRequest, action: Callable[[], object], *, done: str, message: str = "", refused: str = "",
) -> HttpResponse:
    """A button's action without a form: its refusal is shown as the page's error message (never a 500)."""
    try:
        action()
    except (ValidationError, DomainError) as exc:
        if isinstance(exc, NotAllowed):
            raise
        for text in error_messages(exc):
            messages.error(request, text)
        return go(request, refused or done)
    if message:
        messages.success(request, message)
    return go(request, done)


def modal(
    request: HttpRequest, template: str, context: dict[str, Any], *, page: str, status: int = 200,
) -> HttpResponse:
    """A small form: the modal's content (`template`) for htmx, else the page `page` around it (given the
    content's template as `form_template`)."""
    in_modal = is_htmx(request)
    context = {**context, "in_modal": in_modal, "form_template": template}
    return render(request, template if in_modal else page, context, status=status)


def refresh(
    request: HttpRequest, template: str, context: dict[str, Any], *, target: str, fallback: str,
) -> HttpResponse:
    """The list a modal changed, drawn again into `target` of the page, and the modal closed; without htmx, back
    to `fallback`."""
    if not is_htmx(request):
        return HttpResponseRedirect(fallback)
    response = render(request, template, context)
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "innerHTML"
    response["HX-Trigger"] = MODAL_CLOSE
    return response
