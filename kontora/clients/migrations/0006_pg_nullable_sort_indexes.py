"""PostgreSQL: indexes in the registry's own order for the sorts by status and by curator.

Those keys are nullable and the registry sorts them `ASC NULLS FIRST` (`DESC NULLS LAST` backwards), the
order SQLite always uses. A plain PostgreSQL btree keeps NULLs last, so it cannot serve that order and the
first page by status was a sort of every client (1.26 s at a million; bench/RESULTS.md). SQLite needs
nothing: its indexes already put NULLs first.
"""

from django.db import migrations

INDEXES = {
    "clients_status_seek_nf": "(status_id ASC NULLS FIRST, id)",
    "clients_curator_seek_nf": "(curator_id ASC NULLS FIRST, name_key, id)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON clients_client {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("clients", "0005_card_tabs")]

    operations = [migrations.RunPython(create, drop)]
