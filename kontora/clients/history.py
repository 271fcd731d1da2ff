"""The card's change history (CLI-12, DESIGN "Audit"): every service that writes a client records here.

Values are kept as the texts the user saw, so the history reads the same after a directory item is renamed
or deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import capfirst

from kontora.clients.models import Client, ClientChange


def shown(value: Any) -> str:
    """The value as the card shows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "✓" if value else "—"
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(sorted(shown(item) for item in value))
    return str(localize(value))


def field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))  # type: ignore[union-attr]
    except Exception:  # a computed name without a model field is shown as it is
        return name


def changes_between(
    model: type[models.Model], before: Mapping[str, Any], after: Mapping[str, Any], names: Iterable[str],
) -> list[dict[str, str]]:
    """[{"field", "old", "new"}] for each of `names` whose shown value differs between the two snapshots."""
    details = []
    for name in names:
        old, new = shown(before.get(name)), shown(after.get(name))
        if old != new:
            details.append({"field": field_label(model, name), "old": old, "new": new})
    return details


def snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = list(getattr(obj, name).all()) if obj.pk else []
        else:
            values[name] = getattr(obj, name)
    return values


def record(
    *, client: Client | int, user: Any, action: str, details: list[dict[str, str]] | None = None,
) -> ClientChange:
    """One history entry; call inside the service's transaction so history and change land together."""
    client_id = client if isinstance(client, int) else client.pk
    return ClientChange.objects.create(
        client_id=client_id, user=user if getattr(user, "pk", None) else None, action=action[:200],
        details=details or [],
    )


def save_row(
    *, row: models.Model, values: Mapping[str, Any], fields: Iterable[str], client: Client, user: Any, action: str,
) -> list[dict[str, str]]:
    """Sets `values` on a tab's row and saves it; the changed fields, if any, become one history entry and the
    card is stamped as changed. Call inside the service's transaction."""
    names = tuple(fields)
    before = snapshot(row, names)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    details = changes_between(type(row), before, snapshot(row, names), names)
    if details:
        record(client=client, user=user, action=action, details=details)
        touch(client, user)
    return details


def touch(client: Client | int, user: Any) -> None:
    """Stamps the card as changed by `user` now, without loading or saving it (a tab's row changed)."""
    client_id = client if isinstance(client, int) else client.pk
    Client.objects.filter(pk=client_id).update(changed_by=user, changed_at=timezone.now())


def history_of(client: Client, limit: int = 200) -> list[ClientChange]:
    return list(ClientChange.objects.filter(client=client).select_related("user")[:limit])
