"""The card's change history moves into the audit (core.AuditEvent): one table for every write, so the history
is a read of the rows about the client (clients.selectors.history). Existing ClientChange rows are copied with
their moment, author, action and details, then the table goes.

One INSERT … SELECT: a base with millions of history rows is copied by the database, not through Python.
"""

from django.db import migrations

EVENT = "clients.history"  # rows written before the audit existed

FORWARD = f"""
INSERT INTO core_auditevent (at, actor_id, event, summary, target_type, target_id, client_id, changes, extra)
SELECT at, user_id, '{EVENT}', action, 'clients.client', client_id, client_id, details, '{{}}'
FROM clients_clientchange ORDER BY id
"""  # noqa: S608

# Back: the rows about existing clients return to the history table (the audit rows stay, except the copied ones).
BACKWARD = f"""
INSERT INTO clients_clientchange (client_id, at, user_id, action, details)
SELECT client_id, at, actor_id, summary, changes FROM core_auditevent
WHERE client_id IN (SELECT id FROM clients_client) ORDER BY at, id;
DELETE FROM core_auditevent WHERE event = '{EVENT}'
"""  # noqa: S608


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FORWARD)


def backward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for statement in BACKWARD.split(";"):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("clients", "0009_client_code_sequence"), ("core", "0003_audit_numbering")]
    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ClientChange"),
    ]
