"""Word search in event descriptions (HIS-03, the events report), over `Event.description_key` (the description's
search form, kept by the services), and an index of open tasks per client (the Flexi-filter's "has active / overdue
tasks").

- SQLite: an external-content FTS5 table over activity_event.description_key (the text is stored once, in the
  events table), `unicode61 remove_diacritics 0` (й stays й; the key is already casefolded with ё → е), kept in step
  by triggers, so every writer — services, the demo fill, an import — is indexed.
- PostgreSQL: a GIN index on to_tsvector('simple', description_key): no stemming, no stop words.

Both are asked the same way (`activity.selectors.events_search`): every word a prefix, all words required.

A later migration that makes SQLite rebuild activity_event (most column changes do: copy, drop, rename) drops these
triggers with the old table; it must set them aside and put them back, as clients/migrations/0014 does.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models import Q

FTS = "activity_event_fts"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(description_key, content='activity_event', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON activity_event BEGIN
         INSERT INTO {FTS}(rowid, description_key) VALUES (new.id, new.description_key);
       END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON activity_event BEGIN
         INSERT INTO {FTS}({FTS}, rowid, description_key) VALUES ('delete', old.id, old.description_key);
       END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF description_key ON activity_event BEGIN
         INSERT INTO {FTS}({FTS}, rowid, description_key) VALUES ('delete', old.id, old.description_key);
         INSERT INTO {FTS}(rowid, description_key) VALUES (new.id, new.description_key);
       END""",
]
SQLITE_BACKWARD = [*(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}" for suffix in ("ai", "ad", "au")),
                   f"DROP TABLE IF EXISTS {FTS}"]

POSTGRES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS activity_event_words ON activity_event "
    "USING gin (to_tsvector('simple'::regconfig, description_key))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS activity_event_words"]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("activity", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        # Open tasks of a client, by due time: "has active tasks" and "has overdue tasks" read only this small index.
        migrations.AddIndex(
            model_name="task",
            index=models.Index(fields=["client", "due_at"], name="activity_task_open", condition=~Q(state="closed")),
        ),
    ]
