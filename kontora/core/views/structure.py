"""Administration → Enterprise: structure (ORG-02) — the two-level directory of departments and positions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.core.forms.structure import DepartmentForm, PositionForm
from kontora.core.models import Department, Position
from kontora.core.permissions import actor_of, admin_required
from kontora.core.selectors import structure as selectors
from kontora.core.services import structure as services
from kontora.core.ui.submit import act, ok_or_apply, submit


@admin_required
@require_GET
def structure(request: HttpRequest) -> HttpResponse:
    return render(request, "core/structure.html", {"departments": selectors.structure_tree()})


@admin_required
@require_http_methods(["GET", "POST"])
def department_new(request: HttpRequest) -> HttpResponse:
    return _department_card(request, None)


@admin_required
@require_http_methods(["GET", "POST"])
def department_edit(request: HttpRequest, department_id: int) -> HttpResponse:
    return _department_card(request, selectors.access_department(department_id))


@admin_required
@require_http_methods(["GET", "POST"])
def position_new(request: HttpRequest, department_id: int) -> HttpResponse:
    return _position_card(request, None, selectors.access_department(department_id))


@admin_required
@require_http_methods(["GET", "POST"])
def position_edit(request: HttpRequest, position_id: int) -> HttpResponse:
    position = selectors.access_position(position_id)
    return _position_card(request, position, position.department)


@admin_required
@require_POST
def department_delete(request: HttpRequest, department_id: int) -> HttpResponse:
    department = selectors.access_department(department_id)
    actor = actor_of(request)
    return act(request, lambda: services.department_delete(acting_user=actor, department_id=department.pk),
               done=reverse("core:structure"),
               message=gettext("Department “%(name)s” deleted.") % {"name": department.name},
               refused=reverse("core:structure_department", args=[department.pk]))


@admin_required
@require_POST
def position_delete(request: HttpRequest, position_id: int) -> HttpResponse:
    position = selectors.access_position(position_id)
    actor = actor_of(request)
    return act(request, lambda: services.position_delete(acting_user=actor, position_id=position.pk),
               done=reverse("core:structure"),
               message=gettext("Position “%(name)s” deleted.") % {"name": position.name},
               refused=reverse("core:structure_position", args=[position.pk]))


def _card(request: HttpRequest, form: DepartmentForm | PositionForm, save: Callable[[], Department | Position],
          context: dict[str, Any]) -> HttpResponse:
    """A structure card's OK / Apply: the list, or the saved card again."""
    kind = context["kind"]
    return submit(
        request, form, save, message=gettext("Saved."),
        done=lambda saved: ok_or_apply(request, ok=reverse("core:structure"),
                                       apply=reverse(f"core:structure_{kind}", args=[saved.pk])),
        page=lambda: render(request, "core/structure_card.html", {"form": form, **context},
                            status=400 if form.errors else 200),
    )


def _department_card(request: HttpRequest, department: Department | None) -> HttpResponse:
    initial = {"name": department.name, "order": department.order, "is_active": department.is_active} if department \
        else None
    form = DepartmentForm(request.POST or None, initial=initial)

    def save() -> Department:
        data = form.cleaned_data
        return services.department_save(
            acting_user=actor_of(request), department_id=department.pk if department else None, name=data["name"],
            is_active=data["is_active"], order=data["order"],
        )

    return _card(request, form, save, {
        "item": department, "kind": "department",
        "title": department.name if department else gettext("New department"),
        "delete_url": reverse("core:structure_department_delete", args=[department.pk]) if department else "",
    })


def _position_card(request: HttpRequest, position: Position | None, department: Department) -> HttpResponse:
    initial: dict[str, Any] = {"department": department.pk, "order": 0, "is_active": True}
    if position:
        initial.update(name=position.name, order=position.order, is_active=position.is_active)
    form = PositionForm(request.POST or None, initial=initial)

    def save() -> Position:
        data = form.cleaned_data
        return services.position_save(
            acting_user=actor_of(request), position_id=position.pk if position else None,
            department_id=data["department"].pk, name=data["name"], is_active=data["is_active"], order=data["order"],
        )

    return _card(request, form, save, {
        "item": position, "kind": "position",
        "title": position.name if position else gettext("New position"),
        "delete_url": reverse("core:structure_position_delete", args=[position.pk]) if position else "",
    })
