"""Row locks of directories and of its engines (attributes, nomenclature), all through `core.locks.locked`.

A lock taken before a delete is a key lock (`key_update=True`): a row that another transaction is about to point
at waits for the delete to end, so the delete never leaves a dangling reference behind a usage count.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q

from kontora.core.locks import locked
from kontora.directories.models import Attribute, AttributeOption, NomenclatureFolder, NomenclatureItem

M = TypeVar("M", bound=Model)


def directory_item(model: type[M], pk: int, *, deleting: bool = False) -> M:
    """An item of a generic directory, to change (or, `deleting`, to delete)."""
    return locked(model._default_manager.filter(pk=pk), key_update=deleting).get()


def attribute(attribute_id: int, *, deleting: bool = False) -> Attribute:
    return locked(Attribute.objects.filter(pk=attribute_id), key_update=deleting).get()


def attribute_option(attribute_id: int, option_id: int, *, deleting: bool = False) -> AttributeOption:
    return locked(AttributeOption.objects.filter(pk=option_id, attribute_id=attribute_id), key_update=deleting).get()


def nomenclature_item(item_id: int) -> NomenclatureItem:
    return locked(NomenclatureItem.objects.filter(pk=item_id)).get()


def nomenclature_items(item_ids: list[int]) -> list[int]:
    """Locks the items about to move; returns the ids of those that exist."""
    return list(locked(NomenclatureItem.objects.filter(pk__in=item_ids)).values_list("pk", flat=True))


def nomenclature_folder(folder_id: int, *, deleting: bool = False) -> NomenclatureFolder:
    return locked(NomenclatureFolder.objects.filter(pk=folder_id), key_update=deleting).get()


def nomenclature_subtree(path: str, *, also: int | None = None) -> list[int]:
    """Locks the folders of a subtree (the folder whose `path` is given and all under it) and the folder `also`
    (a move's new parent) in one pk order, so two moves running at once cannot deadlock; returns their ids."""
    involved = Q(path__startswith=path) if also is None else Q(path__startswith=path) | Q(pk=also)
    return list(locked(NomenclatureFolder.objects.filter(involved)).values_list("pk", flat=True))
