"""Writes to directory items: every save keeps the search keys, runs in one transaction and is audited.

An item referenced anywhere is never deleted: the refusal names where it is used, so the user can make
it inactive instead (it then disappears from pickers but stays on the records that have it).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext, ngettext

from kontora.core.text import search_key
from kontora.directories import policies
from kontora.directories.registry import Directory

audit = logging.getLogger("kontora.audit")


@dataclass(frozen=True)
class Usage:
    """Where an item is used: the referencing table's plural name and how many of its rows point at the item."""

    label: str
    count: int


class DirectoryItemInUse(Exception):
    """Deleting an item that other records reference; `usages` lists them."""

    def __init__(self, usages: list[Usage]) -> None:
        self.usages = usages
        places = "; ".join(
            ngettext("%(place)s — %(count)d record", "%(place)s — %(count)d records", u.count)
            % {"place": u.label, "count": u.count}
            for u in usages
        )
        super().__init__(gettext("The item is in use: %(places)s.") % {"places": places})


def _editable_names(directory: Directory) -> list[str]:
    names = list(directory.fields)
    if directory.has_active_flag and "is_active" not in names:
        names.append("is_active")
    return names


def _refresh_keys(item: models.Model) -> list[str]:
    """Set every `<field>_key` column from its `<field>`; returns the names set."""
    names = []
    concrete = {f.name for f in item._meta.concrete_fields}
    for name in concrete:
        if name.endswith("_key") and name[:-4] in concrete:
            setattr(item, name, search_key(str(getattr(item, name[:-4]) or "")))
            names.append(name)
    return names


def _check_right(acting_user: Any, directory: Directory) -> None:
    if not policies.can_edit(acting_user, directory):
        raise PermissionDenied


def directory_item_save(
    *, acting_user: Any, directory: Directory, pk: int | None, data: Mapping[str, Any]
) -> models.Model:
    """Create (pk=None) or change an item from `data` keyed by the directory's fields (plus `is_active`).

    Raises ValidationError keyed by field when the item breaks the model's rules (uniqueness, periods, …).
    """
    _check_right(acting_user, directory)
    editable = _editable_names(directory)
    unknown = set(data) - set(editable)
    if unknown:
        raise ValueError(f"not fields of directory {directory.key!r}: {sorted(unknown)}")
    with transaction.atomic():
        manager = directory.model._default_manager
        item = directory.model() if pk is None else manager.select_for_update().get(pk=pk)
        for name, value in data.items():
            setattr(item, name, value)
        keys = _refresh_keys(item)
        item.full_clean()
        if pk is None:
            item.save()
        else:
            changed_at = [f.name for f in item._meta.concrete_fields if f.name == "changed_at"]
            item.save(update_fields=[*data.keys(), *keys, *changed_at])
        audit.info(
            "directory item %s: %s #%s %r by %s", "added" if pk is None else "changed", directory.key, item.pk,
            str(item), acting_user.pk,
        )
    return item


def directory_item_set_active(*, acting_user: Any, directory: Directory, pk: int, active: bool) -> models.Model:
    """Make an item inactive (hidden from pickers, kept where used) or active again."""
    _check_right(acting_user, directory)
    if not directory.has_active_flag:
        raise ValueError(f"directory {directory.key!r} has no active flag")
    with transaction.atomic():
        item = directory.model._default_manager.select_for_update().get(pk=pk)
        item.is_active = active  # type: ignore[attr-defined]
        changed_at = [f.name for f in item._meta.concrete_fields if f.name == "changed_at"]
        item.save(update_fields=["is_active", *changed_at])
        audit.info(
            "directory item %s: %s #%s %r by %s", "activated" if active else "deactivated", directory.key, item.pk,
            str(item), acting_user.pk,
        )
    return item


def item_usages(item: models.Model) -> list[Usage]:
    """Every model that references `item`, with the number of its rows doing so (one COUNT per relation)."""
    counts: dict[str, int] = {}
    for relation in item._meta.related_objects:
        if relation.many_to_many:
            accessor = relation.get_accessor_name()
            if accessor is None:
                continue
            count = getattr(item, accessor).count()
        else:
            related = relation.related_model
            count = related._base_manager.filter(**{relation.field.name: item}).count()  # type: ignore[union-attr]
        if count:
            plural = str(relation.related_model._meta.verbose_name_plural)  # type: ignore[union-attr]
            label = plural[:1].upper() + plural[1:]
            counts[label] = counts.get(label, 0) + count
    return [Usage(label, count) for label, count in counts.items()]


def directory_item_delete(*, acting_user: Any, directory: Directory, pk: int) -> None:
    """Delete an unused item; raises DirectoryItemInUse naming the places when anything references it."""
    _check_right(acting_user, directory)
    with transaction.atomic():
        item = directory.model._default_manager.select_for_update().get(pk=pk)
        usages = item_usages(item)
        if usages:
            raise DirectoryItemInUse(usages)
        name = str(item)
        try:
            item.delete()
        except (ProtectedError, RestrictedError):
            # A reference written between the count and the delete.
            raise DirectoryItemInUse(item_usages(item)) from None
        audit.info("directory item deleted: %s #%s %r by %s", directory.key, pk, name, acting_user.pk)

