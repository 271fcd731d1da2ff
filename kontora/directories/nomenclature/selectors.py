"""Reads of the nomenclature directory: the folder tree level by level, keyset pages of items, search.

Everyone signed in may view the nomenclature, so `fetched_by` scopes nothing yet; it stays in the
signatures so that every read keeps naming who asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kontora.core.text import search_key, tail_bounds
from kontora.core.ui.pager import Keyset, Page
from kontora.directories.models import NomenclatureFolder, NomenclatureItem, NomenclatureWord
from kontora.directories.selectors.words import item_words_q

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
    """Code exactly, or the article or the name by the start of any of its words («svetocopy», «a4» find «Бумага
    SvetoCopy A4»), all folded (Cyrillic case, ё→е): the condition over items (the price list, selections)."""
    text = query.strip()
    key = search_key(text)
    condition = Q()
    if text.isascii() and text.isdigit() and len(text) <= 10:
        condition |= Q(code=int(text))
    if key:
        condition |= item_words_q(key)
    return condition or None


# The search reads the items through their word tails (models.NomenclatureWord), in the order of the matched text:
# one range of the tails' index, however many items match (a common word matches a tenth of 100,000 items, and
# sorting them all by name took 50–100 ms). A name's first tail is the name itself, so a search by the start of
# names lists them in name order.
BY_WORD = Keyset("tail", "item_id")
_WORD_COLUMNS = {"id": "item_id", **{name: f"item__{name}" for name in LIST_COLUMNS if name != "id"}}


def item_search(
    *, fetched_by: Any, query: str, cursor: Mapping[str, str] = NO_CURSOR, size: int = PAGE_SIZE,
) -> ItemPage:
    """Items whose name or article has a word starting with `query` (`search_filter`'s match), by the matched
    text; the item whose code is the number typed comes first. An item matched by two of its words is listed
    once on a page."""
    text = query.strip()
    key = search_key(text)
    if not key:
        return Page([], "", "")
    low, high = tail_bounds(key)
    words = (NomenclatureWord.objects.filter(tail__gte=low, tail__lt=high)
             .values("tail", *_WORD_COLUMNS.values()))
    found = BY_WORD.page(words, cursor, size=size)
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()
    if found.is_first and text.isascii() and text.isdigit() and len(text) <= 10:
        rows.extend(NomenclatureItem.objects.filter(code=int(text)).values(*LIST_COLUMNS))
        seen.update(row["id"] for row in rows)
    for word in found.rows:
        if word["item_id"] not in seen:
            seen.add(word["item_id"])
            rows.append({name: word[column] for name, column in _WORD_COLUMNS.items()})
    return Page(rows, found.after, found.before)
