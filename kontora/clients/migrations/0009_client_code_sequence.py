"""Client codes from core.numbering: a sequence on PostgreSQL, a counter row on SQLite, both set above the codes
in use (before, a new code was MAX(code) + 1 and two servers saving at once collided on the unique index)."""

from django.db import migrations

KIND, TABLE = "client", "clients_client"


def forward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(code), 0) FROM {TABLE}")  # noqa: S608
        top = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS kontora_code_{KIND}")
            cursor.execute("SELECT setval(%s::regclass, %s, %s)", [f"kontora_code_{KIND}", max(top, 1), top >= 1])
        else:
            cursor.execute(
                "INSERT INTO core_numbercounter (kind, entity, year, last) VALUES (%s, 0, 0, %s) "
                "ON CONFLICT (kind, entity, year) DO UPDATE SET last = MAX(last, excluded.last)",
                [f"code:{KIND}", top],
            )


def backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(f"DROP SEQUENCE IF EXISTS kontora_code_{KIND}")
        else:
            cursor.execute("DELETE FROM core_numbercounter WHERE kind = %s", [f"code:{KIND}"])


class Migration(migrations.Migration):
    dependencies = [("clients", "0008_pg_name_search"), ("core", "0003_audit_numbering")]
    operations = [migrations.RunPython(forward, backward)]
