"""Reads of directory items: the list of a directory, the picker's matches, one item, where an item is used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404

from kontora.core.text import search_key
from kontora.core.ui.pager import Keyset, Page
from kontora.directories.hooks import Directory
from kontora.directories.selectors.words import key_words_q

LIST_LIMIT = 200  # rows a page of a directory's list; "Show more" seeks on
NO_CURSOR: Mapping[str, str] = {}
PICK_LIMIT = 20
NO_NARROWING: Mapping[str, int] = {}


@dataclass(frozen=True)
class Usage:
    """Where an item is used: the referencing table's plural name and how many of its rows point at the item."""

    label: str
    count: int


def _search(queryset: models.QuerySet[Any], directory: Directory, query: str) -> models.QuerySet[Any]:
    key = search_key(query)
    if not key:
        return queryset
    longest = getattr(directory.model._meta.get_field(directory.search_field), "max_length", None)
    if longest and len(key) > longest:
        # Longer than any stored key, so nothing matches; and SQLite refuses a LIKE pattern past 50,000 bytes.
        return queryset.none()
    if directory.search is not None:
        return queryset.filter(directory.search(key))
    return queryset.filter(key_words_q(directory.search_field, key))


def _references(directory: Directory) -> list[str]:
    """The list's columns that point at another table: joined in the list's one query, not fetched per row."""
    return [
        name for name in directory.fields
        if isinstance(directory.model._meta.get_field(name), models.ForeignKey)
    ]


def directory_items(
    *, directory: Directory, fetched_by: Any, query: str = "", show_inactive: bool = False,
    cursor: Mapping[str, str] = NO_CURSOR, size: int = LIST_LIMIT,
) -> Page[models.Model]:
    """Items of a directory for its list: those starting with `query`, active only unless asked; one keyset page
    in the directory's order from `cursor` (core.ui.pager)."""
    queryset = directory.items_for(fetched_by)
    if directory.has_active_flag and not show_inactive:
        queryset = queryset.filter(is_active=True)
    references = _references(directory)
    if references:
        queryset = queryset.select_related(*references)
    return Keyset(*directory.order_by).page(_search(queryset, directory, query), cursor, size=size)


def directory_pick(
    *, directory: Directory, fetched_by: Any, query: str, narrow: Mapping[str, int] = NO_NARROWING,
    limit: int = PICK_LIMIT,
) -> list[models.Model]:
    """Active items a picker offers for the typed text: an exact match first, then in the directory's order; only
    those of `narrow` (the directory's `narrow` parameters with their ids: a city picker within a region), each
    with what tells it from its namesakes (`pick_related`) in the same query."""
    return list(pick_queryset(directory=directory, fetched_by=fetched_by, query=query, narrow=narrow)[:limit])


def pick_queryset(
    *, directory: Directory, fetched_by: Any, query: str, narrow: Mapping[str, int] = NO_NARROWING,
) -> models.QuerySet[Any]:
    """The query of `directory_pick`, unlimited (the bench runs its SQL)."""
    queryset = directory.items_for(fetched_by)
    if directory.has_active_flag:
        queryset = queryset.filter(is_active=True)
    relations = dict(directory.narrow)
    queryset = queryset.filter(**{f"{relations[param]}_id": value for param, value in narrow.items()
                                  if param in relations})
    if directory.pick_related:
        queryset = queryset.select_related(*directory.pick_related)
    if directory.pick_only:
        queryset = queryset.only(*directory.pick_only)
    queryset = _search(queryset, directory, query)
    key = search_key(query)
    if key:
        queryset = queryset.annotate(
            _exact=Case(When(**{directory.search_field: key}, then=Value(0)), default=Value(1),
                        output_field=IntegerField()),
        ).order_by("_exact", *directory.order_by)
    else:
        queryset = queryset.order_by(*directory.order_by)
    return queryset


def access_directory_item(*, directory: Directory, fetched_by: Any, pk: int) -> models.Model:
    """One item of the directory, or 404."""
    try:
        return directory.items_for(fetched_by).get(pk=pk)  # type: ignore[no-any-return]
    except directory.model.DoesNotExist:  # type: ignore[attr-defined]
        raise Http404 from None


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


def offered_items(model: type[models.Model], kept: Any = None) -> models.QuerySet[Any]:
    """A directory's items a form offers: the active ones, and the one the record already holds (retired since,
    it stays shown and kept)."""
    condition = models.Q(is_active=True)
    if kept is not None:
        condition |= models.Q(pk=kept)
    return model._default_manager.filter(condition)
