"""Indexes for the Flexi-filter's text conditions on the address and contacts' names (issue 11, F5).

"Address contains …" and "a contact's name contains …" compare by a case-insensitive regular expression (ё and е
alike, punctuation between words alike: `flexi.selectors.conditions`). On SQLite that expression is Python's `re`,
called for every row: 200 such conditions took 8 s on 2,000 clients. Now an index finds the candidates first and
the expression only confirms them, so the result is the same as before:

- SQLite: FTS5 trigram tables over the raw text with ё written as е (FTS5 folds the case of Cyrillic itself), kept
  by triggers; every word of the typed text of three characters or more must be in a candidate.
- PostgreSQL: pg_trgm GIN indexes on the columns themselves, which serve `~*` directly (and recheck it).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _fold(value: str) -> str:
    return f"replace(replace({value}, 'ё', 'е'), 'Ё', 'Е')"


def _fts(table: str, source: str, column: str) -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5({column}, tokenize='trigram')",
        f"INSERT INTO {table}(rowid, {column}) SELECT id, {_fold(column)} FROM {source}",  # noqa: S608 — constants
        f"""CREATE TRIGGER {table}_ai AFTER INSERT ON {source} BEGIN
             INSERT INTO {table}(rowid, {column}) VALUES (new.id, {_fold(f'new.{column}')});
           END""",
        f"""CREATE TRIGGER {table}_ad AFTER DELETE ON {source} BEGIN
             DELETE FROM {table} WHERE rowid = old.id;
           END""",
        f"""CREATE TRIGGER {table}_au AFTER UPDATE OF {column} ON {source} BEGIN
             DELETE FROM {table} WHERE rowid = old.id;
             INSERT INTO {table}(rowid, {column}) VALUES (new.id, {_fold(f'new.{column}')});
           END""",
    ]


def _fts_drop(table: str) -> list[str]:
    return [*(f"DROP TRIGGER IF EXISTS {table}_{suffix}" for suffix in ("ai", "ad", "au")),
            f"DROP TABLE IF EXISTS {table}"]


SQLITE_FORWARD = [
    *_fts("clients_address_fts", "clients_client", "address"),
    *_fts("clients_contact_name_fts", "clients_contactperson", "full_name"),
]
SQLITE_BACKWARD = [*_fts_drop("clients_address_fts"), *_fts_drop("clients_contact_name_fts")]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS clients_address_trgm ON clients_client USING gin (address gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS clients_contact_name_trgm ON clients_contactperson USING gin (full_name gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS clients_address_trgm", "DROP INDEX IF EXISTS clients_contact_name_trgm"]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0010_history_in_audit"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
