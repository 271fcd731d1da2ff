# Named client flags (issue 13): the directory and the manual's default flags.

from django.db import migrations, models


def load(apps, schema_editor):
    from kontora.directories.services.initial import client_flags_load

    client_flags_load(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('directories', '0005_word_tails'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClientFlag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('name_key', models.CharField(db_index=True, editable=False, max_length=200)),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('order', models.PositiveIntegerField(default=0, verbose_name='order')),
                ('changed_at', models.DateTimeField(auto_now=True)),
                ('colour', models.CharField(choices=[('red', 'red'), ('orange', 'orange'), ('yellow', 'yellow'), ('green', 'green'), ('blue', 'blue'), ('purple', 'purple'), ('grey', 'grey')], default='red', max_length=10, verbose_name='colour')),
            ],
            options={
                'verbose_name': 'client flag',
                'verbose_name_plural': 'client flags',
                'ordering': ['order', 'name', 'id'],
                'abstract': False,
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
