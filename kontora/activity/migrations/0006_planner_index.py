"""The two-week planner's index (PLN-01): open tasks by assignee and start, with the state, author and client its
query and access check read, so counting a fortnight of fifty users' load reads this index and no task row."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activity', '0005_cleanup_schedule'),
        ('clients', '0017_next_contact_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='task',
            index=models.Index(condition=models.Q(('state', 'closed'), _negated=True), fields=['assignee', 'starts_at', 'state', 'author', 'client'], name='activity_task_open_plan'),
        ),
    ]
