# Named client flags (issue 13): the one «Флажок» becomes a flag of the directory; a flagged client gets the first
# of the default flags («Горячий клиент»).
#
# On SQLite a column change may rebuild clients_client (copy, drop, rename), which drops the search triggers on it
# and fails on the views and the contacts' triggers that name it: they are set aside around the change, as they stand, and put
# back after it.

import django.db.models.deletion
from django.db import migrations, models


# The views and triggers that name clients_client: views first (a trigger may read one), dropped in reverse.
_DEPENDENTS = (
    "SELECT type, name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') AND sql LIKE '%clients_client%' "
    "ORDER BY type = 'trigger', rowid"
)
_set_aside: list[str] = []


def triggers_off(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(_DEPENDENTS)
        rows = cursor.fetchall()
    _set_aside[:] = [sql for _kind, _name, sql in rows]
    for kind, name, _sql in reversed(rows):
        schema_editor.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')


def triggers_on(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in _set_aside:
        schema_editor.execute(sql)
    _set_aside.clear()


def carry_over(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    ClientFlag = apps.get_model("directories", "ClientFlag")
    if not Client.objects.filter(flagged=True).exists():
        return
    first = ClientFlag.objects.order_by("order", "name", "id").first()
    if first is None:
        first = ClientFlag.objects.create(name="Горячий клиент", name_key="горячий клиент", colour="red", order=1)
    Client.objects.filter(flagged=True).update(flag=first)


def carry_back(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    Client.objects.filter(flag__isnull=False).update(flagged=True)


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0013_name_core_key'),
        ('directories', '0006_client_flags'),
    ]

    operations = [
        migrations.RunPython(triggers_off, triggers_on),
        migrations.AddField(
            model_name='client',
            name='flag',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='directories.clientflag', verbose_name='flag'),
        ),
        migrations.RunPython(carry_over, carry_back),
        migrations.RemoveField(
            model_name='client',
            name='flagged',
        ),
        migrations.RunPython(triggers_on, triggers_off),
    ]
