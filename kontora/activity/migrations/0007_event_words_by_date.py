"""SQLite: the word index of event descriptions numbers its rows in date order, so the events report reads the
newest matches of a period first and stops.

Keyed by the event id, a word common to a third of the events meant listing every match (a million and more at
5,000,000 events) before the report's first page could be sorted by date. Now a row's FTS rowid is
`unix second of created_at * 2^31 + id` (`activity.selectors.events_search.SPAN`): a period is a rowid range and
the newest matches come first (`ORDER BY rowid DESC … LIMIT`), read from the index alone. Event ids stay below
2^31; seconds below 2^32 (the year 2106).

The rowid is computed in SQL from the event's own columns (the view activity_event_words_src), so nothing else has
to keep it, and the triggers index every writer as before (clients/migrations/0007 does the same for names). A
later migration that makes SQLite rebuild activity_event must set the triggers aside and put them back.
PostgreSQL keeps its GIN index (migration 0002).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.db import migrations

SPAN = 2**31
FTS = "activity_event_fts"
OLD: Any = importlib.import_module("kontora.activity.migrations.0002_event_description_search")


def words_seq(table: str) -> str:
    """SQL of the FTS rowid of an event row `table` (a table alias, or new/old in a trigger). The statements go
    through Django's cursor, which reads %s as a parameter: strftime's %s is written %%s."""
    return f"(CAST(strftime('%%s', {table}.created_at) AS INTEGER) * {SPAN} + {table}.id)"


FORWARD = [
    *OLD.SQLITE_BACKWARD,
    f"CREATE VIEW activity_event_words_src AS SELECT {words_seq('e')} AS seq, e.description_key AS description_key "
    "FROM activity_event e",  # noqa: S608 — constant SQL
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(description_key, content='activity_event_words_src',
        content_rowid='seq', tokenize='unicode61 remove_diacritics 0')""",
    # In rowid order: FTS5 writes a sorted fill as a few large segments.
    f"INSERT INTO {FTS}(rowid, description_key) SELECT seq, description_key FROM activity_event_words_src "
    "ORDER BY seq",  # noqa: S608 — constant SQL
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON activity_event BEGIN
         INSERT INTO {FTS}(rowid, description_key) VALUES ({words_seq('new')}, new.description_key);
       END""",  # noqa: S608 — constant SQL
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON activity_event BEGIN
         INSERT INTO {FTS}({FTS}, rowid, description_key) VALUES ('delete', {words_seq('old')}, old.description_key);
       END""",  # noqa: S608 — constant SQL
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF description_key, created_at ON activity_event BEGIN
         INSERT INTO {FTS}({FTS}, rowid, description_key) VALUES ('delete', {words_seq('old')}, old.description_key);
         INSERT INTO {FTS}(rowid, description_key) VALUES ({words_seq('new')}, new.description_key);
       END""",  # noqa: S608 — constant SQL
]

BACKWARD = [
    *OLD.SQLITE_BACKWARD,
    "DROP VIEW IF EXISTS activity_event_words_src",
    *OLD.SQLITE_FORWARD,
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("activity", "0006_planner_index"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
