"""Administration → Enterprise: structure (ORG-02) — the two-level directory of departments and positions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.core.errors import Refused, error_messages
from kontora.core.forms.structure import DepartmentForm, PositionForm
from kontora.core.models import Department, Position
from kontora.core.permissions import actor_of, admin_required
from kontora.core.selectors import structure as selectors
from kontora.core.services import structure as services


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
    return _delete(request, lambda: services.department_delete(acting_user=actor, department_id=department.pk),
                   gettext("Department “%(name)s” deleted.") % {"name": department.name},
                   reverse("core:structure_department", args=[department.pk]))


@admin_required
@require_POST
def position_delete(request: HttpRequest, position_id: int) -> HttpResponse:
    position = selectors.access_position(position_id)
    actor = actor_of(request)
    return _delete(request, lambda: services.position_delete(acting_user=actor, position_id=position.pk),
                   gettext("Position “%(name)s” deleted.") % {"name": position.name},
                   reverse("core:structure_position", args=[position.pk]))


def _delete(request: HttpRequest, action: Callable[[], None], done: str, card_url: str) -> HttpResponse:
    try:
        action()
    except Refused as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return redirect(card_url)
    messages.success(request, done)
    return redirect("core:structure")


def _after_save(request: HttpRequest, card_url: str) -> HttpResponse:
    messages.success(request, gettext("Saved."))
    return redirect(card_url if "apply" in request.POST else reverse("core:structure"))


def _department_card(request: HttpRequest, department: Department | None) -> HttpResponse:
    initial = {"name": department.name, "order": department.order, "is_active": department.is_active} if department \
        else None
    form = DepartmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.department_save(
                acting_user=actor_of(request), department_id=department.pk if department else None, name=data["name"],
                is_active=data["is_active"], order=data["order"],
            )
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _after_save(request, reverse("core:structure_department", args=[saved.pk]))
    context = {
        "form": form, "item": department, "kind": "department",
        "title": department.name if department else gettext("New department"),
        "delete_url": reverse("core:structure_department_delete", args=[department.pk]) if department else "",
    }
    return render(request, "core/structure_card.html", context, status=400 if form.errors else 200)


def _position_card(request: HttpRequest, position: Position | None, department: Department) -> HttpResponse:
    initial: dict[str, Any] = {"department": department.pk, "order": 0, "is_active": True}
    if position:
        initial.update(name=position.name, order=position.order, is_active=position.is_active)
    form = PositionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.position_save(
                acting_user=actor_of(request), position_id=position.pk if position else None,
                department_id=data["department"].pk, name=data["name"], is_active=data["is_active"],
                order=data["order"],
            )
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _after_save(request, reverse("core:structure_position", args=[saved.pk]))
    context = {
        "form": form, "item": position, "kind": "position",
        "title": position.name if position else gettext("New position"),
        "delete_url": reverse("core:structure_position_delete", args=[position.pk]) if position else "",
    }
    return render(request, "core/structure_card.html", context, status=400 if form.errors else 200)
