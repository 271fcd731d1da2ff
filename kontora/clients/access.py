"""The one place that holds the client rules (ACL-01 … ACL-03): which clients a user sees, opens and edits.

The manual's four working modes (accounts.models.ClientScope):
  own       — sees and works only with own clients (curator, specialist or granted);
  list_all  — sees every client in the list, opens only own;
  open_all  — opens every client, edits everything but the main data of others';
  full      — sees and works with every client.
Private clients are visible to their curator only — administrators included — in every way data leaves the
server.

Two client sets, named for what they allow:
  `visible_clients(user)`  — the registry level: which clients appear in lists (the registry, search, pickers,
                             counts, exports), and with the registry's columns only (`REGISTRY_COLUMNS`);
  `openable_clients(user)` — the card level: everything else about a client — the card's fields, contacts,
                             files, and every client-owned row of every app (process runs, audit rows, later
                             events, tasks, invoices …) — starts from it.
A list over visible clients that reads card data (a filter by INN, a search by a contact's phone, an export's
address column) narrows that part to the openable ones with `card_only(user, q)`. One client's standing
(sees / opens / edits / edits main data) is `standing(user, client)`, one query memoised per request; the apps'
record policies (`<app>.policies`) ask it and never write rules of their own.

What the sets read of the user is `visibility_shape(user)` and the user's id, nothing else: the registry's
prepared statements are keyed by the shape and take the id as a value.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import Expression

from kontora.accounts.models import ClientScope
from kontora.clients.models import Client, ClientGrant
from kontora.core.permissions import decided, remember

# The registry's columns (its rows, sort keys and Ctrl+F, clients.selectors.registry): all that leaves the
# server about a client the user may list but not open. A Flexi-filter field over anything else declares
# the card level (clients.flexi.hooks.CARD); an export blanks every other column for such a client.
REGISTRY_COLUMNS = frozenset({
    "id", "code", "short_name", "name_key", "name_core_key", "settlement", "city_key", "phone", "phone_digits",
    "curator", "status", "changed_at", "flag", "needs_attention", "is_private", "has_files",
})

Shape = tuple[str, ...]
NOBODY: Shape = ("nobody",)


def visibility_shape(user: Any) -> Shape:
    """Everything of `user` that the client sets read besides the user's id: ("nobody",) for an anonymous,
    disabled or dismissed user, else ("mode", working mode). Prepared statements are keyed by it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    return ("mode", str(user.client_scope))


def _mode(shape: Shape) -> str | None:
    return shape[1] if shape[0] == "mode" else None


def _own_q(user_id: Any) -> Q:
    granted = ClientGrant.objects.filter(client=OuterRef("pk"), user_id=user_id)
    return Q(curator_id=user_id) | Q(specialist_id=user_id) | Q(Exists(granted))


def _own_editing_q(user_id: Any) -> Q:
    """Own with the right to edit: curator, specialist, or granted with "may edit"."""
    granted = ClientGrant.objects.filter(client=OuterRef("pk"), user_id=user_id, can_edit=True)
    return Q(curator_id=user_id) | Q(specialist_id=user_id) | Q(Exists(granted))


def _not_foreign_private(user_id: Any) -> Q:
    return Q(is_private=False) | Q(curator_id=user_id)


# The rules, once, as conditions over Client for a shape and a user id; None means "no condition" (every client
# of the level below). Each level narrows the one before it: visible ⊇ openable ⊇ editable ⊇ main data editable.

def _visible_q(shape: Shape, user_id: Any) -> Q:
    """(Not for NOBODY: no client at all.)"""
    if _mode(shape) == ClientScope.OWN:
        return _not_foreign_private(user_id) & _own_q(user_id)
    return _not_foreign_private(user_id)


def _openable_within_visible(shape: Shape, user_id: Any) -> Q | None:
    """What narrows the visible clients to the openable ones: only "list all" lists clients it may not open."""
    return _own_q(user_id) if _mode(shape) == ClientScope.LIST_ALL else None


def _editable_within_openable(shape: Shape, user_id: Any) -> Q | None:
    return None if _mode(shape) in (ClientScope.OPEN_ALL, ClientScope.FULL) else _own_editing_q(user_id)


def _main_within_editable(shape: Shape, user_id: Any) -> Q | None:
    return None if _mode(shape) == ClientScope.FULL else _own_editing_q(user_id)


def clients_visible_in(shape: Shape, user_id: Any) -> QuerySet[Client]:
    """The registry level for a shape and a user id (the id may be a prepared statement's marker)."""
    if shape == NOBODY:
        return Client.objects.none()
    return Client.objects.filter(_visible_q(shape, user_id))


def visible_clients(user: Any) -> QuerySet[Client]:
    """The registry level: clients the user sees in lists, search, filters, counts, pickers, exports and reports —
    with the registry's columns only (`REGISTRY_COLUMNS`); anything more about them comes from `openable_clients`
    or is narrowed by `card_only`."""
    return clients_visible_in(visibility_shape(user), getattr(user, "pk", None))


def clients_openable_in(shape: Shape, user_id: Any) -> QuerySet[Client]:
    """The card level for a shape and a user id (the id may be a prepared statement's marker)."""
    narrowing = _openable_within_visible(shape, user_id)
    qs = clients_visible_in(shape, user_id)
    return qs if narrowing is None else qs.filter(narrowing)


def openable_clients(user: Any) -> QuerySet[Client]:
    """The card level: clients whose card, contacts, files and client-owned rows of every app the user may read.
    Every query over client-owned rows starts from here."""
    return clients_openable_in(visibility_shape(user), getattr(user, "pk", None))


def opens_row_client_in(shape: Shape, user_id: Any, field: str = "client") -> Exists:
    """`opens_row_client` for a shape and a user id (the id may be a prepared statement's marker), as an expression:
    a condition, or a row's flag "he may open its client"."""
    return Exists(clients_openable_in(shape, user_id).filter(pk=OuterRef(f"{field}_id")))


def opens_row_client(user: Any, field: str = "client") -> Q:
    """Rows of a client-owned model whose client (`field`) the user may open, checked row by row: a correlated
    EXISTS on the client's primary key. `<field>__in=openable_clients(user)` says the same, but SQLite first lists
    every openable client (a million ids) before it reads a row; this costs one key lookup per row read."""
    return Q(opens_row_client_in(visibility_shape(user), getattr(user, "pk", None), field))


def opens_every_shared(user: Any) -> bool:
    """Does the user open every client but other curators' private ones — nothing but privacy keeps a card from
    him (then a query for "visible to others, hidden from him" has no row to look for)."""
    shape = visibility_shape(user)
    return (shape != NOBODY and _mode(shape) != ClientScope.OWN
            and _openable_within_visible(shape, getattr(user, "pk", None)) is None)


def others_private_clients(user: Any) -> QuerySet[Client]:
    """Other curators' private clients: all that a user for whom `opens_every_shared` holds may not open (a few,
    read along their own index). The complement of `_not_foreign_private`, written out: SQLite matches this form,
    not NOT(… OR …), to the partial index of private clients."""
    return Client.objects.filter(is_private=True).exclude(curator_id=getattr(user, "pk", None))


def lists_unopenable(user: Any) -> bool:
    """Does the user list clients he may not open ("list all")? Only then does `card_only` narrow anything."""
    return _openable_within_visible(visibility_shape(user), getattr(user, "pk", None)) is not None


def card_only(user: Any, q: Q) -> Q:
    """`q` — a condition over card data (not `REGISTRY_COLUMNS`) — made to hold only on clients the user may
    open, for a query over visible clients: for a client he may only list, such a condition is false whatever
    its data, so neither a count nor a match tells anything about it."""
    narrowing = _openable_within_visible(visibility_shape(user), getattr(user, "pk", None))
    return q if narrowing is None else q & narrowing


def opens_flag(user: Any) -> Expression:
    """For a list of visible clients, the annotation "the user may open this one" (the export blanks the card
    columns of the others)."""
    return _flag(_openable_within_visible(visibility_shape(user), getattr(user, "pk", None)))


def own_client_ids(user: Any) -> QuerySet[Any]:
    """The ids of the user's own clients as one UNION of three index reads (curator, specialist, grants): the
    rows of `_own_q`, for a search that must start from them — narrowing `visible_clients` of an "own"-mode
    user by it changes nothing, but the three-way OR alone makes the database scan the whole base."""
    return Client.objects.filter(curator=user).order_by().values_list("pk").union(
        Client.objects.filter(specialist=user).order_by().values_list("pk"),
        ClientGrant.objects.filter(user=user).order_by().values_list("client_id"),
        all=True,
    )


def not_private_to_others(user: Any) -> QuerySet[Client]:
    """Every client but the private ones of other curators: what no working mode, right or assignment can
    widen (an administrator asking "why does a user see it?", the responsible of a process's stage)."""
    return Client.objects.filter(_not_foreign_private(getattr(user, "pk", None)))


# --- one client's standing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What a user may do with one client: each level implies the one before it."""

    sees: bool = False  # in lists, with the registry's columns
    opens: bool = False  # the card and every client-owned row
    edits: bool = False  # the card's information: contacts, events, notes, files
    edits_main: bool = False  # the main requisites, registration data, curator, specialist, grants

    def allows(self, level: str) -> bool:
        return bool(getattr(self, level))


NOTHING = Standing()
LEVELS = ("sees", "opens", "edits", "edits_main")


def _flag(q: Q | None) -> Expression:
    return Value(True) if q is None else Case(When(q, then=Value(True)), default=Value(False),
                                              output_field=BooleanField())


def _standing(shape: Shape, user_id: Any, client_id: int) -> Standing:
    if shape == NOBODY:
        return NOTHING
    row = next(iter(
        Client.objects.filter(pk=client_id)
        .filter(_visible_q(shape, user_id))
        .annotate(k_opens=_flag(_openable_within_visible(shape, user_id)),
                  k_edits=_flag(_editable_within_openable(shape, user_id)),
                  k_main=_flag(_main_within_editable(shape, user_id)))
        .values_list("k_opens", "k_edits", "k_main")
        .order_by()[:1]  # one row by its key: no ORDER BY over the annotations (`.first()` would add one)
    ), None)
    if row is None:
        return NOTHING
    opens, edits, main = (bool(value) for value in row)
    return Standing(sees=True, opens=opens, edits=opens and edits, edits_main=opens and edits and main)


def _standing_key(shape: Shape, user_id: Any, client_id: int) -> Hashable:
    return ("clients.standing", user_id, shape, client_id)


def standing(user: Any, client: Client | int) -> Standing:
    """The user's standing towards one client (a Client or its id): one query, memoised for the request."""
    client_id = client if isinstance(client, int) else client.pk
    if client_id is None:
        return NOTHING
    shape, user_id = visibility_shape(user), getattr(user, "pk", None)
    return decided(_standing_key(shape, user_id, client_id), lambda: _standing(shape, user_id, client_id))


def standing_annotations(user: Any) -> dict[str, Expression]:
    """The user's standing as annotations of a query of clients that reads rows he may not see too (the group
    run's locked row), read back by `standing_of_row`: the standing comes with the row, not in a query of its own."""
    shape, user_id = visibility_shape(user), getattr(user, "pk", None)
    if shape == NOBODY:
        return {}
    return {"k_sees": _flag(_visible_q(shape, user_id)), "k_opens": _flag(_openable_within_visible(shape, user_id)),
            "k_edits": _flag(_editable_within_openable(shape, user_id)),
            "k_main": _flag(_main_within_editable(shape, user_id))}


def standing_of_row(user: Any, client: Client) -> Standing:
    """The standing read with `client` through `standing_annotations`, memoised for the request as `standing`'s."""
    shape, user_id = visibility_shape(user), getattr(user, "pk", None)
    if shape == NOBODY or not getattr(client, "k_sees", False):
        found = NOTHING
    else:
        opens = bool(client.k_opens)  # type: ignore[attr-defined]
        edits = opens and bool(client.k_edits)  # type: ignore[attr-defined]
        found = Standing(sees=True, opens=opens, edits=edits, edits_main=edits and bool(client.k_main))  # type: ignore[attr-defined]
    remember(_standing_key(shape, user_id, client.pk), found)
    return found


def openable_client(user: Any, client_id: int, *, related: tuple[str, ...] = ()) -> Client | None:
    """The client if the user may open its card, read in one query with the user's standing towards it (which is
    memoised, so the edit checks after it cost nothing) and the relations a page shows (`related`); None when it
    is missing or not the user's to open."""
    shape, user_id = visibility_shape(user), getattr(user, "pk", None)
    if shape == NOBODY:
        return None
    # One row by its key: no ORDER BY (`.first()` would add one, and ordering over these annotations cost the ORM
    # more than the query itself).
    client = next(iter(
        openable_clients(user).filter(pk=client_id).select_related(*related)
        .annotate(k_edits=_flag(_editable_within_openable(shape, user_id)),
                  k_main=_flag(_main_within_editable(shape, user_id)))
        .order_by()[:1]
    ), None)
    if client is not None:
        edits = bool(client.k_edits)  # type: ignore[attr-defined]
        main = edits and bool(client.k_main)  # type: ignore[attr-defined]
        remember(_standing_key(shape, user_id, client.pk), Standing(sees=True, opens=True, edits=edits,
                                                                     edits_main=main))
    return client


def can_make_private(user: Any, client: Client | None) -> bool:
    """Only a curator with the "keep private clients" right marks a client private."""
    if not user.has_right("keep_private_clients"):
        return False
    return client is None or client.curator_id in (None, user.pk)


# --- who may become a private client's curator (F1) ----------------------------------------------------------


def private_clients_movable(curator: Any) -> bool:
    """Another user's act moves a curator's private clients only when the curator is a dismissed employee: the
    private clients of a working user stay his, whatever an administrator does."""
    return bool(getattr(curator, "dismissed", False))


def may_receive_private(acting_user: Any, receiver: Any) -> bool:
    """A private client handed over goes only to a working user other than the one handing it over: whoever
    moves clients never becomes the curator of someone else's private client."""
    return receiver is not None and receiver.is_active and receiver.pk != getattr(acting_user, "pk", None)


def takes_private(acting_user: Any, client: Client, curator_id: Any) -> bool:
    """Would making `curator_id` the curator of this (private) client make the acting user the curator of someone
    else's private client? Every service that sets a curator refuses that."""
    return bool(client.is_private) and curator_id is not None and curator_id == getattr(acting_user, "pk", None) \
        and client.curator_id != curator_id


def explain(user: Any, client: Client) -> list[str]:
    """Why this user can (or cannot) see and open this client: plain reasons for administrators (ACL-06)."""
    from django.utils.translation import gettext as _

    reasons: list[str] = []
    if not user.is_active:
        return [_("The account is disabled or the employee dismissed: no access at all.")]
    if client.is_private and client.curator_id != user.pk:
        return [_("The client is private: only its curator sees it, administrators included.")]
    scope = ClientScope(user.client_scope)
    reasons.append(_("Working mode: %(mode)s.") % {"mode": scope.label})
    if client.curator_id == user.pk:
        reasons.append(_("The user is the client's curator."))
    if client.specialist_id == user.pk:
        reasons.append(_("The user is the client's specialist."))
    grant = ClientGrant.objects.filter(client=client, user=user).first()
    if grant is not None:
        reasons.append(
            _("Access was granted on the card's Access tab (may edit).") if grant.can_edit
            else _("Access was granted on the card's Access tab (view only).")
        )
    # Asked of the database, not of the request's memo: the user asked about is not the one asking.
    known = _standing(visibility_shape(user), user.pk, client.pk)
    reasons.append(
        (_("Sees the client in lists: yes.") if known.sees else _("Sees the client in lists: no."))
        + " " + (_("Opens the card: yes.") if known.opens else _("Opens the card: no."))
    )
    return reasons
