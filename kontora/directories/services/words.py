"""Word tails of the large directories (issue 13, item 9): a place or a nomenclature item is found by the start of
any word of its name (and of an item's article), folded like every `*_key`, through an index range over
`<Model>Word.tail` (core.text.word_tails). Every write of a name keeps them here; a migration or a bulk load
fills them in batches (`words_fill`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from kontora.core.text import word_tails

BATCH = 2_000


@dataclass(frozen=True)
class WordTable:
    owner: str  # "app_label.Model" of the searched rows
    word: str  # "app_label.Model" of their word tails
    link: str  # the word model's foreign key to the owner
    keys: tuple[str, ...]  # the owner's key columns whose words are indexed


SETTLEMENTS = WordTable("directories.Settlement", "directories.SettlementWord", "settlement", ("name_key",))
NOMENCLATURE = WordTable("directories.NomenclatureItem", "directories.NomenclatureWord", "item",
                         ("name_key", "article_key"))
TABLES = (SETTLEMENTS, NOMENCLATURE)


def _table_of(model: type[models.Model]) -> WordTable | None:
    return next((t for t in TABLES if t.owner == model._meta.label), None)


def words_keep(item: models.Model) -> None:
    """Rewrite the word tails of a saved row whose model has a word table (others: nothing to do)."""
    table = _table_of(type(item))
    if table is None:
        return
    word_model = apps.get_model(table.word)
    word_model._default_manager.filter(**{f"{table.link}_id": item.pk}).delete()
    tails = word_tails(*(str(getattr(item, key) or "") for key in table.keys))
    word_model._default_manager.bulk_create([word_model(**{f"{table.link}_id": item.pk, "tail": t}) for t in tails])


def words_fill(registry: Any, table: WordTable, *, from_id: int = 0) -> int:
    """Word tails for every row of the owner from id `from_id` on, in batches; `registry` is the app registry to
    take the models from (a migration's historical one, or django.apps.apps). Returns the tails written."""
    owner = registry.get_model(table.owner)
    word_model = registry.get_model(table.word)
    written = 0
    last = from_id - 1
    while True:
        rows = list(owner._default_manager.filter(pk__gt=last).order_by("pk").values_list("pk", *table.keys)[:BATCH])
        if not rows:
            return written
        last = rows[-1][0]
        words = [word_model(**{f"{table.link}_id": row[0], "tail": tail})
                 for row in rows for tail in word_tails(*(key or "" for key in row[1:]))]
        word_model._default_manager.bulk_create(words, batch_size=BATCH)
        written += len(words)


def words_rewrite(table: WordTable, pks: list[int]) -> None:
    """The word tails of these rows written anew (a bulk load created or renamed them): three statements, whatever
    their number."""
    if not pks:
        return
    owner, word_model = apps.get_model(table.owner), apps.get_model(table.word)
    word_model._default_manager.filter(**{f"{table.link}_id__in": pks}).delete()
    rows = owner._default_manager.filter(pk__in=pks).values_list("pk", *table.keys)
    word_model._default_manager.bulk_create(
        [word_model(**{f"{table.link}_id": row[0], "tail": tail}) for row in rows
         for tail in word_tails(*(key or "" for key in row[1:]))], batch_size=BATCH)
