"""An index of clients' next contact dates (TSK-05): the Flexi-filter's "next contact today / overdue / in a period"
reads it instead of every client. Only set dates are indexed (most clients have none). Adding an index does not
make SQLite rebuild clients_client, so the search triggers on it stay."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0016_stage_changes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["next_contact_date", "id"], name="clients_next_contact",
                               condition=models.Q(next_contact_date__isnull=False)),
        ),
    ]
