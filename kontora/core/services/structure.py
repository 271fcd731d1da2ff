"""Administration → Enterprise: structure (ORG-02) — departments and their positions.

An item that users refer to is never deleted, only made inactive: it then disappears from the
user card's choices but stays on the cards that already carry it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.core.models import Department, Position

audit = logging.getLogger("kontora.audit")


def _clean_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ValidationError({"name": _("Enter the name.")})
    return cleaned


def department_save(
    *, acting_user: Any, department_id: int | None, name: str, is_active: bool = True, order: int = 0
) -> Department:
    name = _clean_name(name)
    with transaction.atomic():
        others = Department.objects.exclude(pk=department_id) if department_id else Department.objects.all()
        if any(other.casefold() == name.casefold() for other in others.values_list("name", flat=True)):
            raise ValidationError({"name": _("A department with this name already exists.")})
        if department_id is None:
            department = Department.objects.create(name=name, is_active=is_active, order=order)
        else:
            department = Department.objects.select_for_update().get(pk=department_id)
            department.name, department.is_active, department.order = name, is_active, order
            department.save(update_fields=["name", "is_active", "order"])
    audit.info("%s saved department %s «%s» (active %s)", acting_user.login, department.pk, name, is_active)
    return department


def department_delete(*, acting_user: Any, department_id: int) -> None:
    with transaction.atomic():
        department = Department.objects.select_for_update().get(pk=department_id)
        positions = department.positions.count()
        users = department.users.count()  # type: ignore[attr-defined]
        if positions or users:
            raise ValidationError(
                _("The department is in use (positions: %(positions)d, users: %(users)d) and cannot be deleted; "
                  "make it inactive instead.") % {"positions": positions, "users": users}
            )
        name = department.name
        department.delete()
    audit.info("%s deleted department %s «%s»", acting_user.login, department_id, name)


def position_save(
    *,
    acting_user: Any,
    position_id: int | None,
    department_id: int,
    name: str,
    is_active: bool = True,
    order: int = 0,
) -> Position:
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
        if position_id is None:
            position = Position.objects.create(department=department, name=name, is_active=is_active, order=order)
        else:
            position = Position.objects.select_for_update().get(pk=position_id)
            if position.department_id != department.pk and position.users.exists():  # type: ignore[attr-defined]
                raise ValidationError({"department": _(
                    "Users hold this position: it cannot move to another department."
                )})
            position.department, position.name = department, name
            position.is_active, position.order = is_active, order
            position.save(update_fields=["department", "name", "is_active", "order"])
    audit.info(
        "%s saved position %s «%s» in department %s (active %s)",
        acting_user.login, position.pk, name, department.pk, is_active,
    )
    return position


def position_delete(*, acting_user: Any, position_id: int) -> None:
    with transaction.atomic():
        position = Position.objects.select_for_update().get(pk=position_id)
        users = position.users.count()  # type: ignore[attr-defined]
        if users:
            raise ValidationError(
                _("The position is held by users (%(users)d) and cannot be deleted; make it inactive instead.")
                % {"users": users}
            )
        name = position.name
        position.delete()
    audit.info("%s deleted position %s «%s»", acting_user.login, position_id, name)
