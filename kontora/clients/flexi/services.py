"""Saving and deleting filter templates (REG-06, REG-12): a user's own templates, shared by role or department.

The static templates (`selectors.templates.STATIC`) live in code and cannot be changed or deleted. Reading
templates — the list, one by its ref, its count — is `selectors.templates`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import Role, User
from kontora.clients.flexi import locks
from kontora.clients.flexi.selectors.specs import parse
from kontora.clients.flexi.selectors.templates import STATIC, static_code, visible_templates
from kontora.clients.models import FilterTemplate
from kontora.core.audit import audit_record, model_update
from kontora.core.errors import NotAllowed
from kontora.core.models import Department
from kontora.core.text import id_param, search_key

TEMPLATE_FIELDS = ("name", "spec", "shared_role", "shared_department")


def _own_row(acting_user: User, template_id: Any) -> FilterTemplate:
    """The user's own template under `template_id` (an id or "user:<id>"), locked for the change.

    A static template is refused with a ValidationError; one the user does not own — another's, or one the user
    cannot even see — with NotAllowed (the views answer "not found" for the latter before they get here).
    """
    if static_code(template_id) is not None:
        raise ValidationError(_("Static templates cannot be changed or deleted."), code="static")
    text = str(template_id)
    text = text.partition(":")[2] if text.startswith("user:") else text
    row = locks.filter_template(int(text)) if text.isascii() and text.isdigit() else None
    if row is None or row.owner_id != acting_user.pk:
        seen = row is not None and visible_templates(acting_user).filter(pk=row.pk).exists()
        raise NotAllowed(_("Only the template's owner may change or delete it.") if seen else "")
    return row


def template_save(
    *, acting_user: User, name: str, spec: Any, shared_role: str = "", shared_department: Any = None,
    template_id: int | str | None = None,
) -> FilterTemplate:
    """Saves a new template or overwrites/renames the user's own one (`template_id`: an id or "user:<id>").

    ValidationError({field: message}) for a bad name, role, department or filter (fields "name",
    "shared_role", "shared_department", "spec"); a static template (`template_id` "static:…") is refused
    with a ValidationError, another user's with NotAllowed.
    """
    errors: dict[str, Any] = {}
    name = " ".join(str(name or "").split())
    static_keys = {search_key(str(t.name)) for t in STATIC}
    if not name:
        errors["name"] = _("Enter the template's name.")
    elif len(name) > 200:
        errors["name"] = _("The name is longer than %(count)s characters.") % {"count": 200}
    elif search_key(name) in static_keys:
        errors["name"] = _("This name belongs to a static template: choose another one.")
    if shared_role and shared_role not in Role.values:
        errors["shared_role"] = _("Choose a role from the list.")
    department = None
    if shared_department not in (None, ""):
        department_id = getattr(shared_department, "pk", shared_department)
        department_pk = id_param(department_id)
        department = Department.objects.filter(pk=department_pk).first() if department_pk else None
        if department is None:
            errors["shared_department"] = _("Choose a department from the list.")
    try:
        parsed = parse(spec, user=acting_user)
    except ValidationError as exc:
        errors["spec"] = exc.messages
    with transaction.atomic():
        row = _own_row(acting_user, template_id) if template_id not in (None, "") else None
        others = FilterTemplate.objects.filter(owner=acting_user).exclude(pk=row.pk if row else 0)
        if name and "name" not in errors and any(
            search_key(other) == search_key(name) for other in others.values_list("name", flat=True)
        ):
            errors["name"] = _("You already have a template with this name.")
        if errors:
            raise ValidationError(errors)
        values = {"name": name, "spec": parsed, "shared_role": shared_role or "", "shared_department": department}
        try:
            with transaction.atomic():
                if row is None:
                    row = FilterTemplate.objects.create(owner=acting_user, **values)
                    event, summary, changes = "clients.filter_template.create", _("Filter template created"), []
                else:
                    changes = model_update(row, data=values, fields=TEMPLATE_FIELDS)
                    event, summary = "clients.filter_template.update", _("Filter template changed")
        except IntegrityError as exc:  # the same name saved at the same moment by another tab
            raise ValidationError({"name": _("You already have a template with this name.")}) from exc
        audit_record(actor=acting_user, event=event, summary=summary, target=row, changes=changes)
    return row


def template_delete(*, acting_user: User, template_id: int | str) -> None:
    """Deletes the user's own template; static ones: ValidationError; others': NotAllowed."""
    with transaction.atomic():
        row = _own_row(acting_user, template_id)
        audit_record(actor=acting_user, event="clients.filter_template.delete", summary=_("Filter template deleted"),
                     target=row, extra={"name": row.name})
        row.delete()
