"""PostgreSQL: the words of an event's description as a stored column, indexed by GIN.

The GIN index over the expression to_tsvector('simple', description_key) (migration 0002) left two costs at
5,000,000 events: a plan that walks events by date re-parses each description to test it (seconds for a rare
word over a year), and the planner had no statistics of the words, so it could not tell a rare word from a
common one and chose such plans. A generated column keeps the parsed words once (ANALYZE gathers their
frequencies), and the index is on it. The report asks `description_words @@ to_tsquery('simple', …)`
(`activity.selectors.events_search`). SQLite has its FTS5 table (migrations 0002 and 0007).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = [
    "ALTER TABLE activity_event ADD COLUMN description_words tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, description_key)) STORED",
    "DROP INDEX IF EXISTS activity_event_words",
    "CREATE INDEX activity_event_words ON activity_event USING gin (description_words)",
    "ANALYZE activity_event",
]
BACKWARD = [
    "DROP INDEX IF EXISTS activity_event_words",
    "ALTER TABLE activity_event DROP COLUMN IF EXISTS description_words",
    "CREATE INDEX activity_event_words ON activity_event USING gin (to_tsvector('simple'::regconfig, description_key))",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("activity", "0007_event_words_by_date"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
