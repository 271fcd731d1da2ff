"""The office calendar pre-filled with the Russian production calendar of 2026 (core/data/calendar.py); a date the
base already holds is left as it is."""

from django.db import migrations


def load(apps, schema_editor):
    from kontora.core.data.calendar import OFFICE_DAYS

    office_day = apps.get_model("core", "OfficeDay")
    for date, worked, note in OFFICE_DAYS[2026]:
        office_day.objects.get_or_create(date=date, defaults={"is_working": worked, "note": note})


def unload(apps, schema_editor):
    from kontora.core.data.calendar import OFFICE_DAYS

    office_day = apps.get_model("core", "OfficeDay")
    for date, worked, note in OFFICE_DAYS[2026]:
        office_day.objects.filter(date=date, is_working=worked, note=note).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0010_office_clock"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
