"""Who may import clients, and whose imports are whose.

An import is its author's: only he loads, edits, checks, starts, cancels and undoes it and reads its rows and
error report (administrators included: the rows may name clients of his only). A staged row is client-owned
data once the dry run matched it: its client is never one the author may not open (a match with such a client is
a conflict, stored without it), and `rows` starts from the card level all the same.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kontora.clients import access
from kontora.core.permissions import Policy
from kontora.imports.models import Import, ImportRow

RIGHT = "import_data"


def may_import(user: Any) -> bool:
    """The «Импорт данных» right (administrators by role, others when granted)."""
    return bool(user.is_authenticated and user.has_right(RIGHT))


def own_imports(user: Any) -> QuerySet[Import]:
    return Import.objects.filter(author_id=user.pk)


class RowPolicy(Policy[ImportRow]):
    model = ImportRow

    def visible(self, user: Any) -> QuerySet[ImportRow]:
        return ImportRow.objects.filter(run__author_id=user.pk).filter(
            Q(client__isnull=True) | Q(client__in=access.openable_clients(user)))

    def can(self, user: Any, action: str, obj: Any) -> bool:
        return action == "view" and self.visible(user).filter(pk=obj.pk).exists()


rows = RowPolicy()
