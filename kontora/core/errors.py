"""The one hierarchy of domain errors, and its one mapping to what the user sees.

Services raise only these and Django's `ValidationError` (errors of fields the user typed):

    DomainError        a rule of the business refuses what was asked; the message says why, in the user's language
      Refused          the request is wrong as it stands (a folder that is not empty, a scheme not complete)
        FieldRefused   one field's refusal that is that field's `ValidationError` too (a rule shared by both kinds)
        Throttled      too many requests of a kind for now; `retry_after` says in how many seconds to ask again
      Conflict         the page is stale or another user won a race (a run already moved on, a newer save)
      NotAllowed       the user may not do this (also Django's `PermissionDenied`, so an unhandled one is a 403)
      Overrun          (a Refused) the request's queries ran out of their time budget (`core.budget`): 422
      Busy             (a Refused) the user's earlier heavy requests still run (`core.budget`): 429

A view maps an error through `form_error` (next to the field, or above the form) or `error_response` (an htmx
answer with the message); the API maps the same `status` codes. Nothing else catches domain errors by type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.forms import BaseForm


class DomainError(Exception):
    """A business rule refused the request; `message` is shown to the user, `field` places it in the form."""

    status = 400

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        self.message = str(message) or self.default_message()
        self.field = field
        super().__init__(self.message)

    def default_message(self) -> str:
        return _("The request was refused.")


class Refused(DomainError):
    """The request is wrong as it stands; the user can act on the message and try again."""

    status = 422


class FieldRefused(Refused, ValidationError):  # type: ignore[misc]
    """A refusal next to one field, for a rule shared by services that speak DomainError and services that speak
    Django's field errors (billing's past-date rule): either catches it, `field` and `message_dict` place it."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, field=field)
        self.error_dict = {field: ValidationError(self.message).error_list}
        del self.error_list


class Throttled(Refused):
    """Too many requests of a kind for now (failed sign-ins from one address, duplicate checks of one user): asked
    again after `retry_after` seconds it may pass. Answered 429 with a Retry-After header."""

    status = 429

    def __init__(self, message: str = "", *, retry_after: int = 0, field: str | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message, field=field)

    def default_message(self) -> str:
        return _("Too many requests. Wait a little and try again.")


class Conflict(DomainError):
    """The page the user acted on is stale, or another user changed the same thing first."""

    status = 409

    def default_message(self) -> str:
        return _("The data has been changed by someone else meanwhile. Reload the page and try again.")


class NotAllowed(DomainError, PermissionDenied):
    """The user may not do this. A view that does not catch it answers 403, like Django's PermissionDenied."""

    status = 403

    def default_message(self) -> str:
        return _("You do not have the right to do this.")


class Overrun(Refused):
    """The request's queries ran out of their time budget (`core.budget`); the user narrows the condition. A 4xx
    (the request is to be changed, as a Refused is), not a 5xx: the program itself did not fail."""

    status = 422

    def default_message(self) -> str:
        return _("The condition is too heavy — narrow it.")


class Busy(Refused):
    """The user already has as many heavy requests running as allowed (`core.budget`)."""

    status = 429

    def default_message(self) -> str:
        return _("Wait for your previous request to finish, then try again.")


def form_error(form: BaseForm, exc: ValidationError | DomainError) -> None:
    """Puts a service's error into the form: a field's next to the field, the rest above the form.

    A NotAllowed is not a form error: it is raised on, so the user gets the 403 page.
    """
    if isinstance(exc, NotAllowed):
        raise exc
    if isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    elif hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
    mark = getattr(form, "_mark_invalid", None)
    if mark is not None:
        mark()


def error_messages(exc: ValidationError | DomainError) -> list[str]:
    """The texts of an error, for a message above a page or a toast."""
    if isinstance(exc, DomainError):
        return [exc.message]
    return [str(message) for message in exc.messages]


def error_response(exc: ValidationError | DomainError) -> HttpResponse:
    """An htmx answer to a refused request: the message as plain text, with the error's status."""
    status = exc.status if isinstance(exc, DomainError) else 422
    response = HttpResponse(" ".join(error_messages(exc)), status=status, content_type="text/plain; charset=utf-8")
    if isinstance(exc, Throttled) and exc.retry_after > 0:
        response["Retry-After"] = str(exc.retry_after)
    return response
