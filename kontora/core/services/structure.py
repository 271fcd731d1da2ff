"""Administration → Enterprise: structure (ORG-02) — departments and their positions.

An item that users refer to is never deleted, only made inactive: it then disappears from the
user card's choices but stays on the cards that already carry it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.core import locks
from kontora.core.audit import audited_create, audited_delete, audited_update
from kontora.core.errors import Refused
from kontora.core.models import Department, Position
from kontora.core.permissions import Actor

DEPARTMENT_FIELDS = ("name", "is_active", "order")
POSITION_FIELDS = ("department", "name", "is_active", "order")


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ValidationError({"name": _("Enter the name.")})
    return cleaned



def department_save(
    *, acting_user: Actor, department_id: int | None, name: str, is_active: bool = True, order: int = 0
) -> Department:
    """Adds a department (`department_id` None) or changes one; names are unique regardless of case."""
    name = _clean_name(name)
    values = {"name": name, "is_active": is_active, "order": order}
    with transaction.atomic():
        others = Department.objects.exclude(pk=department_id) if department_id else Department.objects.all()
        if any(other.casefold() == name.casefold() for other in others.values_list("name", flat=True)):
            raise ValidationError({"name": _("A department with this name already exists.")})
        if department_id is None:
            department = audited_create(Department, values, actor=acting_user, event="core.department",
                                        fields=DEPARTMENT_FIELDS, summary=_("Department added"))
        else:
            department = locks.department(department_id)
            audited_update(department, actor=acting_user, event="core.department", summary=_("Department changed"),
                           data=values, fields=DEPARTMENT_FIELDS)
    return department


def department_delete(*, acting_user: Actor, department_id: int) -> None:
    """Deletes an unused department; one with positions or users is refused (Refused): make it inactive."""
    with transaction.atomic():
        department = locks.department(department_id, key_update=True)
        positions = department.positions.count()
        users = department.users.count()  # type: ignore[attr-defined]
        if positions or users:
            raise Refused(
                _("The department is in use (positions: %(positions)d, users: %(users)d) and cannot be deleted; "
                  "make it inactive instead.") % {"positions": positions, "users": users}
            )
        audited_delete(department, actor=acting_user, event="core.department", summary=_("Department deleted"),
                       fields=["name"])


def position_save(
    *,
    acting_user: Actor,
    position_id: int | None,
    department_id: int,
    name: str,
    is_active: bool = True,
    order: int = 0,
) -> Position:
    """Adds a position (`position_id` None) or changes one; names are unique within the department regardless of
    case, and a position users hold stays in its department."""
    name = _clean_name(name)
    with transaction.atomic():
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            raise ValidationError({"department": _("Choose the department.")})
        others = Position.objects.filter(department=department)
        if position_id:
            others = others.exclude(pk=position_id)
        if any(other.casefold() == name.casefold() for other in others.values_list("name", flat=True)):
            raise ValidationError({"name": _("The department already has a position with this name.")})
        values = {"department": department, "name": name, "is_active": is_active, "order": order}
        if position_id is None:
            position = audited_create(Position, values, actor=acting_user, event="core.position",
                                      fields=POSITION_FIELDS, summary=_("Position added"))
        else:
            position = locks.position(position_id)
            if position.department_id != department.pk and position.users.exists():  # type: ignore[attr-defined]
                raise ValidationError({"department": _(
                    "Users hold this position: it cannot move to another department."
                )})
            audited_update(position, actor=acting_user, event="core.position", summary=_("Position changed"),
                           data=values, fields=POSITION_FIELDS)
    return position


def position_delete(*, acting_user: Actor, position_id: int) -> None:
    """Deletes a position nobody holds; a held one is refused (Refused): make it inactive."""
    with transaction.atomic():
        position = locks.position(position_id, key_update=True)
        users = position.users.count()  # type: ignore[attr-defined]
        if users:
            raise Refused(
                _("The position is held by users (%(users)d) and cannot be deleted; make it inactive instead.")
                % {"users": users}
            )
        audited_delete(position, actor=acting_user, event="core.position", summary=_("Position deleted"),
                       fields=["name"])
