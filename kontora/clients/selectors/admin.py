"""Reads of the administrator's client pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from kontora.accounts.models import User
from kontora.clients import access
from kontora.clients.models import Client
from kontora.core.models import AuditEvent

HAND_OVER = "clients.hand_over"  # the hand-over of one user's clients, about that user (services.admin)
BACKUP_DOWNLOAD = "backup.download"  # an administrator downloaded a backup archive (core's backups page)

# Why a hand-over leaves an old curator's private clients where they are (F1).
KEPT_WORKING = "working"  # the old curator is not a dismissed employee: his private clients stay his
KEPT_RECEIVER = "receiver"  # the new curator is the administrator doing the change: he never takes them


@dataclass(frozen=True)
class CuratorChange:
    curator_clients: int = 0  # clients whose curator changes (the private ones that move included)
    specialist_clients: int = 0  # clients whose specialist changes
    private_moved: int = 0  # of curator_clients: a dismissed curator's private clients, to the new curator
    private_kept: int = 0  # the old curator's private clients that stay with him
    private_kept_reason: str = ""  # KEPT_WORKING or KEPT_RECEIVER when private_kept
    specialist_private_kept: int = 0  # private clients of working curators whose specialist stays


def private_kept_reason(*, acting_user: User, old_curator: User, new_curator: User | None) -> str:
    """Why the old curator's private clients stay with him ("" when they move with the others)."""
    if not access.private_clients_movable(old_curator):
        return KEPT_WORKING
    if not access.may_receive_private(acting_user, new_curator):
        return KEPT_RECEIVER
    return ""


def curator_moves(
    *, acting_user: User, old_curator: User, new_curator: User | None,
) -> tuple[QuerySet[Client], QuerySet[Client]]:
    """The old curator's clients that move and those that stay (his private ones, unless they may move)."""
    own = Client.objects.filter(curator=old_curator)
    if private_kept_reason(acting_user=acting_user, old_curator=old_curator, new_curator=new_curator):
        return own.filter(is_private=False), own.filter(is_private=True)
    return own, Client.objects.none()


def specialist_moves(*, old_specialist: User) -> tuple[QuerySet[Client], QuerySet[Client]]:
    """The old specialist's clients that move and those that stay: a private client of a working curator is not
    touched by an administrator at all (its specialist stays)."""
    own = Client.objects.filter(specialist=old_specialist)
    movable = Q(is_private=False) | Q(curator__dismissed=True)
    return own.filter(movable), own.exclude(movable)


def clients_change_curator_preview(
    *, acting_user: User, old_curator: User | None, new_curator: User | None, old_specialist: User | None,
) -> CuratorChange:
    """How many clients the change would move, the private ones counted apart: the confirmation step shows it
    before anything changes. Private clients are only counted, never named."""
    result: dict[str, Any] = {}
    if old_curator is not None:
        moving, kept = curator_moves(acting_user=acting_user, old_curator=old_curator, new_curator=new_curator)
        result["curator_clients"] = moving.count()
        result["private_moved"] = moving.filter(is_private=True).count()
        result["private_kept"] = kept.count()
        if result["private_kept"]:
            result["private_kept_reason"] = private_kept_reason(
                acting_user=acting_user, old_curator=old_curator, new_curator=new_curator)
    if old_specialist is not None:
        moving, kept = specialist_moves(old_specialist=old_specialist)
        result["specialist_clients"] = moving.count()
        result["specialist_private_kept"] = kept.count()
    return CuratorChange(**result)


def users_by_ids(ids: list[int]) -> list[User]:
    """The users named by the ids (the old curator and specialist after a hand-over), by name."""
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "id"))


def client_to_explain(*, fetched_by: User, code: int) -> Client | None:
    """The client with this code for "why does a user see it?"; others' private clients stay unknown to the
    administrator here exactly as everywhere else."""
    return access.not_private_to_others(fetched_by).filter(code=code).first()


# --- what the sign-in notice tells (accounts.hooks.SIGNIN_NOTICES) ------------------------------------------------


def hand_over_rows(user: User) -> Q:
    """Hand-overs of this user's clients."""
    return Q(target_type=User._meta.label_lower, target_id=user.pk)


def hand_over_action(row: AuditEvent) -> str:
    extra = row.extra or {}
    values = {"new": row.changes[0]["new"] if row.changes else "", "count": extra.get("moved", 0)}
    if extra.get("role") == "specialist":
        text = gettext("hand-over of your clients as their specialist to %(new)s: %(count)d") % values
    else:
        text = gettext("hand-over of your clients as their curator to %(new)s: %(count)d") % values
    if extra.get("private_moved"):
        text += gettext(", private among them: %(count)d") % {"count": extra["private_moved"]}
    if extra.get("private_kept"):
        text += gettext("; private clients left as they were: %(count)d") % {"count": extra["private_kept"]}
    return text


def backup_download_rows(user: User) -> Q | None:
    """A backup download concerns the curators of private clients: the archive holds the whole base."""
    return Q() if Client.objects.filter(curator=user, is_private=True).exists() else None


def backup_download_action(row: AuditEvent) -> str:
    return gettext("download of a backup archive: it is the whole base, your private clients included")
