"""Who sees and changes billing's rows.

Sales and works (SAL-01, SAL-02) are client-owned: they start from the clients the user may open
(`clients.access.opens_row_client`); the card's journals list every author's rows to whoever opens the card. A row is
changed and deleted by its author or an administrator, on a client he may edit; everyone else reads it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kontora.billing.models import Sale, Work
from kontora.clients import access
from kontora.clients import policies as client_policies
from kontora.core.permissions import Policy, is_administrator

# --- sales and works ------------------------------------------------------------------------------------------------


def visible_sales(user: Any) -> QuerySet[Sale]:
    if access.visibility_shape(user) == access.NOBODY:
        return Sale.objects.none()
    return Sale.objects.filter(access.opens_row_client(user))


def visible_works(user: Any) -> QuerySet[Work]:
    if access.visibility_shape(user) == access.NOBODY:
        return Work.objects.none()
    return Work.objects.filter(access.opens_row_client(user))


def is_author_or_administrator(user: Any, record: Sale | Work) -> bool:
    """A sale or a work is changed later only by its author or an administrator (the manual: «Продажи»)."""
    return is_administrator(user) or (record.author_id is not None and record.author_id == getattr(user, "pk", None))


def _edits_client(user: Any, record: Sale | Work) -> bool:
    """A row is changed only on a client the user may edit (which he opens, so he reads the row)."""
    return bool(client_policies.clients.can(user, "change", record.client))


class SalePolicy(Policy[Sale]):
    model = Sale
    related = ("client", "item", "item__goods_group", "item__folder", "author", "responsible")

    def visible(self, user: Any) -> QuerySet[Sale]:
        return visible_sales(user)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "view":
            return visible_sales(user).filter(pk=obj.pk).exists()
        if action in ("change", "delete"):
            return is_author_or_administrator(user, obj) and _edits_client(user, obj)
        raise ValueError(f"unknown action {action!r}")


class WorkPolicy(Policy[Work]):
    model = Work
    related = ("client", "receiver", "author", "responsible")

    def visible(self, user: Any) -> QuerySet[Work]:
        return visible_works(user)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "view":
            return visible_works(user).filter(pk=obj.pk).exists()
        if action in ("change", "delete"):
            return is_author_or_administrator(user, obj) and _edits_client(user, obj)
        raise ValueError(f"unknown action {action!r}")


sales = SalePolicy()
works = WorkPolicy()
