# The OKTMO import of populated places (issue 13, item 11) finds the places it already has by their code.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('directories', '0007_bank_directory_date'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='settlement',
            index=models.Index(fields=['oktmo'], name='directories_settlement_oktmo'),
        ),
    ]
