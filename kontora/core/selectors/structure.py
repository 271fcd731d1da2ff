"""Administration → Enterprise: structure — departments and their positions, and the user card's choices."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from kontora.core.models import Department, Position


def structure_tree() -> list[Department]:
    """Administration → Enterprise: structure — departments, each with its positions prefetched."""
    positions = Prefetch("positions", queryset=Position.objects.order_by("order", "name", "id"))
    return list(Department.objects.prefetch_related(positions).order_by("order", "name", "id"))


def department_list() -> QuerySet[Department]:
    """Every department, in the structure's order (a position's card may move it to any of them)."""
    return Department.objects.order_by("order", "name", "id")


def department_choices(*, keep_id: int | None = None) -> QuerySet[Department]:
    """Departments a user card may pick: the active ones and the one the card already carries."""
    return Department.objects.filter(Q(is_active=True) | Q(pk=keep_id)).order_by("order", "name", "id")


def position_choices(*, keep_id: int | None = None) -> QuerySet[Position]:
    """Positions a user card may pick (of active departments), and the one it already carries."""
    offered = Q(is_active=True, department__is_active=True) | Q(pk=keep_id)
    return Position.objects.filter(offered).select_related("department").order_by(
        "department__order", "department__name", "order", "name", "id"
    )


def access_department(department_id: int) -> Department:
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise Http404
    return department


def access_position(position_id: int) -> Position:
    position = Position.objects.select_related("department").filter(pk=position_id).first()
    if position is None:
        raise Http404
    return position
