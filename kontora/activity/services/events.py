"""The relationship history's events (HIS-01, HIS-02): recorded in the client's card, corrected by their author on
the day they were made (on his own clock) or by an administrator, deleted by administrators only.

An event with a development stage moves the client on the sales ladder, and its next contact date becomes the
client's (the Operational work tab) — through clients' own services (`clients.services.ladder`), in the event's
transaction: the event and the client's move are saved together or not at all. Deleting an event moves nothing back:
the ladder keeps the client where it stands, and the move's record keeps the event's id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.activity import locks, policies
from kontora.activity.models import Event
from kontora.clients import policies as client_policies
from kontora.clients.models import Client, ContactPerson, StageChange
from kontora.clients.services.ladder import client_next_contact_set, client_stage_change
from kontora.core.audit import audit_record, changes_between, created_changes, deleted_changes, snapshot
from kontora.core.conflicts import Edit, check
from kontora.core.errors import NotAllowed
from kontora.core.text import search_key
from kontora.directories.models import EventType, LadderStage
from kontora.targeting.selectors import goals_met_by_event
from kontora.targeting.services import achievements_sync

EVENT_FIELDS = ("event_type", "description", "contact", "result", "reaction", "stage", "next_contact_date")


def _check(event: Event, changed: set[str]) -> None:
    """The event's rules, each error next to its field; only a changed choice must still be active (an event keeps
    the type or stage it was recorded with after the directory retired it)."""
    errors: dict[str, str] = {}
    event.description = (event.description or "").strip()
    if event.event_type_id is None:
        errors["event_type"] = _("Choose the event type.")
    elif "event_type" in changed and not EventType.objects.filter(pk=event.event_type_id, is_active=True).exists():
        errors["event_type"] = _("This event type is no longer in use: choose another one.")
    if not event.description:
        errors["description"] = _("Describe the event.")
    if event.contact_id is not None and "contact" in changed and not ContactPerson.objects.filter(
            pk=event.contact_id, client_id=event.client_id).exists():
        errors["contact"] = _("The contact person must be one of this client's personnel.")
    if event.stage_id is not None and "stage" in changed and not LadderStage.objects.filter(
            pk=event.stage_id, is_active=True).exists():
        errors["stage"] = _("This is not a stage of the sales ladder: choose one of its active stages.")
    if errors:
        raise ValidationError(errors)


def _client_moves(acting_user: User, event: Event, changed: set[str]) -> None:
    """The client follows the event: its ladder stage and its next contact date (only those the event sets)."""
    if "stage" in changed and event.stage is not None:
        client_stage_change(acting_user=acting_user, client=event.client_id, stage=event.stage,
                            source=StageChange.Source.EVENT, event_id=event.pk, error_field="stage")
    if "next_contact_date" in changed and event.next_contact_date is not None:
        client_next_contact_set(acting_user=acting_user, client=event.client_id, date=event.next_contact_date,
                                reason="event")


def _goals(event: Event) -> None:
    """Targeting follows the event: the goals its type and result reach now are its author's (TGT-01)."""
    achievements_sync(source="event", source_id=event.pk, user_id=event.author_id, achieved_at=event.created_at,
                      goals=goals_met_by_event(event.event_type_id, event.result_id))


def event_create(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> Event:
    """Records an event in the client's history (Ins in the card's History): by a user who may edit the client."""
    with transaction.atomic():
        if not client_policies.clients.can(acting_user, "change", client):
            raise NotAllowed
        event = Event(client=client, author=acting_user, changed_by=acting_user, created_at=timezone.now(),
                      **{name: values.get(name) for name in EVENT_FIELDS if name != "description"},
                      description=values.get("description") or "")
        _check(event, set(EVENT_FIELDS))
        event.description_key = search_key(event.description)
        event.save(force_insert=True)
        audit_record(actor=acting_user, event="activity.event.create", target=event, client=client,
                     summary=_("Event recorded: %(type)s") % {"type": event.event_type},
                     changes=created_changes(event, EVENT_FIELDS))
        _client_moves(acting_user, event, set(EVENT_FIELDS))
        _goals(event)
    return event


def event_update(*, acting_user: User, event: Event, values: Mapping[str, Any], edit: Edit | None = None) -> Event:
    """Corrects the given fields of an event (a form gives those the user changed, with its `edit`, checked field
    by field against what others saved since it was read: core.conflicts) — its author on the day it was made, on
    his clock, or an administrator; on a client he may still edit."""
    with transaction.atomic():
        current = locks.event_to_change(event.pk)
        if not policies.can_change_event(acting_user, current) \
                or not client_policies.clients.can(acting_user, "change", current.client):
            raise NotAllowed
        if edit is not None:
            check([edit], current, target=current)
        before = snapshot(current, EVENT_FIELDS)
        changed = {name for name in EVENT_FIELDS if name in values
                   and _value_of(current, name) != _value_of_given(values[name], name)}
        for name in changed:
            setattr(current, name, values[name] if name != "description" else (values[name] or ""))
        _check(current, changed)
        if not changed:
            return current
        current.description_key = search_key(current.description)
        current.changed_by = acting_user
        current.save()
        audit_record(actor=acting_user, event="activity.event.update", target=current, client=current.client_id,
                     summary=_("Event changed: %(type)s") % {"type": current.event_type},
                     changes=changes_between(Event, before, snapshot(current, EVENT_FIELDS), EVENT_FIELDS))
        _client_moves(acting_user, current, changed)
        if {"event_type", "result"} & changed:
            _goals(current)
    return current


def _value_of(event: Event, name: str) -> Any:
    field = Event._meta.get_field(name)
    return getattr(event, field.attname)  # type: ignore[union-attr]


def _value_of_given(value: Any, name: str) -> Any:
    if Event._meta.get_field(name).is_relation:
        return getattr(value, "pk", value)
    return value


def event_delete(*, acting_user: User, event: Event) -> None:
    """Deletes an event (administrators, on a client they may edit); the client stays where the event moved it, and
    the goals it reached are taken back."""
    with transaction.atomic():
        current = locks.event_to_change(event.pk)
        if not policies.events.can(acting_user, "delete", current) \
                or not client_policies.clients.can(acting_user, "change", current.client):
            raise NotAllowed
        audit_record(actor=acting_user, event="activity.event.delete", target=current, client=current.client_id,
                     summary=_("Event deleted: %(type)s") % {"type": current.event_type},
                     changes=deleted_changes(current, EVENT_FIELDS))
        achievements_sync(source="event", source_id=current.pk, user_id=None, achieved_at=current.created_at,
                          goals=[])
        current.delete()
