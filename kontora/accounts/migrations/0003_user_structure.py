"""User.department and User.position: free text → references to the enterprise structure (ORG-02).

Each distinct department text becomes a Department; each position text becomes a Position under the
user's department, or under «Без подразделения» (which then becomes the user's department) when there was none. Texts differing only in letter
case or surrounding spaces are one item.
"""

from collections.abc import Iterable
from typing import Any

import django.db.models.deletion
from django.db import migrations, models

NO_DEPARTMENT = "Без подразделения"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def convert_text(
    rows: Iterable[tuple[int, str, str]], department_model: Any, position_model: Any
) -> dict[int, tuple[int | None, int | None]]:
    """Creates the structure items for (user id, department text, position text) rows.

    Returns user id → (department id, position id); ids are None where the text was empty (a position
    without a department text gets «Без подразделения» as its department).
    """
    departments: dict[str, Any] = {}
    positions: dict[tuple[int, str], Any] = {}

    def department_for(name: str) -> Any:
        key = _key(name)
        if key not in departments:
            departments[key] = department_model.objects.create(name=" ".join(name.split()))
        return departments[key]

    result: dict[int, tuple[int | None, int | None]] = {}
    for user_id, department_text, position_text in rows:
        department_text, position_text = (department_text or "").strip(), (position_text or "").strip()
        department = department_for(department_text) if department_text else None
        position = None
        if position_text:
            # A position always belongs to the user's department, so a lone position brings its department along.
            department = owner = department or department_for(NO_DEPARTMENT)
            key = (owner.pk, _key(position_text))
            if key not in positions:
                positions[key] = position_model.objects.create(
                    department=owner, name=" ".join(position_text.split())
                )
            position = positions[key]
        result[user_id] = (department.pk if department else None, position.pk if position else None)
    return result


def forwards(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")
    rows = [
        (pk, department, position)
        for pk, department, position in User.objects.order_by("pk").values_list("pk", "department", "position")
        if (department or "").strip() or (position or "").strip()
    ]
    mapping = convert_text(rows, apps.get_model("core", "Department"), apps.get_model("core", "Position"))
    for user_id, (department_id, position_id) in mapping.items():
        User.objects.filter(pk=user_id).update(department_ref_id=department_id, position_ref_id=position_id)


def backwards(apps: Any, schema_editor: Any) -> None:
    User = apps.get_model("accounts", "User")
    for user in User.objects.select_related("department_ref", "position_ref"):
        User.objects.filter(pk=user.pk).update(
            department=user.department_ref.name if user.department_ref else "",
            position=user.position_ref.name if user.position_ref else "",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_login_key"),
        ("core", "0002_department_position"),
    ]

    operations = [
        migrations.AddField(
            model_name="user", name="department_ref",
            field=models.ForeignKey(
                null=True, blank=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="core.department",
            ),
        ),
        migrations.AddField(
            model_name="user", name="position_ref",
            field=models.ForeignKey(
                null=True, blank=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="core.position",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="user", name="department"),
        migrations.RemoveField(model_name="user", name="position"),
        migrations.RenameField(model_name="user", old_name="department_ref", new_name="department"),
        migrations.RenameField(model_name="user", old_name="position_ref", new_name="position"),
        migrations.AlterField(
            model_name="user", name="department",
            field=models.ForeignKey(
                null=True, blank=True, on_delete=django.db.models.deletion.PROTECT, related_name="users",
                to="core.department", verbose_name="department",
            ),
        ),
        migrations.AlterField(
            model_name="user", name="position",
            field=models.ForeignKey(
                null=True, blank=True, on_delete=django.db.models.deletion.PROTECT, related_name="users",
                to="core.position", verbose_name="position",
            ),
        ),
    ]
