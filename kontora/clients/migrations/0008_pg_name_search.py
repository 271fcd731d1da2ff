"""PostgreSQL: client names searched by fragment in a narrow table of their own (Shift+F, the Flexi name filter).

Finding the first match of «трейд» in name order reads every matching row (50,000 at a million clients): the
trigram index gives row addresses, not names. Read from clients_client, whose rows are wide, that took over
100 ms; the narrow copy (id and the two name keys, a third of the size) is read several times faster. A trigger
keeps it, so every way a name changes (services, bulk fills, manual SQL) updates it in the same transaction.
The trigram indexes move from clients_client to it. SQLite has its own answer (migration 0007).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = [
    "CREATE TABLE clients_name_search (id integer PRIMARY KEY, name_key varchar(300) NOT NULL, "
    "full_name_key varchar(500) NOT NULL)",
    "INSERT INTO clients_name_search SELECT id, name_key, full_name_key FROM clients_client",
    "DROP INDEX IF EXISTS clients_name_trgm",
    "DROP INDEX IF EXISTS clients_full_name_trgm",
    "CREATE INDEX clients_name_trgm ON clients_name_search USING gin (name_key gin_trgm_ops)",
    "CREATE INDEX clients_full_name_trgm ON clients_name_search USING gin (full_name_key gin_trgm_ops)",
    """CREATE FUNCTION clients_name_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         -- A bulk fill (kontora demo) copies the names itself in one statement afterwards.
         IF current_setting('kontora.name_search_bulk', true) = 'on' THEN
           RETURN NULL;
         END IF;
         IF TG_OP = 'DELETE' THEN
           DELETE FROM clients_name_search WHERE id = OLD.id;
           RETURN OLD;
         END IF;
         INSERT INTO clients_name_search (id, name_key, full_name_key) VALUES (NEW.id, NEW.name_key, NEW.full_name_key)
         ON CONFLICT (id) DO UPDATE SET name_key = EXCLUDED.name_key, full_name_key = EXCLUDED.full_name_key;
         RETURN NEW;
       END $$""",
    "CREATE TRIGGER clients_name_search_sync AFTER INSERT OR DELETE OR UPDATE OF name_key, full_name_key "
    "ON clients_client FOR EACH ROW EXECUTE FUNCTION clients_name_search_sync()",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS clients_name_search_sync ON clients_client",
    "DROP FUNCTION IF EXISTS clients_name_search_sync()",
    "DROP TABLE IF EXISTS clients_name_search",
    "CREATE INDEX IF NOT EXISTS clients_name_trgm ON clients_client USING gin (name_key gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS clients_full_name_trgm ON clients_client USING gin (full_name_key gin_trgm_ops)",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0007_name_ordered_fts"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
