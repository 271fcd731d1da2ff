"""Writes to directory items: every save keeps the search keys, runs in one transaction and writes its audit row.

An item referenced anywhere is never deleted: the refusal names where it is used, so the user can make
it inactive instead (it then disappears from pickers but stays on the records that have it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext, ngettext

from kontora.accounts.models import User
from kontora.core.audit import audit_record, changes_between, model_update, snapshot
from kontora.core.errors import NotAllowed, Refused
from kontora.core.text import search_key
from kontora.directories import locks, policies
from kontora.directories.hooks import Directory
from kontora.directories.selectors.items import Usage, item_usages
from kontora.directories.services.words import words_keep


def defaults_of(model: type[models.Model], names: Iterable[str]) -> dict[str, Any]:
    """The values a new record of `model` starts with: a creation's audit row lists what differs from them."""
    return {name: model._meta.get_field(name).get_default() for name in names}  # type: ignore[union-attr]


def _in_use(usages: list[Usage]) -> Refused:
    places = "; ".join(
        ngettext("%(place)s — %(count)d record", "%(place)s — %(count)d records", u.count)
        % {"place": u.label, "count": u.count}
        for u in usages
    )
    return Refused(gettext("The item is in use: %(places)s.") % {"places": places})


def _refresh_keys(item: models.Model) -> list[str]:
    """Set every `<field>_key` column from its `<field>`; returns the names set."""
    names = []
    concrete = {f.name for f in item._meta.concrete_fields}
    for name in concrete:
        if name.endswith("_key") and name[:-4] in concrete:
            setattr(item, name, search_key(str(getattr(item, name[:-4]) or "")))
            names.append(name)
    return names


def _check_right(acting_user: User, directory: Directory) -> None:
    if not policies.can_edit(acting_user, directory):
        raise NotAllowed


def directory_item_save(
    *, acting_user: User, directory: Directory, pk: int | None, data: Mapping[str, Any]
) -> models.Model:
    """Create (pk=None) or change an item from `data` keyed by the directory's fields (plus `is_active`).

    Raises ValidationError keyed by field when the item breaks the model's rules (uniqueness, periods, …).
    """
    _check_right(acting_user, directory)
    editable = directory.card_fields
    unknown = set(data) - set(editable)
    if unknown:
        raise ValueError(f"not fields of directory {directory.key!r}: {sorted(unknown)}")
    names = list(data)
    with transaction.atomic():
        item = directory.model() if pk is None else locks.directory_item(directory.model, pk)
        before = defaults_of(directory.model, names) if pk is None else snapshot(item, names)
        for name, value in data.items():
            setattr(item, name, value)
        keys = _refresh_keys(item)
        item.full_clean()
        if pk is None:
            item.save()
        else:
            changed_at = [f.name for f in item._meta.concrete_fields if f.name == "changed_at"]
            item.save(update_fields=[*names, *keys, *changed_at])
        words_keep(item)
        audit_record(
            actor=acting_user, event=f"directories.item.{'create' if pk is None else 'update'}",
            summary=gettext("Directory item added") if pk is None else gettext("Directory item changed"),
            target=item, changes=changes_between(directory.model, before, snapshot(item, names), names),
            extra={"directory": directory.key},
        )
    return item


def directory_item_set_active(*, acting_user: User, directory: Directory, pk: int, active: bool) -> models.Model:
    """Make an item inactive (hidden from pickers, kept where used) or active again."""
    _check_right(acting_user, directory)
    if not directory.has_active_flag:
        raise ValueError(f"directory {directory.key!r} has no active flag")
    with transaction.atomic():
        item = locks.directory_item(directory.model, pk)
        changes = model_update(item, data={"is_active": active}, fields=["is_active"])
        audit_record(
            actor=acting_user, event=f"directories.item.{'activate' if active else 'deactivate'}",
            summary=gettext("Directory item made active") if active else gettext("Directory item made inactive"),
            target=item, changes=changes, extra={"directory": directory.key},
        )
    return item


def directory_item_delete(*, acting_user: User, directory: Directory, pk: int) -> None:
    """Delete an unused item; raises Refused naming the places (`selectors.items.item_usages`) when anything
    references it."""
    _check_right(acting_user, directory)
    with transaction.atomic():
        item = locks.directory_item(directory.model, pk, deleting=True)
        usages = item_usages(item)
        if usages:
            raise _in_use(usages)
        audit_record(
            actor=acting_user, event="directories.item.delete", summary=gettext("Directory item deleted"),
            target=item, extra={"directory": directory.key, "name": str(item)},
        )
        try:
            item.delete()
        except (ProtectedError, RestrictedError):
            # A reference written between the count and the delete.
            raise _in_use(item_usages(item)) from None
