"""The BIK directory's date (BankDirectory): a base that imported ED807 files before keeps the day of its latest import
(the file's own date was not recorded then), so its age is shown and warned of from the first page after the upgrade."""

from django.db import migrations, models
from django.utils import timezone


def forward(apps, schema_editor):
    bank = apps.get_model("directories", "Bank")
    audit = apps.get_model("core", "AuditEvent")
    directory = apps.get_model("directories", "BankDirectory")
    if not bank.objects.exists():
        return
    last = audit.objects.filter(event="directories.bank.import").order_by("-at").values_list("at", flat=True).first()
    if last is None:  # banks written without an import (by hand, a restore of odd data): their latest change
        last = bank.objects.order_by("-changed_at").values_list("changed_at", flat=True).first()
    directory.objects.create(pk=1, directory_date=timezone.localtime(last).date(), imported_at=last)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_server_processes"),
        ("directories", "0006_client_flags"),
    ]

    operations = [
        migrations.CreateModel(
            name="BankDirectory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("directory_date", models.DateField(verbose_name="directory date")),
                ("imported_at", models.DateTimeField(verbose_name="imported at")),
            ],
            options={
                "verbose_name": "BIK directory",
                "verbose_name_plural": "BIK directory",
            },
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
