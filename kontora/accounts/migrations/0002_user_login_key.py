from django.db import migrations, models


def fill_login_key(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.all().only("pk", "login"):
        User.objects.filter(pk=user.pk).update(login_key=user.login.strip().casefold())


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="user", name="accounts_user_login_ci_unique"),
        migrations.AddField(
            model_name="user", name="login_key", field=models.CharField(max_length=64, null=True, editable=False),
        ),
        migrations.RunPython(fill_login_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user", name="login_key",
            field=models.CharField(max_length=64, unique=True, editable=False),
        ),
    ]
