"""Word tails of the settlements and the nomenclature (issue 13, item 9): pickers and the nomenclature search find a
name by the start of any of its words («новгород», «svetocopy», «a4»), through an index range over `tail`.

The tails are written in batches before their index is built: one sort of the keys instead of inserts at random
places (100,000 items are about 300,000 tails).
"""

from __future__ import annotations

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def _fill(apps: Any, schema_editor: Any) -> None:
    from kontora.directories.services.words import TABLES, words_fill

    for table in TABLES:
        words_fill(apps, table)


class Migration(migrations.Migration):

    dependencies = [
        ("directories", "0004_nomenclature_code_sequence"),
    ]

    operations = [
        migrations.CreateModel(
            name="SettlementWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tail", models.CharField(max_length=64)),
                ("settlement", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                 to="directories.settlement")),
            ],
        ),
        migrations.CreateModel(
            name="NomenclatureWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("tail", models.CharField(max_length=64)),
                ("item", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                           to="directories.nomenclatureitem")),
            ],
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(model_name="settlementword",
                            index=models.Index(fields=["tail", "settlement"], name="directories_settlement_tail")),
        migrations.AddIndex(model_name="nomenclatureword",
                            index=models.Index(fields=["tail", "item"], name="directories_item_tail")),
    ]
