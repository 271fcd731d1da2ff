"""Private clients by curator (few of them): a count over every employee's tasks less those about other curators'
private clients finds them along this index instead of checking each task's client."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0017_next_contact_index'),
        ('directories', '0009_event_results'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='client',
            index=models.Index(condition=models.Q(('is_private', True)), fields=['curator', 'id'], name='clients_private'),
        ),
    ]
