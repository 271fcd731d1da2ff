"""Fragment-search indexes for the extended search (REG-08).

SQLite: FTS5 `trigram` tables (SQLite >= 3.34) kept in sync by triggers, so every writer — services, the
`kontora demo` raw executemany, a manual SQL fix — updates them. PostgreSQL: pg_trgm GIN indexes that serve
`LIKE '%fragment%'`; CREATE EXTENSION needs a database user allowed to create it (or an administrator who
pre-creates it with `CREATE EXTENSION pg_trgm` in the Kontora database).
"""

from typing import Any

from django.db import migrations

# The per-client text of all its phone digits: the client's phones and fax and every contact's phones.
# Parts are joined with a space, so a digit fragment never matches across two numbers.
_PHONES_OF = (
    "SELECT c.id, c.phone_digits || ' ' || c.fax_digits || ' ' || "
    "COALESCE((SELECT group_concat(p.phones_digits, ' ') FROM clients_contactperson p WHERE p.client_id = c.id), '') "
    "FROM clients_client c"
)

SQLITE_FORWARD = [
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
    "CREATE VIRTUAL TABLE clients_phone_fts USING fts5(digits, tokenize='trigram')",
    f"INSERT INTO clients_phone_fts(rowid, digits) {_PHONES_OF}",
    f"""CREATE TRIGGER clients_phone_fts_ai AFTER INSERT ON clients_client BEGIN
         INSERT INTO clients_phone_fts(rowid, digits) {_PHONES_OF} WHERE c.id = new.id;
       END""",
    """CREATE TRIGGER clients_phone_fts_ad AFTER DELETE ON clients_client BEGIN
         DELETE FROM clients_phone_fts WHERE rowid = old.id;
       END""",
    f"""CREATE TRIGGER clients_phone_fts_au AFTER UPDATE OF phone_digits, fax_digits ON clients_client BEGIN
         DELETE FROM clients_phone_fts WHERE rowid = old.id;
         INSERT INTO clients_phone_fts(rowid, digits) {_PHONES_OF} WHERE c.id = new.id;
       END""",  # noqa: S608 — only the constant _PHONES_OF is put in
    f"""CREATE TRIGGER clients_phone_fts_cp_ai AFTER INSERT ON clients_contactperson BEGIN
         DELETE FROM clients_phone_fts WHERE rowid = new.client_id;
         INSERT INTO clients_phone_fts(rowid, digits) {_PHONES_OF} WHERE c.id = new.client_id;
       END""",  # noqa: S608 — only the constant _PHONES_OF is put in
    f"""CREATE TRIGGER clients_phone_fts_cp_ad AFTER DELETE ON clients_contactperson BEGIN
         DELETE FROM clients_phone_fts WHERE rowid = old.client_id;
         INSERT INTO clients_phone_fts(rowid, digits) {_PHONES_OF} WHERE c.id = old.client_id;
       END""",  # noqa: S608 — only the constant _PHONES_OF is put in
    f"""CREATE TRIGGER clients_phone_fts_cp_au AFTER UPDATE OF phones_digits, client_id ON clients_contactperson BEGIN
         DELETE FROM clients_phone_fts WHERE rowid IN (old.client_id, new.client_id);
         INSERT INTO clients_phone_fts(rowid, digits) {_PHONES_OF} WHERE c.id IN (old.client_id, new.client_id);
       END""",  # noqa: S608 — only the constant _PHONES_OF is put in
]

SQLITE_BACKWARD = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in (
        "clients_name_fts_ai", "clients_name_fts_ad", "clients_name_fts_au",
        "clients_phone_fts_ai", "clients_phone_fts_ad", "clients_phone_fts_au",
        "clients_phone_fts_cp_ai", "clients_phone_fts_cp_ad", "clients_phone_fts_cp_au",
    )),
    "DROP TABLE IF EXISTS clients_name_fts",
    "DROP TABLE IF EXISTS clients_phone_fts",
]

_PG_INDEXES = [
    ("clients_name_trgm", "clients_client", "name_key"),
    ("clients_full_name_trgm", "clients_client", "full_name_key"),
    ("clients_phone_trgm", "clients_client", "phone_digits"),
    ("clients_fax_trgm", "clients_client", "fax_digits"),
    ("clients_contact_phones_trgm", "clients_contactperson", "phones_digits"),
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
      for name, table, column in _PG_INDEXES),
]

# The extension stays: other objects of the database may use it.
POSTGRES_BACKWARD = [f"DROP INDEX IF EXISTS {name}" for name, _table, _column in _PG_INDEXES]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0003_files"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
