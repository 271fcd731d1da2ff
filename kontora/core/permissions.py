"""The one guard of views: `policy_required(predicate)`.

A predicate answers "may this signed-in user open this page" from the user alone; the policies of the apps
supply them (`is_administrator`, `has_right("export_clients")`, `processes.policies.can_design`). Rules about
one record (this client, this run) are asked by the view of the record's policy after it is fetched.

Core imports no app: the user is read through the attributes every Kontora user has (`Actor`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, Protocol, TypeVar, cast

from django.http import HttpRequest, HttpResponse

from kontora.core.errors import NotAllowed

View = TypeVar("View", bound=Callable[..., HttpResponse])


class Actor(Protocol):
    """What core reads of a user (accounts.User is one): the acting user of core's services."""

    pk: Any
    login: str

    # Read-only (properties of accounts.User): a protocol attribute would demand a settable one.
    @property
    def is_active(self) -> bool: ...

    @property
    def is_admin(self) -> bool: ...

    @property
    def is_authenticated(self) -> bool: ...

    def has_right(self, code: str) -> bool: ...


Predicate = Callable[[Any], bool]


def actor_of(request: HttpRequest) -> Actor:
    """The signed-in user of a view behind a guard, typed as core's services take it (apps above accounts use
    `accounts.policies.user_of`)."""
    return cast(Actor, request.user)


def is_administrator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "is_admin", False))


def is_signed_in(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


@dataclass(frozen=True)
class HasRight:
    """The predicate "holds the named right" (accounts.hooks.RIGHTS); its `code` is readable by tests and menus."""

    code: str

    def __call__(self, user: Any) -> bool:
        return bool(user.is_authenticated and user.is_active and user.has_right(self.code))


def has_right(code: str) -> HasRight:
    return HasRight(code)


def policy_required(predicate: Predicate) -> Callable[[View], View]:
    """Anonymous → the sign-in page; signed in but refused by `predicate` → 403.

    The wrapper carries the predicate as `kontora_policy`, so a test can walk the URL resolver and check that
    every administration view refuses everyone but administrators.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                # Imported here: Django's auth views load its auth forms, which ask for the user model, and the
                # user model's own module reads the predicates of this one (accounts.policies).
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not predicate(request.user):
                raise NotAllowed
            return view(request, *args, **kwargs)

        wrapper.kontora_policy = predicate  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


admin_required = policy_required(is_administrator)


def right_required(code: str) -> Callable[[View], View]:
    """Pages of one named right (the nomenclature editor, the client export)."""
    return policy_required(has_right(code))
