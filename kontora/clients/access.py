"""The one place that answers "may this user see / open / edit this client" (ACL-01 … ACL-03).

The manual's four working modes (accounts.models.ClientScope):
  own       — sees and works only with own clients (curator, specialist or granted);
  list_all  — sees every client in the list, opens only own;
  open_all  — opens every client, edits everything but the main data of others';
  full      — sees and works with every client.
Private clients are visible to their curator only — administrators included — in every way data
leaves the server. Every query over clients or client-owned rows starts from `visible_clients`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kontora.accounts.models import ClientScope
from kontora.clients.models import Client, ClientGrant


def _own_q(user: Any) -> Q:
    granted = ClientGrant.objects.filter(client=OuterRef("pk"), user=user)
    return Q(curator=user) | Q(specialist=user) | Q(Exists(granted))


def _not_foreign_private(user: Any) -> Q:
    return Q(is_private=False) | Q(curator=user)


def visible_clients(user: Any) -> QuerySet[Client]:
    """Clients the user sees in lists, search, filters, counts, pickers, exports and reports.

    It reads the user's id, activity and working mode only: the registry's prepared statements
    (selectors._read) are keyed by the mode, so anything more read here must be added to their key.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Client.objects.none()
    qs = Client.objects.filter(_not_foreign_private(user))
    if user.client_scope == ClientScope.OWN:
        qs = qs.filter(_own_q(user))
    return qs


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
    return Client.objects.filter(_not_foreign_private(user))


def openable_clients(user: Any) -> QuerySet[Client]:
    """Clients whose card (and journals, files) the user may open."""
    qs = visible_clients(user)
    if user.is_authenticated and user.client_scope in (ClientScope.OWN, ClientScope.LIST_ALL):
        qs = qs.filter(_own_q(user))
    return qs


def is_own(user: Any, client: Client) -> bool:
    if client.curator_id == user.pk or client.specialist_id == user.pk:
        return True
    return ClientGrant.objects.filter(client=client, user=user).exists()


def can_open(user: Any, client: Client) -> bool:
    return openable_clients(user).filter(pk=client.pk).exists()


def can_edit(user: Any, client: Client) -> bool:
    """May add and correct information on the card (events, contacts, notes)."""
    if not can_open(user, client):
        return False
    if user.client_scope in (ClientScope.OPEN_ALL, ClientScope.FULL):
        return True
    if client.curator_id == user.pk or client.specialist_id == user.pk:
        return True
    return ClientGrant.objects.filter(client=client, user=user, can_edit=True).exists()


def can_edit_main_data(user: Any, client: Client) -> bool:
    """May change the main requisites: in "open all" mode only on own clients."""
    if not can_edit(user, client):
        return False
    if user.client_scope == ClientScope.FULL:
        return True
    if client.curator_id == user.pk or client.specialist_id == user.pk:
        return True
    return ClientGrant.objects.filter(client=client, user=user, can_edit=True).exists()


def can_make_private(user: Any, client: Client | None) -> bool:
    """Only a curator with the "keep private clients" right marks a client private."""
    if not user.has_right("keep_private_clients"):
        return False
    return client is None or client.curator_id in (None, user.pk)


def access_client(user: Any, client_id: int) -> Client:
    """The card's client, or 404 — the same 404 whether it does not exist or is not the user's to open."""
    client = openable_clients(user).filter(pk=client_id).first()
    if client is None:
        raise Http404
    return client


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
    sees = visible_clients(user).filter(pk=client.pk).exists()
    opens = can_open(user, client)
    reasons.append(
        (_("Sees the client in lists: yes.") if sees else _("Sees the client in lists: no."))
        + " " + (_("Opens the card: yes.") if opens else _("Opens the card: no."))
    )
    return reasons
