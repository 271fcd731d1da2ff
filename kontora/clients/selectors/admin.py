"""Reads of the administrator's client pages."""

from __future__ import annotations

from dataclasses import dataclass

from kontora.accounts.models import User
from kontora.clients import access
from kontora.clients.models import Client


@dataclass(frozen=True)
class CuratorChange:
    curator_clients: int  # clients whose curator changes (private ones included)
    specialist_clients: int  # clients whose specialist changes


def clients_change_curator_preview(*, old_curator: User | None, old_specialist: User | None) -> CuratorChange:
    """How many clients the change would move: the confirmation step shows it before anything changes.

    The count covers the old curator's private clients too, because they move as well; their names are
    never listed, so the administrator learns nothing about them beyond the number.
    """
    return CuratorChange(
        curator_clients=Client.objects.filter(curator=old_curator).count() if old_curator else 0,
        specialist_clients=Client.objects.filter(specialist=old_specialist).count() if old_specialist else 0,
    )


def users_by_ids(ids: list[int]) -> list[User]:
    """The users named by the ids (the old curator and specialist after a hand-over), by name."""
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "id"))


def client_to_explain(*, fetched_by: User, code: int) -> Client | None:
    """The client with this code for "why does a user see it?"; others' private clients stay unknown to the
    administrator here exactly as everywhere else."""
    return access.not_private_to_others(fetched_by).filter(code=code).first()
