"""A parsed Flexi-filter specification → one `Q` over `Client` (REG-04, REG-12).

Conditions over related rows are `Exists` / `pk__in` subqueries, so the registry, counts and exports
stay one SQL query. The `Q` narrows a queryset that must already start from `access.visible_clients`
(`selectors.registry_queryset(fetched_by=user, filter_q=to_q(spec, user=user))`): a filter never widens
what the user sees.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kontora.clients.flexi.fields import get_field


def to_q(spec: dict[str, Any], *, user: Any) -> Q:
    """The whole specification (the output of `spec.parse`) as one Q; "me" in user fields means `user`.

    Raises ValidationError when a field has gone since the specification was saved (an attribute
    deactivated): the caller drops such a filter rather than showing every client.
    """
    return _group(spec, user)


def _group(group: dict[str, Any], user: Any) -> Q:
    parts = [_group(item, user) if "items" in item else _condition(item, user) for item in group["items"]]
    result = parts[0]
    for part in parts[1:]:
        result = (result | part) if group["op"] == "or" else (result & part)
    # Wrapping keeps the group's own connector when it is combined with other Qs later.
    return Q(result)


def _condition(condition: dict[str, Any], user: Any) -> Q:
    field_def = get_field(condition["field"])
    return field_def.to_q(condition["operator"], condition["value"], user)
