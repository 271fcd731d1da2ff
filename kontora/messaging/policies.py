"""Who reads the outbox's letters (GRP-06). A letter about a client is client-owned data: it is its author's, and
seen while he may open its client (the card level); a letter without a client is its author's alone."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kontora.clients import access
from kontora.core.permissions import Policy
from kontora.messaging.models import Letter


class LetterPolicy(Policy[Letter]):
    model = Letter

    def visible(self, user: Any) -> QuerySet[Letter]:
        return Letter.objects.filter(Q(client__isnull=True) | access.opens_row_client(user), author=user)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "resend":
            return bool(obj.author_id == user.pk or user.is_admin)
        return action == "view" and self.visible(user).filter(pk=obj.pk).exists()


letters = LetterPolicy()
