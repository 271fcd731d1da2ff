import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_job_leases_periodic_claims'),
    ]

    operations = [
        migrations.CreateModel(
            name='ServerProcess',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(max_length=16)),
                ('host', models.CharField(max_length=255)),
                ('pid', models.PositiveIntegerField()),
                ('port', models.PositiveIntegerField(blank=True, null=True)),
                ('home', models.CharField(max_length=1000)),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('seen_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': 'running server',
                'verbose_name_plural': 'running servers',
            },
        ),
    ]
