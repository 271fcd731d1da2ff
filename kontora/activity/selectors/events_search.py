"""Word search in event descriptions (HIS-03): the same answer on both databases.

The searched text goes through `core.text.search_key` (casefold, ё → е, punctuation dropped), as the indexed
`Event.description_key` did; each of its words — runs of letters and digits — becomes a prefix term, and every word
must match: «звон клиент» finds «Звонил клиенту». No stemming on either side (migration 0002):

- SQLite: the FTS5 table `activity_event_fts` (unicode61), asked `"звон"* AND "клиент"*`;
- PostgreSQL: the GIN index on to_tsvector('simple', description_key), asked to_tsquery('simple', 'звон':* & …).

The words are quoted in both query languages, so nothing a user types can change the query's syntax; they are
made only of letters and digits anyway.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Expression, F, Q
from django.db.models.expressions import RawSQL

from kontora.core.text import search_key

FTS = "activity_event_fts"
MAX_WORDS = 10  # words of one search (the rest are ignored: ten prefixes narrow enough)
# The tokens both indexes cut text into: letters and digits (the underscore separates words in both).
_WORD = re.compile(r"[^\W_]+")


def search_words(text: str) -> list[str]:
    """The prefix terms of a searched text, in order, without repeats; [] when it holds no word."""
    words: list[str] = []
    for word in _WORD.findall(search_key(text)):
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def fts_query(words: list[str]) -> str:
    """An FTS5 query: every word a quoted prefix, all required."""
    return " AND ".join('"' + word.replace('"', '""') + '"*' for word in words)


def ts_query(words: list[str]) -> str:
    """A PostgreSQL tsquery text: every word a quoted prefix (`'word':*`), all required."""
    return " & ".join("'" + word.replace("\\", "\\\\").replace("'", "''") + "':*" for word in words)


class _WordsMatch(Expression):
    """to_tsvector('simple', <column>) @@ to_tsquery('simple', %s): the very expression the GIN index holds."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: Any, query: str) -> None:
        super().__init__()
        self.column = column
        self.query = query

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.column)
        return (f"to_tsvector('simple'::regconfig, {column}) @@ to_tsquery('simple'::regconfig, %s)",
                (*params, self.query))


def description_matches(text: str, prefix: str = "") -> Q:
    """Events whose description holds every word of `text` as a word's beginning; `prefix` is the path to the event
    from the queried model ("" for events). Q() when the text holds no word (nothing to narrow)."""
    words = search_words(text)
    if not words:
        return Q()
    if connection.vendor == "postgresql":
        return Q(_WordsMatch(F(f"{prefix}description_key"), ts_query(words)))
    # The table name is a constant; the query goes as a parameter.
    found = RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [fts_query(words)])  # noqa: S608, S611
    return Q(**{f"{prefix}pk__in": found})
