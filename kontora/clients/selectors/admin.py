"""Reads of the administrator's client pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kontora.clients.models import Client


@dataclass(frozen=True)
class CuratorChange:
    curator_clients: int  # clients whose curator changes (private ones included)
    specialist_clients: int  # clients whose specialist changes


def clients_change_curator_preview(*, old_curator: Any, old_specialist: Any) -> CuratorChange:
    """How many clients the change would move: the confirmation step shows it before anything changes.

    The count covers the old curator's private clients too, because they move as well; their names are
    never listed, so the administrator learns nothing about them beyond the number.
    """
    return CuratorChange(
        curator_clients=Client.objects.filter(curator=old_curator).count() if old_curator else 0,
        specialist_clients=Client.objects.filter(specialist=old_specialist).count() if old_specialist else 0,
    )
