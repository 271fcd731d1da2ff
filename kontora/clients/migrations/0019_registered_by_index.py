from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("clients", "0018_private_index")]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["created_by", "created_at"], name="clients_registered_by"),
        ),
    ]
