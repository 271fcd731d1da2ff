"""The meaningful part of a client's name, keyed and indexed (issue 13, item 8): «ООО «Юпитер»» is found by Ctrl+F
and the clients picker as «Юпитер» too.

The column is added in plain SQL with a constant default: on SQLite Django would rebuild clients_client for a
NOT NULL column, dropping the search triggers of migrations 0004/0007 with the old table. The existing names are
keyed in batches (the legal forms are a Python list, kontora.core.text.name_core), then the index is built.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

BATCH = 5_000


def _fill(apps: Any, schema_editor: Any) -> None:
    from kontora.core.text import name_core

    connection = schema_editor.connection
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT id, name_key FROM clients_client WHERE id > %s ORDER BY id LIMIT %s", [last, BATCH])
            rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            keyed = [(pk, core) for pk, key in rows if (core := name_core(key))]
            if connection.vendor == "postgresql":
                # One statement a batch: a million single-row UPDATEs cost minutes of round trips.
                cursor.execute(
                    "UPDATE clients_client c SET name_core_key = v.core "
                    "FROM unnest(%s::bigint[], %s::text[]) AS v(id, core) WHERE c.id = v.id",
                    [[pk for pk, _core in keyed], [core for _pk, core in keyed]],
                )
            else:
                cursor.executemany("UPDATE clients_client SET name_core_key = %s WHERE id = %s",
                                   [(core, pk) for pk, core in keyed])


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0012_phone_keys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(
                "ALTER TABLE clients_client ADD COLUMN name_core_key varchar(300) NOT NULL DEFAULT ''",
                "ALTER TABLE clients_client DROP COLUMN name_core_key",
            )],
            state_operations=[migrations.AddField(
                model_name="client", name="name_core_key",
                field=models.CharField(default="", editable=False, max_length=300),
            )],
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["name_core_key", "name_key", "id"], name="clients_name_core_seek"),
        ),
    ]
