"""Word search in event descriptions (HIS-03): the same answer on both databases.

The searched text goes through `core.text.search_key` (casefold, ё → е, punctuation dropped), as the indexed
`Event.description_key` did; each of its words — runs of letters and digits — becomes a prefix term, and every word
must match: «звон клиент» finds «Звонил клиенту». No stemming on either side (migration 0002):

- SQLite: the FTS5 table `activity_event_fts` (unicode61), asked `"звон"* AND "клиент"*`; its rowids run in date
  order (migration 0007: created_at's second * SPAN + id), so `newest_matches` reads a period's newest matches first;
- PostgreSQL: the GIN index on the stored words to_tsvector('simple', description_key) (migration 0008), asked
  to_tsquery('simple', 'звон':* & …).

The words are quoted in both query languages, so nothing a user types can change the query's syntax; they are
made only of letters and digits anyway.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Expression, F, Q
from django.db.models.expressions import RawSQL

from kontora.core.text import search_key

FTS = "activity_event_fts"
SPAN = 2**31  # SQLite: an event's FTS rowid = the unix second of its created_at * SPAN + its id (migration 0007)
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
    """<table>.description_words @@ to_tsquery('simple', %s), `column` being that table's description_key: the
    stored words (migration 0008) the GIN index holds, which the model does not declare."""

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
        key = connection.ops.quote_name("description_key")
        assert column.endswith(key), column
        words = column[: -len(key)] + connection.ops.quote_name("description_words")
        return f"{words} @@ to_tsquery('simple'::regconfig, %s)", (*params, self.query)


def description_matches(text: str, prefix: str = "") -> Q:
    """Events whose description holds every word of `text` as a word's beginning; `prefix` is the path to the event
    from the queried model ("" for events). Q() when the text holds no word (nothing to narrow)."""
    words = search_words(text)
    if not words:
        return Q()
    if connection.vendor == "postgresql":
        return Q(_WordsMatch(F(f"{prefix}description_key"), ts_query(words)))
    return Q(**{f"{prefix}pk__in": newest_matches(words)})


def _second(moment: datetime.datetime) -> int:
    return math.floor(moment.timestamp())


def newest_matches(words: list[str], *, start: datetime.datetime | None = None,
                   end: datetime.datetime | None = None, limit: int | None = None) -> RawSQL:
    """SQLite: the ids of the events whose description holds every word, created from `start` up to `end` — read
    from the FTS index alone, newest first, at most `limit` of them (all without it). Its rowid range is the
    period widened to whole seconds: a superset, which the query it is used in narrows by created_at itself."""
    conditions: list[str] = [f"{FTS} MATCH %s"]
    params: list[Any] = [fts_query(words)]
    if start is not None:
        conditions.append("rowid >= %s")
        params.append(_second(start) * SPAN)
    if end is not None:
        conditions.append("rowid < %s")
        params.append((_second(end) + 1) * SPAN)
    tail = "" if limit is None else f" ORDER BY rowid DESC LIMIT {int(limit)}"
    # The table name and the numbers are constants; the query and the bounds go as parameters.
    return RawSQL(f"SELECT rowid & {SPAN - 1} FROM {FTS} WHERE {' AND '.join(conditions)}{tail}",  # noqa: S608, S611
                  params)


@contextmanager
def planned_with(**settings: str) -> Iterator[None]:
    """PostgreSQL: the queries inside are planned with these settings (enable_seqscan="off", work_mem="32MB", …),
    for a caller who knows which plan reads least where the planner cannot tell. They are the transaction's (a
    savepoint's inside another) and are put back on leaving; elsewhere nothing changes."""
    if connection.vendor != "postgresql":
        yield
        return
    names, values = list(settings), list(settings.values())
    with transaction.atomic():
        with connection.cursor() as db:
            db.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
            before = db.fetchone()
            db.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
                       [value for pair in zip(names, values, strict=True) for value in pair])
        yield
        with connection.cursor() as db:
            db.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
                       [value for pair in zip(names, before, strict=True) for value in pair])


def words_share(words: list[str]) -> float | None:
    """PostgreSQL: the share of events whose description holds every word, by ANALYZE's statistics of the stored
    words (their most common lexemes and frequencies): a word's share is the sum over the common lexemes it
    begins, and the words count as independent. A word that begins none of them is rarer than all of them and
    counts as none: its matches are few enough to read from the GIN index. None without statistics. (The
    planner's own estimate rates every prefix alike, 2 %; hence this reads the statistics itself.)"""
    with connection.cursor() as db:
        db.execute("SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                   "WHERE tablename = 'activity_event' AND attname = 'description_words'")
        row = db.fetchone()
    if row is None or not row[0]:
        return None
    lexemes, frequencies = row
    share = 1.0
    for word in words:  # (after the lexemes' own frequencies come their minimum, maximum and nulls': not zipped)
        share *= sum(f for lexeme, f in zip(lexemes, frequencies, strict=False) if lexeme.startswith(word))
    return share
