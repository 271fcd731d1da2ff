"""Matching by the start of any word (issue 13, item 9): the conditions pickers and searches use.

The large directories (places, nomenclature) read their word tails' index (directories.services.words); the small
ones (a few hundred rows at most) compare their name key with the typed key at its start and after each space.
"""

from __future__ import annotations

from django.db.models import Q

from kontora.core.text import prefix_bounds, tail_bounds
from kontora.directories.models import NomenclatureWord, SettlementWord


def key_words_q(field: str, key: str) -> Q:
    """Rows whose `field` (a *_key column) starts with `key` or has a word starting with it: the range is indexed,
    the word match a scan — for small tables."""
    low, high = prefix_bounds(key)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high}) | Q(**{f"{field}__contains": f" {key}"})


def settlement_words_q(key: str) -> Q:
    """Places whose name starts with `key` or has a word starting with it (both index ranges)."""
    low, high = prefix_bounds(key)
    tail_low, tail_high = tail_bounds(key)
    tails = SettlementWord.objects.filter(tail__gte=tail_low, tail__lt=tail_high).values("settlement_id")
    return Q(name_key__gte=low, name_key__lt=high) | Q(pk__in=tails)


def item_words_q(key: str) -> Q:
    """Nomenclature items whose name or article starts with `key` or has a word starting with it (index ranges)."""
    low, high = prefix_bounds(key)
    tail_low, tail_high = tail_bounds(key)
    tails = NomenclatureWord.objects.filter(tail__gte=tail_low, tail__lt=tail_high).values("item_id")
    return (Q(article_key__gte=low, article_key__lt=high) | Q(name_key__gte=low, name_key__lt=high)
            | Q(pk__in=tails))
