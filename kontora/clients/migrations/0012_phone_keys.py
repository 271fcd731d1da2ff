"""Phone keys for the duplicate check (issue 12): one row per number of a client's phones and of its contacts'
phones — its national digits (the last 10) and their last 7, indexed — so "same phone" is an index seek instead
of `LIKE '%…%'` over every client and every contact (1.2 s at a million clients, on every save of a card).

The existing numbers are keyed in plain SQL (services.phones.phone_keys_fill), then the tail index is built.
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def _fill(apps: Any, schema_editor: Any) -> None:
    from kontora.clients.services.phones import phone_keys_fill

    phone_keys_fill(using=schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("clients", "0011_text_condition_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PhoneKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tail", models.CharField(max_length=7)),
                ("number", models.CharField(max_length=10)),
                ("client", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                             to="clients.client")),
                ("contact", models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                              related_name="+", to="clients.contactperson")),
            ],
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop, elidable=True),
        # Built after the fill: one sort of the keys instead of three million inserts at random places.
        migrations.AddIndex(model_name="phonekey", index=models.Index(fields=["tail"], name="clients_phonekey_tail")),
    ]
