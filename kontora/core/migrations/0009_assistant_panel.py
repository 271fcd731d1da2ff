"""The Assistant panel's shown or hidden state, kept per user (issue 13 item 13)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0008_server_processes")]

    operations = [
        migrations.AddField(
            model_name="userparameters",
            name="assistant_open",
            field=models.BooleanField(default=True, verbose_name="Show the Assistant panel"),
        ),
    ]
