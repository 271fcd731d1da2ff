"""The audit (DESIGN "Audit"): every service writes one `AuditEvent` row inside its own transaction.

    with transaction.atomic():
        changes = model_update(entity, data=values, fields=ENTITY_FIELDS)
        audit_record(actor=acting_user, event="core.legal_entity.update", target=entity, changes=changes,
                     summary=gettext("Legal entity changed"))

A row about a client carries `client`: it is that card's change history (CLI-12) and client-owned data.
Values are stored as the texts the user saw (`shown`), so a row reads the same after a directory item is
renamed or deleted.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.translation import get_language

from kontora.core.models import AuditEvent
from kontora.core.permissions import decisions_changed
from kontora.core.services.inserts import rows_insert

M = TypeVar("M", bound=models.Model)

Change = dict[str, str]


def shown(value: Any) -> str:
    """The value as a page shows it."""
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
    return _field_label(model, name, get_language())


@functools.lru_cache(maxsize=4096)
def _field_label(model: type[models.Model], name: str, language: str | None) -> str:
    # A model's labels are fixed per language: an import's history asks for the same few a hundred thousand times.
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))  # type: ignore[union-attr]
    except Exception:  # a computed name without a model field is shown as it is
        return name


def snapshot(obj: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The current values of `names` (a many-to-many field as the list of its items)."""
    values: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = list(getattr(obj, name).all()) if obj.pk else []
        else:
            values[name] = getattr(obj, name)
    return values


def changes_between(
    model: type[models.Model], before: Mapping[str, Any], after: Mapping[str, Any], names: Iterable[str],
) -> list[Change]:
    """[{"field", "old", "new"}] for each of `names` whose shown value differs between the two snapshots."""
    changes = []
    for name in names:
        old, new = shown(before.get(name)), shown(after.get(name))
        if old != new:
            changes.append({"field": field_label(model, name), "old": old, "new": new})
    return changes


def created_changes(instance: models.Model, names: Iterable[str]) -> list[Change]:
    """A new record's values as the changes of its audit row (from nothing)."""
    names = tuple(names)
    return changes_between(instance._meta.model, {}, snapshot(instance, names), names)


def deleted_changes(instance: models.Model, names: Iterable[str]) -> list[Change]:
    """A deleted record's last values as the changes of its audit row (to nothing)."""
    names = tuple(names)
    return changes_between(instance._meta.model, snapshot(instance, names), {}, names)


def _differs(instance: models.Model, name: str, value: Any) -> bool:
    field = instance._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return bool(getattr(instance, field.attname) != (value.pk if isinstance(value, models.Model) else value))
    current = getattr(instance, name)
    return bool(current != value) and not (current in (None, "") and value in (None, ""))


def model_update(instance: models.Model, *, data: Mapping[str, Any], fields: Iterable[str]) -> list[Change]:
    """Sets those of `fields` present in `data` whose value differs, saves only them (with the model's
    `auto_now` fields) and returns the changes for the audit row; nothing changed → nothing saved."""
    names = [name for name in fields if name in data and _differs(instance, name, data[name])]
    if not names:
        return []
    model = instance._meta.model  # not type(): request.user is a lazy object standing for the user
    before = snapshot(instance, names)
    for name in names:
        setattr(instance, name, data[name])
    stamped = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    instance.save(update_fields=[*names, *(n for n in stamped if n not in names)])
    return changes_between(model, before, snapshot(instance, names), names)


def _target(target: models.Model | None) -> tuple[str, int | None]:
    if target is None:
        return "", None
    return target._meta.label_lower, target.pk


def _client_id(client: models.Model | int | None) -> int | None:
    return client.pk if isinstance(client, models.Model) else client


def _in_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record runs inside the service's transaction, never after it")
    # Every write is audited: the request's memoised access decisions may now be out of date.
    decisions_changed()


def audit_record(
    *, actor: Any, event: str, summary: str = "", target: models.Model | None = None,
    client: models.Model | int | None = None, changes: Sequence[Change] = (), extra: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """One audit row, in the caller's transaction: a rolled-back write leaves no trace of itself."""
    _in_transaction()
    target_type, target_id = _target(target)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None, event=event, summary=str(summary)[:200],
        target_type=target_type, target_id=target_id, client_id=_client_id(client), changes=list(changes),
        extra=dict(extra or {}),
    )


def audited_create(
    model: type[M], values: Mapping[str, Any], *, actor: Any, event: str, summary: str, fields: Iterable[str],
    client: models.Model | int | None = None,
) -> M:
    """A new row and its audit row (`<event>.create`, its values from nothing)."""
    instance = model._default_manager.create(**values)
    audit_record(actor=actor, event=f"{event}.create", summary=summary, target=instance, client=client,
                 changes=created_changes(instance, fields))
    return instance


def audited_update(
    instance: M, *, actor: Any, event: str, summary: str, data: Mapping[str, Any], fields: Iterable[str],
    client: models.Model | int | None = None,
) -> list[Change]:
    """`model_update` and its audit row (`<event>.update`); the changes it made are returned."""
    changes = model_update(instance, data=data, fields=fields)
    audit_record(actor=actor, event=f"{event}.update", summary=summary, target=instance, client=client,
                 changes=changes)
    return changes


def audited_delete(
    instance: models.Model, *, actor: Any, event: str, summary: str, fields: Iterable[str],
    client: models.Model | int | None = None,
) -> None:
    """The audit row of a deletion (`<event>.delete`, the last values to nothing), then the deletion."""
    audit_record(actor=actor, event=f"{event}.delete", summary=summary, target=instance, client=client,
                 changes=deleted_changes(instance, fields))
    instance.delete()


def audit_record_many(
    *, actor: Any, event: str, summary: str, target_type: str, clients: Iterable[int],
    changes: Sequence[Change] = (), batch: int = 1000,
) -> int:
    """The same row about many clients at once (a hand-over of thousands of cards), each client its own target;
    written in batches; returns the count."""
    _in_transaction()
    actor = actor if getattr(actor, "pk", None) else None
    rows: list[AuditEvent] = []
    count = 0
    for client_id in clients:
        rows.append(AuditEvent(actor=actor, event=event, summary=str(summary)[:200], target_type=target_type,
                               target_id=client_id, client_id=client_id, changes=list(changes)))
        if len(rows) >= batch:
            AuditEvent.objects.bulk_create(rows)
            count += len(rows)
            rows = []
    AuditEvent.objects.bulk_create(rows)
    return count + len(rows)


def audit_record_each(
    *, actor: Any, event: str, summary: str, target: models.Model | None, changes: Mapping[int, Sequence[Change]],
    extra: Mapping[str, Any] | None = None,
) -> int:
    """One row per client of a batch, each with its own changes, all about one `target` (an import's batch of
    created or updated clients): one INSERT for the batch; returns the count."""
    _in_transaction()
    actor = actor if getattr(actor, "pk", None) else None
    target_type, target_id = _target(target)
    rows = [{"actor_id": getattr(actor, "pk", None), "event": event, "summary": str(summary)[:200],
             "target_type": target_type, "target_id": target_id, "client_id": client_id,
             "changes": list(client_changes), "extra": dict(extra or {})}
            for client_id, client_changes in changes.items()]
    rows_insert(AuditEvent, rows)
    return len(rows)


def audit_record_rows(*, actor: Any, event: str, rows: Sequence[Mapping[str, Any]]) -> int:
    """Many rows of one event, each as `audit_record` would write it (`summary`, `target`, `client`, `changes`,
    `extra` per row: a bank statement's payments), in one INSERT and in the given order; returns the count."""
    _in_transaction()
    actor_id = getattr(actor, "pk", None)
    prepared = []
    for row in rows:
        target_type, target_id = _target(row.get("target"))
        prepared.append({"actor_id": actor_id, "event": event, "summary": str(row.get("summary", ""))[:200],
                         "target_type": target_type, "target_id": target_id,
                         "client_id": _client_id(row.get("client")), "changes": list(row.get("changes", ())),
                         "extra": dict(row.get("extra") or {})})
    rows_insert(AuditEvent, prepared)
    return len(prepared)
