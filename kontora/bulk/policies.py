"""Who may run group processing and read its outcomes (GRP-01, GRP-05).

A run is its author's: only he watches it and reads its outcomes. An outcome is client-owned data: its client's
name is a registry column (shown while the author still sees the client), what changed is card data (shown while he
may still open it) — `outcomes` is the outcome rows' policy, starting from the card level.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kontora.bulk.models import BulkOutcome
from kontora.clients import access
from kontora.core.permissions import Policy

RIGHT = "group_processing"


def may_process(user: Any) -> bool:
    """The group-processing right (administrators by role, others when granted)."""
    return bool(user.is_authenticated and user.has_right(RIGHT))


class OutcomePolicy(Policy[BulkOutcome]):
    model = BulkOutcome

    def visible(self, user: Any) -> QuerySet[BulkOutcome]:
        return BulkOutcome.objects.filter(run__author=user, client__in=access.openable_clients(user))

    def can(self, user: Any, action: str, obj: Any) -> bool:
        return action == "view" and self.visible(user).filter(pk=obj.pk).exists()


outcomes = OutcomePolicy()
