"""Filter templates as the user finds them (REG-06, REG-12): the three static ones and the users' saved filters,
shared by role or department; their live counts, always inside the user's access. Saving and deleting:
`flexi.services`.

Static templates live in code and cannot be changed or deleted:
  my               «Мои клиенты» — the user is the client's curator;
  my_hot           «Мои горячие клиенты» — … and the client's priority is the initial base's «Высокий»
                   (the first item of the Priorities directory by order when that name is gone): the base
                   has no "hot" flag, and the priority is how a manager marks the clients to work first;
  my_hot_positive  «Мои горячие и позитивные клиенты» — … and the reaction to the last contact is
                   «Положительная» (Operational work tab; likewise the first reaction by order otherwise).
A template is referred to by its `ref`: "static:<code>" or "user:<id>".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from kontora.clients.flexi.hooks import ME
from kontora.clients.flexi.selectors.specs import parse, to_q
from kontora.clients.models import FilterTemplate
from kontora.clients.selectors.registry import registry_count
from kontora.core.text import id_param
from kontora.directories.models import ContactReaction, Priority

HOT_PRIORITY = "высокий"  # search keys of the initial base's items (kontora.directories.initial)
POSITIVE_REACTION = "положительная"


def _item_id(model: Any, key: str) -> int:
    found = model.objects.filter(name_key=key).order_by("id").values_list("pk", flat=True).first()
    if found is None:
        found = model.objects.order_by("order", "id").values_list("pk", flat=True).first()
    return found or 0  # 0: no such item at all, the condition matches nothing


def _my() -> list[dict[str, Any]]:
    return [{"field": "curator", "operator": "in", "value": [ME]}]


def _my_hot() -> list[dict[str, Any]]:
    return [*_my(), {"field": "priority", "operator": "in", "value": [_item_id(Priority, HOT_PRIORITY)]}]


def _my_hot_positive() -> list[dict[str, Any]]:
    return [*_my_hot(),
            {"field": "reaction", "operator": "in", "value": [_item_id(ContactReaction, POSITIVE_REACTION)]}]


@dataclass(frozen=True)
class StaticTemplate:
    code: str
    name: str | Promise
    conditions: Callable[[], list[dict[str, Any]]]

    def spec(self) -> dict[str, Any]:
        return {"op": "and", "items": self.conditions()}


STATIC: tuple[StaticTemplate, ...] = (
    StaticTemplate("my", gettext_lazy("My clients"), _my),
    StaticTemplate("my_hot", gettext_lazy("My hot clients"), _my_hot),
    StaticTemplate("my_hot_positive", gettext_lazy("My hot and positive clients"), _my_hot_positive),
)
_STATIC_BY_CODE = {template.code: template for template in STATIC}


@dataclass(frozen=True)
class TemplateRef:
    ref: str  # "static:<code>" or "user:<id>"
    name: str
    static: bool
    editable: bool = False  # the user owns it: may rename, overwrite and delete it
    owner_name: str = ""
    shared_role: str = ""
    shared_department: str = ""
    shared_department_id: int | None = None
    template_id: int | None = None


def visible_templates(user: Any) -> QuerySet[FilterTemplate]:
    """The saved templates the user may use: the user's own and those shared with the user's role or department."""
    shared = Q(shared_role=user.role) & ~Q(shared_role="")
    if user.department_id:
        shared |= Q(shared_department_id=user.department_id)
    return FilterTemplate.objects.filter(Q(owner=user) | shared)


def _user_ref(row: FilterTemplate, user: Any) -> TemplateRef:
    return TemplateRef(
        ref=f"user:{row.pk}", name=row.name, static=False, editable=row.owner_id == user.pk,
        owner_name=str(row.owner), shared_role=row.shared_role,
        shared_department=str(row.shared_department) if row.shared_department_id else "",
        shared_department_id=row.shared_department_id,
        template_id=row.pk,
    )


def templates_for(user: Any) -> list[TemplateRef]:
    """The static templates first, then the user's own, then those shared with the user's role or department."""
    static = [TemplateRef(ref=f"static:{t.code}", name=str(t.name), static=True) for t in STATIC]
    rows = visible_templates(user).select_related("owner", "shared_department").order_by("name", "id")
    own = [_user_ref(row, user) for row in rows if row.owner_id == user.pk]
    shared = [_user_ref(row, user) for row in rows if row.owner_id != user.pk]
    return static + own + shared


def _ref_text(ref: TemplateRef | str) -> str:
    return ref.ref if isinstance(ref, TemplateRef) else str(ref)


def template_ref(user: Any, ref: TemplateRef | str) -> TemplateRef:
    """The template under `ref` if the user may use it; Http404 otherwise (also for others' private ones)."""
    kind, _sep, code = _ref_text(ref).partition(":")
    if kind == "static" and code in _STATIC_BY_CODE:
        return TemplateRef(ref=f"static:{code}", name=str(_STATIC_BY_CODE[code].name), static=True)
    if kind == "user" and (pk := id_param(code)) is not None:
        row = visible_templates(user).select_related("owner", "shared_department").filter(pk=pk).first()
        if row is not None:
            return _user_ref(row, user)
    raise Http404


def template_spec(user: Any, ref: TemplateRef | str) -> dict[str, Any]:
    """The parsed specification of a template the user may use (Http404 otherwise).

    ValidationError when a saved template refers to what no longer exists (a deactivated attribute).
    """
    found = template_ref(user, ref)
    if found.static:
        raw = _STATIC_BY_CODE[found.ref.partition(":")[2]].spec()
    else:
        raw = FilterTemplate.objects.values_list("spec", flat=True).get(pk=int(found.template_id or 0))
    return parse(raw, user=user)


def static_code(template_id: Any) -> str | None:
    """The code of the static template `template_id` ("static:my" or "my") names, or None."""
    text = str(template_id)
    code = text.partition(":")[2] if text.startswith("static:") else text
    return code if code in _STATIC_BY_CODE else None


def template_count(user: Any, spec: Any) -> tuple[int, bool]:
    """How many clients the user sees under `spec` (raw or parsed), capped at selectors.COUNT_CAP (+ whether more).

    Counted inside the user's access: others' private clients and, in the "own" mode, others' clients never count.
    """
    parsed = parse(spec, user=user)
    return registry_count(fetched_by=user, filter_q=to_q(parsed, user=user))


def count_display(count: int, more: bool) -> str:
    """«1 234» or «10 000+»: the capped count as the registry shows it."""
    text = f"{count:,}".replace(",", "\u00a0")
    return f"{text}+" if more else text
