from django.db import migrations


def load(apps, schema_editor):
    from kontora.directories.services.settlements import settlements_load

    settlements_load(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("directories", "0002_initial_base"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
