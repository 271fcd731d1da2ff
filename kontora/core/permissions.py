"""The one guard of views, `policy_required(predicate)`; the base of the apps' record policies (`Policy`); and the
per-request memo of access decisions (`decided`, `decisions_changed`, `DecisionsMiddleware`).

A predicate answers "may this signed-in user open this page" from the user alone; the policies of the apps
supply them (`is_administrator`, `has_right("export_clients")`, `processes.policies.can_design`). Rules about
one record (this client, this run) are asked by the view of the record's policy after it is fetched.

Core imports no app: the user is read through the attributes every Kontora user has (`Actor`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, Protocol, TypeVar, cast

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from kontora.core.errors import NotAllowed
from kontora.core.text import id_param

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


def wizard_open(view: View) -> View:
    """Marks a view the first-run wizard's page calls (the bank by BIK): it answers while the base has no user yet,
    where every other URL leads to the wizard (accounts' SetupRequiredMiddleware). Once a user exists the view
    guards itself as any other."""
    view.kontora_wizard_open = True  # type: ignore[attr-defined]
    return view


# --- decisions memoised per request ---------------------------------------------------------------------------

T = TypeVar("T")


class Decisions:
    """The access decisions of one request: a question asked twice (may this user open this client?) is answered
    once. Nothing outlives the request — several servers share one base, and a decision kept in a process would
    miss another server's change — and a write made in the request forgets them all (`decisions_changed`)."""

    def __init__(self) -> None:
        self.answers: dict[Hashable, Any] = {}
        # After a write inside a transaction, answers are not kept until it commits: one read before a rollback
        # would otherwise outlive the data it was read from.
        self.paused = False

    def resume(self) -> None:
        self.answers.clear()
        self.paused = False


_decisions: ContextVar[Decisions | None] = ContextVar("kontora_decisions", default=None)


def decided(key: Hashable, decide: Callable[[], T]) -> T:
    """`decide()`'s answer, memoised under `key` for the rest of the request (outside a request: asked afresh).

    `key` names the question completely: the kind, the user's id and `visibility_shape`, the record's id."""
    memo = _decisions.get()
    if memo is None or memo.paused:
        return decide()
    if key not in memo.answers:
        memo.answers[key] = decide()
    return cast(T, memo.answers[key])


def remember(key: Hashable, answer: Any) -> None:
    """Stores an answer found on the way (a record read together with the user's standing towards it)."""
    memo = _decisions.get()
    if memo is not None and not memo.paused:
        memo.answers[key] = answer


def decisions_changed() -> None:
    """A write in this request (core.audit calls it for every audited write): memoised decisions are forgotten, and
    until the write's transaction commits every decision is asked afresh."""
    memo = _decisions.get()
    if memo is None:
        return
    memo.answers.clear()
    if connection.in_atomic_block:
        memo.paused = True
        transaction.on_commit(memo.resume)


@contextmanager
def decisions() -> Iterator[Decisions]:
    """One request's memo of decisions (the middleware's; a test or a command may open one of its own)."""
    token = _decisions.set(Decisions())
    try:
        yield cast(Decisions, _decisions.get())
    finally:
        _decisions.reset(token)


class DecisionsMiddleware:
    """Opens the request's memo of access decisions and drops it when the response is ready (a streamed body is
    produced after that and decides afresh)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with decisions():
            return self.get_response(request)


# --- policies: who may see and do what with the rows of one model ---------------------------------------------

M = TypeVar("M", bound=Model)


class Policy(ABC, Generic[M]):
    """The rules of one model's rows, after Wagtail's permission policies; an app keeps one object per model in its
    `policies.py` and views ask it instead of writing their own checks:

    - `visible(user)`: the rows the user may read, as a queryset to narrow further;
    - `get(user, pk, **within)`: one row, or 404 — the same 404 for a missing row and a forbidden one;
    - `can(user, action, obj)`: may the user do `action` ("view", "add", "change", "delete", or a model's own
      verb) with `obj` (for "add": the record the new row will belong to).

    Answers that cost a query are memoised per request (`decided`)."""

    model: type[M]
    related: tuple[str, ...] = ()  # read with the row by `get`: what its pages show

    @abstractmethod
    def visible(self, user: Any) -> QuerySet[M]:
        """The rows `user` may read."""

    def get(self, user: Any, pk: Any, **within: Any) -> M:
        if id_param(pk) is None:
            raise Http404
        found = self.visible(user).select_related(*self.related).filter(pk=pk, **within).first()
        if found is None:
            raise Http404
        return found

    @abstractmethod
    def can(self, user: Any, action: str, obj: Any) -> bool:
        """May `user` do `action` with `obj`."""

    @property
    def label(self) -> str:
        """The model's label ("clients.ContactPerson"): the policy's key in `core.hooks.POLICIES`."""
        return self.model._meta.label
