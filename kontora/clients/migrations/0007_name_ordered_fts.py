"""SQLite: the name search index numbers its rows in (roughly) name order, so Shift+F reads matches in order.

The FTS5 trigram index hands over matches in rowid order. Keyed by the client id, finding the first match
in name order meant reading and sorting every match (53,000 for «трейд» at a million clients, ~100 ms).
Now a row's FTS rowid is `group * 2^31 + id`, where the group is computed from the first five characters of
the name key and never decreases along the registry's name order (code point order of the key). Shift+F reads the first
matching rowid (an index seek), then sorts only the matches of that one group (kontora.clients.selectors.search).

The rowid is computed in SQL from the name key (the view clients_name_src), so nothing else has to keep
it. PostgreSQL needs none of this: its search walks histogram windows of the name index instead.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

GROUP = 2**31  # ids stay below it; the group code (< 74^5 < 2^32) sits above it, within a signed 64-bit rowid
_RADIX = 74
_PREFIX = 5


def _char(column: str, position: int) -> str:
    return f"unicode(substr({column}, {position}, 1))"


def _rank(c: str) -> str:
    """A character's rank: never decreasing with its code point, one rank per character of the keys' alphabet
    (space, digits, a–z, а–я); other characters share a rank with their neighbours ("lossy"); 0 past the end."""
    return (
        f"(CASE WHEN {c} IS NULL OR {c} < 32 THEN 0 WHEN {c} = 32 THEN 1 WHEN {c} < 48 THEN 2 "
        f"WHEN {c} <= 57 THEN {c} - 45 WHEN {c} < 97 THEN 13 WHEN {c} <= 122 THEN {c} - 83 "
        f"WHEN {c} < 1072 THEN 40 WHEN {c} <= 1103 THEN {c} - 1031 ELSE 73 END)"
    )


def _lossy(c: str) -> str:
    return (f"({c} IS NULL OR {c} < 32 OR ({c} > 32 AND {c} < 48) OR ({c} > 57 AND {c} < 97) "
            f"OR ({c} > 122 AND {c} < 1072) OR {c} > 1103)")


def _code(column: str, position: int) -> str:
    """The positions from `position` on, as a number of base _RADIX. After a lossy character the rest counts as
    zeros: two names tied on a shared rank must not be told apart by what follows it, or the order could break."""
    c = _char(column, position)
    weight = _RADIX ** (_PREFIX - position)
    if position == _PREFIX:
        return f"{_rank(c)}"
    return f"({_rank(c)} * {weight} + CASE WHEN {_lossy(c)} THEN 0 ELSE {_code(column, position + 1)} END)"


def name_seq(table: str) -> str:
    """SQL of the FTS rowid of a row of `table` (a table alias, or new/old in a trigger)."""
    return f"({_code(f'{table}.name_key', 1)} * {GROUP} + {table}.id)"


FORWARD = [
    "DROP TRIGGER IF EXISTS clients_name_fts_ai",
    "DROP TRIGGER IF EXISTS clients_name_fts_ad",
    "DROP TRIGGER IF EXISTS clients_name_fts_au",
    "DROP TABLE IF EXISTS clients_name_fts",
    f"CREATE VIEW clients_name_src AS SELECT {name_seq('c')} AS seq, c.id AS id, c.code AS code, "
    "c.name_key AS name_key, c.full_name_key AS full_name_key FROM clients_client c",  # noqa: S608 — constant SQL
    "CREATE VIRTUAL TABLE clients_name_fts USING fts5("
    "name_key, full_name_key, content='clients_name_src', content_rowid='seq', tokenize='trigram')",
    # In rowid order: FTS5 writes a sorted fill as a few large segments.
    "INSERT INTO clients_name_fts(rowid, name_key, full_name_key) "
    "SELECT seq, name_key, full_name_key FROM clients_name_src ORDER BY seq",
    f"""CREATE TRIGGER clients_name_fts_ai AFTER INSERT ON clients_client BEGIN
         INSERT INTO clients_name_fts(rowid, name_key, full_name_key)
         VALUES ({name_seq('new')}, new.name_key, new.full_name_key);
       END""",  # noqa: S608 — constant SQL
    f"""CREATE TRIGGER clients_name_fts_ad AFTER DELETE ON clients_client BEGIN
         INSERT INTO clients_name_fts(clients_name_fts, rowid, name_key, full_name_key)
         VALUES ('delete', {name_seq('old')}, old.name_key, old.full_name_key);
       END""",  # noqa: S608 — constant SQL
    f"""CREATE TRIGGER clients_name_fts_au AFTER UPDATE OF name_key, full_name_key ON clients_client BEGIN
         INSERT INTO clients_name_fts(clients_name_fts, rowid, name_key, full_name_key)
         VALUES ('delete', {name_seq('old')}, old.name_key, old.full_name_key);
         INSERT INTO clients_name_fts(rowid, name_key, full_name_key)
         VALUES ({name_seq('new')}, new.name_key, new.full_name_key);
       END""",  # noqa: S608 — constant SQL
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS clients_name_fts_ai",
    "DROP TRIGGER IF EXISTS clients_name_fts_ad",
    "DROP TRIGGER IF EXISTS clients_name_fts_au",
    "DROP TABLE IF EXISTS clients_name_fts",
    "DROP VIEW IF EXISTS clients_name_src",
    "CREATE VIRTUAL TABLE clients_name_fts USING fts5("
    "name_key, full_name_key, content='clients_client', content_rowid='id', tokenize='trigram')",
    "INSERT INTO clients_name_fts(clients_name_fts) VALUES ('rebuild')",
    """CREATE TRIGGER clients_name_fts_ai AFTER INSERT ON clients_client BEGIN
         INSERT INTO clients_name_fts(rowid, name_key, full_name_key) VALUES (new.id, new.name_key, new.full_name_key);
       END""",
    """CREATE TRIGGER clients_name_fts_ad AFTER DELETE ON clients_client BEGIN
         INSERT INTO clients_name_fts(clients_name_fts, rowid, name_key, full_name_key)
         VALUES ('delete', old.id, old.name_key, old.full_name_key);
       END""",
    """CREATE TRIGGER clients_name_fts_au AFTER UPDATE OF name_key, full_name_key ON clients_client BEGIN
         INSERT INTO clients_name_fts(clients_name_fts, rowid, name_key, full_name_key)
         VALUES ('delete', old.id, old.name_key, old.full_name_key);
         INSERT INTO clients_name_fts(rowid, name_key, full_name_key) VALUES (new.id, new.name_key, new.full_name_key);
       END""",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0006_pg_nullable_sort_indexes"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
