"""Who reads the outbox's letters (GRP-06). A letter about a client is client-owned data: it is seen while the
user may open its client (the card level); a letter without a client is its author's alone.

Like every work journal (docs/architecture.md, "Journals of all employees"), the outbox shows a user his own letters
only, and every employee's to a holder of «журналы всех сотрудников» — still within client access. Sending one again
is its author's decision, or an administrator's (the service's own rule).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from kontora.accounts.policies import sees_all_employees
from kontora.clients import access
from kontora.core.permissions import Policy
from kontora.messaging.models import Letter


def hidden_letters(user: Any) -> QuerySet[Letter]:
    """Letters of the journal kept from the user by client access alone: about a client he may no longer open —
    and not about someone else's private client, which is not even counted (private stays silent)."""
    if access.visibility_shape(user) == access.NOBODY or access.opens_every_shared(user):
        return Letter.objects.none()
    shared = access.not_private_to_others(user).filter(pk=OuterRef("client_id"))
    letters = Letter.objects.filter(Exists(shared)).exclude(access.opens_row_client(user))
    return letters if sees_all_employees(user) else letters.filter(author=user)


class LetterPolicy(Policy[Letter]):
    model = Letter
    related = ("client", "author")

    def visible(self, user: Any) -> QuerySet[Letter]:
        if sees_all_employees(user):
            # Another's letter without a client stays his: it is nobody's client data, but his own correspondence.
            return Letter.objects.filter(Q(client__isnull=True, author=user) | access.opens_row_client(user))
        return Letter.objects.filter(Q(client__isnull=True) | access.opens_row_client(user), author=user)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "resend":
            return bool(obj.author_id == user.pk or user.is_admin)
        return action == "view" and self.visible(user).filter(pk=obj.pk).exists()


letters = LetterPolicy()
