"""Every write to the client card: OK / Apply of the card's one form (`card_save`: the client and every changed part
in one transaction), the client itself, its access and its contact persons; and the two helpers every tab's service
uses — `touch` (the card is stamped as changed) and `save_row` (a one-row tab saved with its audit row).

Keys (`*_key`, `*_digits`) are recomputed here on every save: SQLite cannot fold Cyrillic, so the registry,
search and duplicate detection read these columns instead of the typed text.

Each service writes its audit row (`core.audit`, `client=` the card) in its own transaction: those rows are the
card's change history (CLI-12, selectors.history). A save that changes nothing writes no row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import ClientScope, User
from kontora.clients import access, locks, policies
from kontora.clients.models import Client, ClientGrant, ContactPerson, StageChange
from kontora.clients.services.ladder import client_stage_change
from kontora.clients.services.phones import client_phones_keep, contact_phones_keep
from kontora.core import conflicts, numbering, requisites
from kontora.core.audit import Change, audit_record, changes_between, model_update, shown, snapshot
from kontora.core.conflicts import Edit
from kontora.core.errors import NotAllowed
from kontora.core.text import digits, name_core, search_key
from kontora.directories.attributes import selectors as attribute_selectors
from kontora.directories.attributes import services as attribute_services
from kontora.directories.models import Attribute
from kontora.directories.services.settlements import place_outside_region

# The main requisites block, the registration data and who owns the client: "open all" users may not change
# these on others' clients (policies.clients.can(user, "change_main", client)).
MAIN_FIELDS = (
    "kind", "full_name", "short_name", "region", "settlement", "address", "postal_code", "phone", "fax", "email",
    "website", "main_contact", "inn", "kpp", "ogrn", "curator", "specialist",
)
INFO_FIELDS = (
    "status", "size", "source", "priority", "activity", "notes", "ladder_stage", "next_stage", "penetration",
    "reaction", "loyalty", "prospect", "next_contact_date", "flag", "needs_attention",
)
CLIENT_FIELDS = MAIN_FIELDS + INFO_FIELDS
_HISTORY_FIELDS = (*CLIENT_FIELDS, "directions", "competitors")
# The fields `_check` may rewrite beyond those the user changed (a default, a normalised requisite, the region
# that follows the city).
_CHECK_REWRITES = ("full_name", "short_name", "region", "inn", "kpp", "ogrn")
_FOREIGN_KEYS = frozenset(field.name for field in Client._meta.concrete_fields
                          if field.many_to_one and field.name in CLIENT_FIELDS)
CONTACT_FIELDS = (
    "full_name", "position", "phone_office", "phone_mobile", "phone_home", "email", "birthday", "competence",
    "characteristics", "relatives", "biography", "is_main",
)


@dataclass(frozen=True)
class PartSave:
    """What OK / Apply write of one part of the card beyond the client's own fields: the part's own service."""

    code: str  # the part (its tab): the errors of its service are keyed "<code>:<field>"
    save: Callable[..., object]  # the part's service: save(acting_user=, client=, values=), with its own rights
    stored: Callable[[Client], Mapping[str, Any]]  # the part's values as kept now
    typed: Mapping[str, Any]  # the fields the user changed, with what he typed
    read: Mapping[str, Any] = field(default_factory=dict)  # the part's values as the user read them


def card_save(
    *, acting_user: User, client: Client | None, values: Mapping[str, Any], parts: Sequence[PartSave] = (),
    directions: Iterable[Any] | None = None, competitors: Iterable[Any] | None = None,
    attributes: Mapping[int, Any] | None = None, edits: Sequence[Edit] = (),
) -> Client:
    """OK / Apply of the card (CLI-01 … CLI-16): the client (a new one, or the fields the user changed on it) and
    every changed part, in one transaction: all of it or nothing.

    `edits` (one per form of the page the user changed) are checked field by field first (core.conflicts): a field
    another user changed since this one read it, and this one changed too, refuses the whole save (EditConflict).

    Each part is written by its own service, which checks its own rights (a NotAllowed ends the save), with the
    values as they are now and the user's changes over them: a field he did not touch keeps what another user may
    have saved meanwhile. "Now" is read under the client's row lock, taken first: every save of the card takes it,
    so two saves of one card queue and the second builds on the first. The services' ValidationErrors are
    gathered — the client's keyed by its fields, a part's by "<code>:<field>" — and raised as one, so the page
    shows every problem at once.
    """
    with transaction.atomic():
        errors: dict[str, Any] = {}
        if client is None:
            client = client_create(acting_user=acting_user, values=values, directions=directions or (),
                                   competitors=competitors or (), attributes=attributes)
        else:
            # With the region and the city: the save's checks, search keys and history read them.
            locked = locks.client_for_update(client.pk, related=("region", "settlement"))
            conflicts.check(edits, locked, client_id=client.pk)
            if values or directions is not None or competitors is not None or attributes:
                try:
                    # The row just locked and checked is the one written: not read a second time.
                    client = _update_locked(acting_user=acting_user, client=locked, values=values,
                                            directions=directions, competitors=competitors, attributes=attributes)
                except ValidationError as exc:
                    errors.update(_keyed(exc, ""))
        for part in parts:
            # A fresh instance: the part's row as kept now, not as this request read it for the form.
            current = Client.objects.get(pk=client.pk)
            try:
                part.save(acting_user=acting_user, client=client, values={**part.stored(current), **part.typed})
            except ValidationError as exc:
                errors.update(_keyed(exc, f"{part.code}:"))
        if errors:
            raise ValidationError(errors)
    return client


def _keyed(exc: ValidationError, prefix: str) -> dict[str, Any]:
    if hasattr(exc, "error_dict"):
        return {f"{prefix}{name}": errors for name, errors in exc.error_dict.items()}
    return {f"{prefix}{NON_FIELD_ERRORS}": exc.error_list}


def fill_search_keys(client: Client) -> None:
    """The normalised columns the registry, search and duplicate detection read (SQLite cannot fold Cyrillic)."""
    client.name_key = search_key(client.short_name)
    client.name_core_key = name_core(client.name_key)
    client.full_name_key = search_key(client.full_name)
    client.city_key = search_key(client.settlement.name) if client.settlement_id and client.settlement else ""
    client.phone_digits = digits(client.phone)
    client.fax_digits = digits(client.fax)


def touch(client: Client | int, user: User) -> None:
    """Stamps the card as changed by `user` now, without loading or saving it (a tab's row changed)."""
    client_id = client if isinstance(client, int) else client.pk
    Client.objects.filter(pk=client_id).update(changed_by=user, changed_at=timezone.now())


def save_row(
    *, acting_user: User, client: Client, row: models.Model, values: Mapping[str, Any], fields: Iterable[str],
    event: str, summary: str,
) -> list[Change]:
    """Sets `values` on a one-row tab's row (its key is the client) and saves it; the changed fields, if any,
    become the audit row and the card is stamped as changed. Call inside the service's transaction.

    A row not yet in the base is inserted even when nothing differs from the defaults (the tab was saved once)."""
    names = tuple(fields)
    if row._state.adding:
        before = snapshot(row, names)
        for name in names:
            if name in values:
                setattr(row, name, values[name])
        row.save(force_insert=True)
        changes = changes_between(type(row), before, snapshot(row, names), names)
    else:
        changes = model_update(row, data=values, fields=names)
    if changes:
        audit_record(actor=acting_user, event=event, summary=summary, target=row, client=client, changes=changes)
        touch(client, acting_user)
    return changes


def _check(client: Client, *, region_follows: bool = False) -> None:
    """Domain rules of one client's values; errors keyed by field so the form shows them in place. `region_follows`:
    the user chose another city and left the region alone, so the region becomes the city's."""
    errors: dict[str, Any] = {}
    client.full_name = client.full_name.strip()
    client.short_name = client.short_name.strip()
    if not client.short_name:
        errors["short_name"] = _("Enter the short name.")
    if not client.full_name:
        client.full_name = client.short_name
    if client.settlement_id and client.settlement is not None:
        if client.region_id is None or (region_follows and client.region_id != client.settlement.region_id):
            # Choosing a city sets its region (the card's picker does it too); the same region is kept as it is.
            client.region = client.settlement.region
        elif client.region_id != client.settlement.region_id:
            # An impossible pair (Московская область + Казань): refused next to the city, whoever sent it.
            errors["settlement"] = place_outside_region(client.settlement, client.region)
    if client.postal_code and not (len(client.postal_code) == 6 and client.postal_code.isdigit()):
        errors["postal_code"] = _("The postal code consists of 6 digits.")
    if client.kind == Client.Kind.PERSON:
        # A person has no Registration tab (CLI-01): a personal INN is kept (on the passport tab), no KPP, and of an
        # OGRN only an entrepreneur's OGRNIP (15 digits), which every save of the card used to wipe unseen.
        client.kpp = ""
        if len(requisites.clean_digits(client.ogrn)) != 15:
            client.ogrn = ""
        if client.inn and len(requisites.clean_digits(client.inn)) != 12:
            errors["inn"] = _("A person's INN consists of 12 digits.")
    if client.inn and "inn" not in errors:
        values, found = requisites.entity_requisites(inn=client.inn, kpp=client.kpp, ogrn=client.ogrn)
        client.inn, client.kpp, client.ogrn = values["inn"], values["kpp"], values["ogrn"]
        errors.update(found)
    else:
        for name, validate in (("kpp", requisites.validate_kpp), ("ogrn", requisites.validate_ogrn_or_ogrnip)):
            if getattr(client, name):
                try:
                    setattr(client, name, validate(getattr(client, name)))
                except ValidationError as exc:
                    errors[name] = exc
    if client.is_private and client.curator_id is None:
        errors["is_private"] = _("A private client needs a curator.")
    if errors:
        raise ValidationError(errors)


def client_set_access(
    *, acting_user: User, client: Client, grants: Mapping[int, bool] | None = None, is_private: bool | None = None,
) -> Client:
    """Grants on the Access tab ({user id: may edit}) replace the old ones; the private flag (ACL-03) only by
    a curator with the "keep private clients" right."""
    with transaction.atomic():
        before = _access_state(client)
        if grants is not None:
            if not policies.clients.can(acting_user, "change_main", client):
                raise NotAllowed
            wanted = {uid: bool(edit) for uid, edit in grants.items() if uid not in (client.curator_id,
                                                                                     client.specialist_id)}
            ClientGrant.objects.filter(client=client).exclude(user_id__in=wanted).delete()
            for uid, edit in wanted.items():
                ClientGrant.objects.update_or_create(client=client, user_id=uid, defaults={"can_edit": edit})
        if is_private is not None and is_private != client.is_private:
            if not access.can_make_private(acting_user, client):
                raise NotAllowed
            if is_private and client.curator_id != acting_user.pk:
                raise ValidationError({"is_private": _("Only the client's curator may keep it private.")})
            model_update(client, data={"is_private": is_private, "changed_by": acting_user},
                         fields=("is_private", "changed_by"))
        labels = {"private": _("Private client"), "access": _("Has access"), "edit": _("May edit")}
        after = _access_state(client)
        changes = [{"field": str(labels[key]), "old": before[key], "new": after[key]}
                   for key in labels if before[key] != after[key]]
        if changes:
            audit_record(actor=acting_user, event="clients.client.access", summary=_("Access changed"),
                         target=client, client=client, changes=changes)
    return client


def client_access_save(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> Client:
    """The Access tab as a part of the card (values: `granted`, `granted_edit` — user ids as text — and, for a
    curator with the right, `is_private`): only what differs from the client's state is written."""
    editing = {str(uid) for uid in values.get("granted_edit") or ()}
    grants = {int(uid): str(uid) in editing for uid in values.get("granted") or ()}
    current = dict(ClientGrant.objects.filter(client=client).values_list("user_id", "can_edit"))
    return client_set_access(acting_user=acting_user, client=client, grants=None if grants == current else grants,
                             is_private=values.get("is_private"))


def _access_state(client: Client) -> dict[str, str]:
    grants = list(ClientGrant.objects.filter(client=client).select_related("user").order_by("user__full_name"))
    return {
        "private": shown(client.is_private),
        "access": ", ".join(str(grant.user) for grant in grants),
        "edit": ", ".join(str(grant.user) for grant in grants if grant.can_edit),
    }


def client_create(
    *, acting_user: User, values: Mapping[str, Any], directions: Iterable[Any] = (), competitors: Iterable[Any] = (),
    grants: Mapping[int, bool] | None = None, is_private: bool = False, attributes: Mapping[int, Any] | None = None,
) -> Client:
    """A new client card with the next free code (CLI-15); a user limited to own clients becomes its curator."""
    with transaction.atomic():
        # The stage is set by the ladder's one service once the client exists: its move is recorded too.
        client = Client(**{name: values[name] for name in CLIENT_FIELDS if name in values and name != "ladder_stage"})
        if client.curator_id is None and client.specialist_id != acting_user.pk:
            client.curator = acting_user  # nobody chosen: the one who registers it
        elif acting_user.client_scope in (ClientScope.OWN, ClientScope.LIST_ALL) \
                and acting_user.pk not in (client.curator_id, client.specialist_id):
            # He could not open what he has just registered. Refused, never replaced: a choice is not dropped.
            raise ValidationError({"curator": _(
                "You work with your own clients only: be the curator or the specialist of a client you register."
            )})
        if is_private:
            if not access.can_make_private(acting_user, None):
                raise NotAllowed
            if client.curator_id != acting_user.pk:
                raise ValidationError({"is_private": _("Only the client's curator may keep it private.")})
            client.is_private = True
        _check(client)
        fill_search_keys(client)
        client.created_by = client.changed_by = acting_user
        client.code = numbering.code_next("client")
        client.save(force_insert=True)
        client_phones_keep(client, new=True)
        directions, competitors = list(directions), list(competitors)
        if directions:  # a new client has none: setting none would only read that
            client.directions.set(directions)
        if competitors:
            client.competitors.set(competitors)
        if grants:
            client_set_access(acting_user=acting_user, client=client, grants=grants)
        audit_record(actor=acting_user, event="clients.client.create", summary=_("Card registered"), target=client,
                     client=client, changes=_save_attributes(acting_user, client, attributes))
        if values.get("ladder_stage") is not None:
            client_stage_change(acting_user=acting_user, client=client, stage=values["ladder_stage"],
                                source=StageChange.Source.CARD)
    return client


def client_update(
    *, acting_user: User, client: Client, values: Mapping[str, Any], directions: Iterable[Any] | None = None,
    competitors: Iterable[Any] | None = None, grants: Mapping[int, bool] | None = None,
    is_private: bool | None = None, attributes: Mapping[int, Any] | None = None, locked: bool = False,
) -> Client:
    """Saves the card; main requisites only with the card's "change_main", the rest with "change" (policies).

    With `locked`, `client` is the row the caller took by `client_lock` in its transaction, not read again, and
    the save is part of that transaction (no savepoint of its own: a refusal rolls back the caller's work)."""
    if locked:
        return _update_locked(acting_user=acting_user, client=client, values=values, directions=directions,
                              competitors=competitors, grants=grants, is_private=is_private, attributes=attributes)
    with transaction.atomic():
        return _update_locked(acting_user=acting_user, client=client_lock(client.pk, values), values=values,
                              directions=directions, competitors=competitors, grants=grants, is_private=is_private,
                              attributes=attributes)


def client_lock(client_id: int, values: Mapping[str, Any] = MappingProxyType({}), *,
                standing_of: User | None = None) -> Client:
    """The client's row locked for a `client_update` of `values`. The related rows the save's history shows (the
    old curator, status …) and `_check` reads (the region and the city) come with it, in its one query — and with
    `standing_of`, that user's standing towards the client (`access.standing` then asks nothing)."""
    related = tuple(dict.fromkeys(("region", "settlement", *(name for name in values if name in _FOREIGN_KEYS))))
    if standing_of is None:
        return locks.client_for_update(client_id, related=related)
    client = locks.client_for_update(client_id, related=related,
                                     annotations=access.standing_annotations(standing_of))
    access.standing_of_row(standing_of, client)
    return client


def _update_locked(
    *, acting_user: User, client: Client, values: Mapping[str, Any], directions: Iterable[Any] | None = None,
    competitors: Iterable[Any] | None = None, grants: Mapping[int, bool] | None = None,
    is_private: bool | None = None, attributes: Mapping[int, Any] | None = None,
) -> Client:
    """`client_update` on the client's row as read under its lock, taken by the caller in this transaction.

    No savepoint of its own: the card's save goes on to its parts after a ValidationError (raised before any write
    here, or followed by the save's own refusal, which rolls everything back)."""
    changed = [name for name in CLIENT_FIELDS if name in values and _differs(client, name, values[name])]
    # The ladder's one service moves the stage (after the card's own write), recording the move.
    stage_moved = "ladder_stage" in changed
    if stage_moved:
        changed.remove("ladder_stage")
    main = any(name in MAIN_FIELDS for name in changed)
    # One question, not two: the right to change the main data implies the right to change the card (the levels
    # of access.Standing), and either refusal is the same NotAllowed. (After the duplicate check's audit row the
    # request's decisions are paused, so each question was a query.)
    if not policies.clients.can(acting_user, "change_main" if main else "change", client):
        raise NotAllowed
    # Only what this save can change is read for its history: a snapshot of every field would load each of
    # the card's related rows (curator, status, size …) one query at a time to compare them with themselves.
    lists = {"directions": directions, "competitors": competitors}
    wanted = {*changed, *_CHECK_REWRITES, *(name for name, given in lists.items() if given is not None)}
    history = tuple(name for name in _HISTORY_FIELDS if name in wanted)
    before = snapshot(client, history)
    if "curator" in changed and access.takes_private(acting_user, client, getattr(values["curator"], "pk", None)):
        # Read from the locked row: the client may have become private after the user's rights were decided
        # (a memoised standing), and nobody makes himself the curator of another's private client (F1).
        raise ValidationError({"curator": _(
            "This client is another user's private client: you cannot become its curator."
        )})
    stored = _columns(client)
    for name in changed:
        setattr(client, name, values[name])
    _check(client, region_follows="settlement" in changed and "region" not in changed)
    fill_search_keys(client)
    client.changed_by = acting_user
    # Only the columns that differ from the locked row (and the change stamp): a whole-row UPDATE also rewrote
    # the name search index (its SQLite trigger fires on any UPDATE naming the name keys) on every save.
    now = _columns(client)
    client.save(update_fields=[field.name for field in Client._meta.concrete_fields if not field.primary_key and (
        getattr(field, "auto_now", False) or now[field.attname] != stored[field.attname])])
    if "phone" in changed:
        client_phones_keep(client)
    if directions is not None:
        client.directions.set(directions)
    if competitors is not None:
        client.competitors.set(competitors)
    changes = changes_between(Client, before, snapshot(client, history), history)
    changes += _save_attributes(acting_user, client, attributes)
    if changes:
        audit_record(actor=acting_user, event="clients.client.update", summary=_("Card changed"), target=client,
                     client=client, changes=changes)
    if stage_moved:
        client_stage_change(acting_user=acting_user, client=client, stage=values["ladder_stage"],
                            source=StageChange.Source.CARD)
    if grants is not None or is_private is not None:
        current = dict(ClientGrant.objects.filter(client=client).values_list("user_id", "can_edit"))
        client_set_access(
            acting_user=acting_user, client=client, is_private=is_private,
            grants=None if grants is None or grants == current else grants,
        )
    return client


def _columns(client: Client) -> dict[str, Any]:
    """The client's column values as kept on the instance (keys, not related objects: no query)."""
    return {field.attname: getattr(client, field.attname) for field in Client._meta.concrete_fields}


def _save_attributes(acting_user: User, client: Client, attributes: Mapping[int, Any] | None) -> list[Change]:
    """The card's custom attribute values (DIR-06), in the card's transaction; history lines "label: old → new"."""
    if not attributes:
        return []
    before = attribute_selectors.attribute_values_for(client.pk)
    attribute_services.attribute_values_save(acting_user=acting_user, client_id=client.pk, values=dict(attributes))
    after = attribute_selectors.attribute_values_for(client.pk)
    labels = dict(Attribute.objects.filter(pk__in=list(attributes)).values_list("pk", "label"))
    changes = []
    for attribute_id in attributes:
        old, new = shown(before.get(attribute_id)), shown(after.get(attribute_id))
        if old != new:
            changes.append({"field": labels.get(attribute_id, str(attribute_id)), "old": old, "new": new})
    return changes


def _differs(client: Client, name: str, value: Any) -> bool:
    field = Client._meta.get_field(name)
    if field.is_relation:
        return getattr(client, f"{name}_id") != (value.pk if value is not None else None)
    current = getattr(client, name)
    return bool(current != value) and not (current in (None, "") and value in (None, ""))


def _set_contact_keys(contact: ContactPerson) -> None:
    phones = (contact.phone_office, contact.phone_mobile, contact.phone_home)
    contact.phones_digits = " ".join(d for d in (digits(p) for p in phones) if d)


def _save_contact(acting_user: User, contact: ContactPerson, values: Mapping[str, Any]) -> ContactPerson:
    if not policies.contacts.can(acting_user, "change", contact):
        raise NotAllowed
    phone_fields = ("phone_office", "phone_mobile", "phone_home")
    typed_before = None if contact.pk is None else [getattr(contact, name) for name in phone_fields]
    for name in CONTACT_FIELDS:
        if name in values:
            setattr(contact, name, values[name])
    contact.full_name = contact.full_name.strip()
    if not contact.full_name:
        raise ValidationError({"full_name": _("Enter the full name.")})
    _set_contact_keys(contact)
    contact.save()
    if typed_before != [getattr(contact, name) for name in phone_fields]:
        contact_phones_keep(contact)
    if contact.is_main:
        # One main contact per client: the newest choice wins.
        ContactPerson.objects.filter(client=contact.client, is_main=True).exclude(pk=contact.pk).update(is_main=False)
    touch(contact.client, acting_user)
    return contact


def contact_create(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> ContactPerson:
    with transaction.atomic():
        contact = _save_contact(acting_user, ContactPerson(client=client), values)
        audit_record(actor=acting_user, event="clients.contact.create", target=contact, client=client,
                     summary=_("Contact person added: %(name)s") % {"name": contact.full_name})
    return contact


def contact_update(*, acting_user: User, contact: ContactPerson, values: Mapping[str, Any],
                   edit: Edit | None = None) -> ContactPerson:
    """Writes the given fields of the contact (a form gives those the user changed, with its `edit` to check
    field by field against what others saved since it was read: core.conflicts)."""
    with transaction.atomic():
        current = locks.contact_for_update(contact.pk)
        if edit is not None:
            conflicts.check([edit], current, target=contact)
        current.client = contact.client
        contact = current
        before = snapshot(contact, CONTACT_FIELDS)
        contact = _save_contact(acting_user, contact, values)
        audit_record(
            actor=acting_user, event="clients.contact.update", target=contact, client=contact.client,
            summary=_("Contact person changed: %(name)s") % {"name": contact.full_name},
            changes=changes_between(ContactPerson, before, snapshot(contact, CONTACT_FIELDS), CONTACT_FIELDS),
        )
    return contact


def contact_delete(*, acting_user: User, contact: ContactPerson) -> None:
    with transaction.atomic():
        if not policies.contacts.can(acting_user, "change", contact):
            raise NotAllowed
        client = contact.client
        audit_record(actor=acting_user, event="clients.contact.delete", target=contact, client=client,
                     summary=_("Contact person deleted: %(name)s") % {"name": contact.full_name})
        contact.delete()
        touch(client, acting_user)
