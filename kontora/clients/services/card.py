"""Every write to the client card: the client itself, its access and its contact persons.

Keys (`*_key`, `*_digits`) are recomputed here on every save: SQLite cannot fold Cyrillic, so the registry,
search and duplicate detection read these columns instead of the typed text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import ClientScope
from kontora.clients import access, history
from kontora.clients.models import Client, ClientGrant, ContactPerson
from kontora.core import numbering, requisites
from kontora.core.text import digits, search_key
from kontora.directories.attributes import selectors as attribute_selectors
from kontora.directories.attributes import services as attribute_services
from kontora.directories.models import Attribute

audit = logging.getLogger("kontora.audit")

# The main requisites block, the registration data and who owns the client: "open all" users may not change
# these on others' clients (access.can_edit_main_data).
MAIN_FIELDS = (
    "kind", "full_name", "short_name", "region", "settlement", "address", "postal_code", "phone", "fax", "email",
    "website", "main_contact", "inn", "kpp", "ogrn", "curator", "specialist",
)
INFO_FIELDS = (
    "status", "size", "source", "priority", "activity", "notes", "ladder_stage", "next_stage", "penetration",
    "reaction", "loyalty", "prospect", "next_contact_date", "flagged", "needs_attention",
)
CLIENT_FIELDS = MAIN_FIELDS + INFO_FIELDS
_HISTORY_FIELDS = (*CLIENT_FIELDS, "directions", "competitors")
CONTACT_FIELDS = (
    "full_name", "position", "phone_office", "phone_mobile", "phone_home", "email", "birthday", "competence",
    "characteristics", "relatives", "biography", "is_main",
)


def fill_search_keys(client: Client) -> None:
    """The normalised columns the registry, search and duplicate detection read (SQLite cannot fold Cyrillic)."""
    client.name_key = search_key(client.short_name)
    client.full_name_key = search_key(client.full_name)
    client.city_key = search_key(client.settlement.name) if client.settlement_id and client.settlement else ""
    client.phone_digits = digits(client.phone)
    client.fax_digits = digits(client.fax)


def _check(client: Client) -> None:
    """Domain rules of one client's values; errors keyed by field so the form shows them in place."""
    errors: dict[str, Any] = {}
    client.full_name = client.full_name.strip()
    client.short_name = client.short_name.strip()
    if not client.short_name:
        errors["short_name"] = _("Enter the short name.")
    if not client.full_name:
        client.full_name = client.short_name
    if client.settlement_id and client.settlement is not None:
        if client.region_id and client.region_id != client.settlement.region_id:
            errors["settlement"] = _("This city is in another region.")
        else:
            client.region = client.settlement.region
    if client.postal_code and not (len(client.postal_code) == 6 and client.postal_code.isdigit()):
        errors["postal_code"] = _("The postal code consists of 6 digits.")
    if client.kind == Client.Kind.PERSON:
        # A person has no Registration tab (CLI-01): only a personal INN may be kept.
        client.kpp = client.ogrn = ""
    if client.inn:
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
    *, acting_user: Any, client: Client, grants: Mapping[int, bool] | None = None, is_private: bool | None = None,
) -> Client:
    """Grants on the Access tab ({user id: may edit}) replace the old ones; the private flag (ACL-03) only by
    a curator with the "keep private clients" right."""
    with transaction.atomic():
        before = _access_state(client)
        if grants is not None:
            if not access.can_edit_main_data(acting_user, client):
                raise PermissionDenied
            wanted = {uid: bool(edit) for uid, edit in grants.items() if uid not in (client.curator_id,
                                                                                     client.specialist_id)}
            ClientGrant.objects.filter(client=client).exclude(user_id__in=wanted).delete()
            for uid, edit in wanted.items():
                ClientGrant.objects.update_or_create(client=client, user_id=uid, defaults={"can_edit": edit})
        if is_private is not None and is_private != client.is_private:
            if not access.can_make_private(acting_user, client):
                raise PermissionDenied
            if is_private and client.curator_id != acting_user.pk:
                raise ValidationError({"is_private": _("Only the client's curator may keep it private.")})
            client.is_private = is_private
            client.changed_by = acting_user
            client.save(update_fields=["is_private", "changed_by", "changed_at"])
        labels = {"private": _("Private client"), "access": _("Has access"), "edit": _("May edit")}
        after = _access_state(client)
        details = [{"field": str(labels[key]), "old": before[key], "new": after[key]}
                   for key in labels if before[key] != after[key]]
        if details:
            history.record(client=client, user=acting_user, action=_("Access changed"), details=details)
    audit.info("%s set access of client %s: grants %s, private %s", acting_user.login, client.code,
               "unchanged" if grants is None else sorted(grants.items()), client.is_private)
    return client


def _access_state(client: Client) -> dict[str, str]:
    grants = list(ClientGrant.objects.filter(client=client).select_related("user").order_by("user__full_name"))
    return {
        "private": history.shown(client.is_private),
        "access": ", ".join(str(grant.user) for grant in grants),
        "edit": ", ".join(str(grant.user) for grant in grants if grant.can_edit),
    }


def client_create(
    *, acting_user: Any, values: Mapping[str, Any], directions: Iterable[Any] = (), competitors: Iterable[Any] = (),
    grants: Mapping[int, bool] | None = None, is_private: bool = False, attributes: Mapping[int, Any] | None = None,
) -> Client:
    """A new client card with the next free code (CLI-15); a user limited to own clients becomes its curator."""
    with transaction.atomic():
        client = Client(**{name: values[name] for name in CLIENT_FIELDS if name in values})
        if client.curator_id is None or acting_user.client_scope in (ClientScope.OWN, ClientScope.LIST_ALL):
            # Otherwise the creator could not open what they have just registered.
            if client.specialist_id != acting_user.pk:
                client.curator = acting_user
        if is_private:
            if not access.can_make_private(acting_user, None):
                raise PermissionDenied
            if client.curator_id != acting_user.pk:
                raise ValidationError({"is_private": _("Only the client's curator may keep it private.")})
            client.is_private = True
        _check(client)
        fill_search_keys(client)
        client.created_by = client.changed_by = acting_user
        client.code = numbering.code_next("client")
        client.save(force_insert=True)
        client.directions.set(directions)
        client.competitors.set(competitors)
        if grants:
            client_set_access(acting_user=acting_user, client=client, grants=grants)
        history.record(client=client, user=acting_user, action=_("Card registered"),
                       details=_save_attributes(acting_user, client, attributes))
    audit.info("%s created client %s (%s)", acting_user.login, client.code, client.pk)
    return client


def client_update(
    *, acting_user: Any, client: Client, values: Mapping[str, Any], directions: Iterable[Any] | None = None,
    competitors: Iterable[Any] | None = None, grants: Mapping[int, bool] | None = None,
    is_private: bool | None = None, attributes: Mapping[int, Any] | None = None,
) -> Client:
    """Saves the card; main requisites only with can_edit_main_data, the rest with can_edit."""
    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        if not access.can_edit(acting_user, client):
            raise PermissionDenied
        before = history.snapshot(client, _HISTORY_FIELDS)
        changed = [name for name in CLIENT_FIELDS if name in values and _differs(client, name, values[name])]
        if any(name in MAIN_FIELDS for name in changed) and not access.can_edit_main_data(acting_user, client):
            raise PermissionDenied
        for name in changed:
            setattr(client, name, values[name])
        _check(client)
        fill_search_keys(client)
        client.changed_by = acting_user
        client.save()
        if directions is not None:
            client.directions.set(directions)
        if competitors is not None:
            client.competitors.set(competitors)
        details = history.changes_between(Client, before, history.snapshot(client, _HISTORY_FIELDS), _HISTORY_FIELDS)
        details += _save_attributes(acting_user, client, attributes)
        if details:
            history.record(client=client, user=acting_user, action=_("Card changed"), details=details)
        if grants is not None or is_private is not None:
            current = dict(ClientGrant.objects.filter(client=client).values_list("user_id", "can_edit"))
            client_set_access(
                acting_user=acting_user, client=client, is_private=is_private,
                grants=None if grants is None or grants == current else grants,
            )
    audit.info("%s changed client %s: %s", acting_user.login, client.code, ", ".join(changed) or "-")
    return client


def _save_attributes(
    acting_user: Any, client: Client, attributes: Mapping[int, Any] | None,
) -> list[dict[str, str]]:
    """The card's custom attribute values (DIR-06), in the card's transaction; history lines "label: old → new"."""
    if not attributes:
        return []
    before = attribute_selectors.attribute_values_for(client.pk)
    attribute_services.attribute_values_save(acting_user=acting_user, client_id=client.pk, values=dict(attributes))
    after = attribute_selectors.attribute_values_for(client.pk)
    labels = dict(Attribute.objects.filter(pk__in=list(attributes)).values_list("pk", "label"))
    details = []
    for attribute_id in attributes:
        old, new = history.shown(before.get(attribute_id)), history.shown(after.get(attribute_id))
        if old != new:
            details.append({"field": labels.get(attribute_id, str(attribute_id)), "old": old, "new": new})
    return details


def _differs(client: Client, name: str, value: Any) -> bool:
    field = Client._meta.get_field(name)
    if field.is_relation:
        return getattr(client, f"{name}_id") != (value.pk if value is not None else None)
    current = getattr(client, name)
    return bool(current != value) and not (current in (None, "") and value in (None, ""))


def _set_contact_keys(contact: ContactPerson) -> None:
    phones = (contact.phone_office, contact.phone_mobile, contact.phone_home)
    contact.phones_digits = " ".join(d for d in (digits(p) for p in phones) if d)


def _save_contact(acting_user: Any, contact: ContactPerson, values: Mapping[str, Any]) -> ContactPerson:
    if not access.can_edit(acting_user, contact.client):
        raise PermissionDenied
    for name in CONTACT_FIELDS:
        if name in values:
            setattr(contact, name, values[name])
    contact.full_name = contact.full_name.strip()
    if not contact.full_name:
        raise ValidationError({"full_name": _("Enter the full name.")})
    _set_contact_keys(contact)
    contact.save()
    if contact.is_main:
        # One main contact per client: the newest choice wins.
        ContactPerson.objects.filter(client=contact.client, is_main=True).exclude(pk=contact.pk).update(is_main=False)
    history.touch(contact.client, acting_user)
    return contact


def contact_create(*, acting_user: Any, client: Client, values: Mapping[str, Any]) -> ContactPerson:
    with transaction.atomic():
        contact = _save_contact(acting_user, ContactPerson(client=client), values)
        history.record(client=client, user=acting_user,
                       action=_("Contact person added: %(name)s") % {"name": contact.full_name})
    audit.info("%s added contact %s to client %s", acting_user.login, contact.pk, client.code)
    return contact


def contact_update(*, acting_user: Any, contact: ContactPerson, values: Mapping[str, Any]) -> ContactPerson:
    with transaction.atomic():
        before = history.snapshot(contact, CONTACT_FIELDS)
        contact = _save_contact(acting_user, contact, values)
        history.record(
            client=contact.client, user=acting_user,
            action=_("Contact person changed: %(name)s") % {"name": contact.full_name},
            details=history.changes_between(
                ContactPerson, before, history.snapshot(contact, CONTACT_FIELDS), CONTACT_FIELDS),
        )
    audit.info("%s changed contact %s of client %s", acting_user.login, contact.pk, contact.client.code)
    return contact


def contact_delete(*, acting_user: Any, contact: ContactPerson) -> None:
    with transaction.atomic():
        if not access.can_edit(acting_user, contact.client):
            raise PermissionDenied
        client, pk = contact.client, contact.pk
        history.record(client=client, user=acting_user,
                       action=_("Contact person deleted: %(name)s") % {"name": contact.full_name})
        contact.delete()
        history.touch(client, acting_user)
    audit.info("%s deleted contact %s of client %s", acting_user.login, pk, client.code)
