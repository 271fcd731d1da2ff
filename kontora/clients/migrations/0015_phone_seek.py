"""The registry sorts by phone (issue 13): the phones' digits get an index ending with id for its keyset pages,
which replaces the plain one (a search by the start of the digits uses the new one as well)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clients", "0014_named_flags")]

    operations = [
        migrations.RemoveIndex(model_name="client", name="clients_phone"),
        migrations.AddIndex(
            model_name="client", index=models.Index(fields=["phone_digits", "id"], name="clients_phone_seek"),
        ),
    ]
