from django.db import migrations


def load(apps, schema_editor):
    from kontora.directories.services.initial import initial_base_load

    initial_base_load(apps)


class Migration(migrations.Migration):

    dependencies = [
        ("directories", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
