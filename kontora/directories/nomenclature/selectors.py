"""Reads of the nomenclature directory: the folder tree level by level, keyset pages of items, search.

Everyone signed in may view the nomenclature, so `fetched_by` scopes nothing yet; it stays in the
signatures so that every read keeps naming who asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kontora.core.text import prefix_bounds, search_key
from kontora.core.ui.pager import Keyset, Page
from kontora.directories.models import NomenclatureFolder, NomenclatureItem

PAGE_SIZE = 50
LIST_COLUMNS = ("id", "code", "article", "name", "name_key", "sale_price", "is_active", "folder_id", "unit__short_name")
BY_NAME = Keyset("name_key", "id")
ItemPage = Page[dict[str, Any]]
NO_CURSOR: Mapping[str, str] = {}


def access_folder(fetched_by: Any, folder_id: int) -> NomenclatureFolder:
    folder = NomenclatureFolder.objects.filter(pk=folder_id).first()
    if folder is None:
        raise Http404
    return folder


def access_item(fetched_by: Any, item_id: int) -> NomenclatureItem:
    item = (
        NomenclatureItem.objects.select_related("folder", "unit", "goods_group", "vat_rate")
        .filter(pk=item_id).first()
    )
    if item is None:
        raise Http404
    return item


def folder_children(*, fetched_by: Any, parent_id: int | None) -> list[NomenclatureFolder]:
    """One level of the tree, each folder with `has_children` for the lazy expander."""
    return list(
        NomenclatureFolder.objects.filter(parent_id=parent_id)
        .annotate(has_children=Exists(NomenclatureFolder.objects.filter(parent_id=OuterRef("pk"))))
        .order_by("price_list_order", "name", "id")
    )


def folder_ancestors(*, fetched_by: Any, folder: NomenclatureFolder) -> list[NomenclatureFolder]:
    """The folders from the top level down to `folder` itself, read from its path in one query."""
    ids = [int(part) for part in folder.path.strip("/").split("/") if part]
    by_id = NomenclatureFolder.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _page(qs: QuerySet[NomenclatureItem], cursor: Mapping[str, str], size: int) -> ItemPage:
    return BY_NAME.page(qs.values(*LIST_COLUMNS), cursor, size=size)


def folder_items(
    *, fetched_by: Any, folder_id: int | None, cursor: Mapping[str, str] = NO_CURSOR, size: int = PAGE_SIZE,
) -> ItemPage:
    """Items right in the folder (None: the top level), by name, one keyset page from `cursor` (core.ui.pager)."""
    return _page(NomenclatureItem.objects.filter(folder_id=folder_id), cursor, size)


def subtree_items(*, fetched_by: Any, folder: NomenclatureFolder) -> QuerySet[NomenclatureItem]:
    """Every item of the folder and of all folders under it: one prefix range over folder paths."""
    return NomenclatureItem.objects.filter(folder__path__startswith=folder.path)


def search_filter(query: str) -> Q | None:
    """Code exactly, or the article or the name by prefix, all folded (Cyrillic case, ё→е)."""
    text = query.strip()
    key = search_key(text)
    condition = Q()
    if text.isascii() and text.isdigit() and len(text) <= 10:
        condition |= Q(code=int(text))
    if key:
        low, high = prefix_bounds(key)
        condition |= Q(article_key__gte=low, article_key__lt=high) | Q(name_key__gte=low, name_key__lt=high)
    return condition or None


def item_search(
    *, fetched_by: Any, query: str, cursor: Mapping[str, str] = NO_CURSOR, size: int = PAGE_SIZE,
) -> ItemPage:
    condition = search_filter(query)
    if condition is None:
        return Page([], "", "")
    return _page(NomenclatureItem.objects.filter(condition), cursor, size)
