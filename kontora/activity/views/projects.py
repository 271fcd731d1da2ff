"""The project planner (PLN-03): Планы и задачи → Проектный планировщик — the tree of themes and cases with a
timeline of progress bars — and the card of a theme or case (edit, execution report, percent, delegation,
sub-cases, its project tasks)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.activity import policies
from kontora.activity.forms.projects import ProjectItemForm
from kontora.activity.models import ProjectItem
from kontora.activity.selectors import projects as selectors
from kontora.activity.services import projects as services
from kontora.core.errors import NotAllowed
from kontora.core.selectors.calendar import user_today
from kontora.core.text import id_param
from kontora.core.ui.submit import act, ok_or_apply, submit

PLANNER = "activity:projects"


@login_required
@require_GET
def planner(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    forest = selectors.project_forest()
    nodes = list(forest.rows())
    axis = selectors.timeline(nodes, user_today(user))
    rows = [{"node": node, "bar": axis.bar(node) if axis else None} for node in nodes]
    return render(request, "activity/projects.html", {
        "rows": rows, "axis": axis, "focus": id_param(request.GET.get("focus")),
    })


def _parent_of(forest: selectors.Forest, node: selectors.Node) -> ProjectItem | None:
    parent_id = node.item.parent_id
    return forest.nodes[parent_id].item if parent_id is not None and parent_id in forest.nodes else None


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new theme, or (with `pk`) a case under that theme or case."""
    user = user_of(request)
    forest = selectors.project_forest()
    parent_node = selectors.access_project_item(forest, pk) if pk is not None else None
    parent = parent_node.item if parent_node else None
    if parent_node is not None and parent is not None and not policies.can_split_item(
            user, parent, _parent_of(forest, parent_node)):
        raise NotAllowed
    initial: dict[str, Any] = {"responsible": user, "percent": 0}
    if parent is not None:
        initial.update(starts_on=parent.starts_on, due_on=parent.due_on)
    else:
        initial.update(starts_on=user_today(user), due_on=user_today(user))
    form = ProjectItemForm(request.POST or None, user=user, initial=initial)

    def page() -> HttpResponse:
        return render(request, "activity/project_item.html", {
            "form": form, "node": None, "parent": parent_node,
            "path": [*forest.path(parent_node), parent_node] if parent_node else [],
        })

    return submit(
        request, form,
        lambda: services.project_item_create(acting_user=user, parent=parent, values=form.cleaned_data),
        done=lambda item: reverse("activity:project_item", args=[item.pk]), page=page,
        message=lambda item: (_("Theme «%(title)s» added.") if parent is None else _("Case «%(title)s» added."))
        % {"title": item.title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    forest = selectors.project_forest()
    node = selectors.access_project_item(forest, pk)
    parent = _parent_of(forest, node)
    rights = {
        "may_edit": policies.can_edit_item(user, node.item),
        "may_delegate": policies.can_delegate_item(user, node.item, parent),
        "may_allow_delegation": policies.can_allow_delegation(user, node.item, parent),
    }
    form = ProjectItemForm(request.POST or None, user=user, initial=ProjectItemForm.initial_for(node.item),
                           derived=node.derived, kept=node.item, **rights)
    may_save = any(rights.values())

    def page() -> HttpResponse:
        return render(request, "activity/project_item.html", {
            "form": form, "node": node, "path": forest.path(node), "may_save": may_save,
            "may_split": policies.can_split_item(user, node.item, parent),
            "may_delete": policies.can_delete_item(user, node.item, parent),
            "tasks": selectors.item_tasks(policies.visible_tasks(user), node.item),
        })

    if request.method == "POST" and not may_save:
        raise NotAllowed
    here = reverse("activity:project_item", args=[pk])
    return submit(
        request, form,
        lambda: services.project_item_update(acting_user=user, item_id=pk, values=form.values(), edit=form.edit()),
        done=lambda _item: ok_or_apply(request, ok=f"{reverse(PLANNER)}?focus={pk}", apply=here), page=page,
    )


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    forest = selectors.project_forest()
    node = selectors.access_project_item(forest, pk)
    parent_id = node.item.parent_id
    done = reverse("activity:project_item", args=[parent_id]) if parent_id else reverse(PLANNER)
    return act(
        request, lambda: services.project_item_delete(acting_user=user, item_id=pk), done=done,
        refused=reverse("activity:project_item", args=[pk]),
        message=_("«%(title)s» deleted with its cases.") % {"title": node.item.title},
    )
