"""The Flexi-filter panel, filter templates and the registry's active filter (REG-04 … REG-06, REG-12, LAD-03).

The panel's JavaScript (kontora/static/kontora/flexi.js) builds the JSON specification and sends it; the engine
(`kontora.clients.flexi`) validates it against its whitelist, compiles it and counts inside the user's access.
These views only parse requests, call the engine and render. Answers that change the registry are htmx answers:
the rows, with the "N of M" counter and the "filter active" badge out of band, so the three change together. A
refused specification answers 422 with the "k:flexi-refused" event carrying the errors (the panel shows them next
to their rows). Saving and deleting a template are the panel's own JSON requests.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kontora.accounts.policies import user_of
from kontora.clients.flexi import services as template_services
from kontora.clients.flexi.hooks import NO_VALUE
from kontora.clients.flexi.selectors import fields as flexi_fields
from kontora.clients.flexi.selectors import session as flexi_session
from kontora.clients.flexi.selectors import specs as flexi_spec
from kontora.clients.flexi.selectors import templates as template_selectors
from kontora.clients.forms.flexi import TemplateSaveForm
from kontora.clients.selectors import registry as selectors
from kontora.clients.services import registry as registry_services
from kontora.clients.views import registry
from kontora.core import budget
from kontora.core.text import id_param, json_param

REFUSED_EVENT = "k:flexi-refused"

# Operators whose condition carries a pair of values.
_RANGE = {"between"}


def _value_kind(control: str, operator: str) -> str:
    if operator in NO_VALUE or control == "flag":
        return "none"
    if control == "counted":
        return "counted" if operator == "count_ge" else "counted_any"
    if control == "sum":
        return "summed" if operator in ("sum_ge", "sum_le") else "summed_any"
    if operator in _RANGE:
        return "range"
    return "list" if control == "multi" else "one"


def _catalogue() -> list[dict[str, Any]]:
    """The engine's catalogue for the panel, plus what the browser needs to draw each value control."""
    tabs = flexi_fields.catalogue_data()
    for tab in tabs:
        for field in tab["fields"]:
            for operator in field["operators"]:
                operator["value"] = _value_kind(field["control"], operator["code"])
            field["pick_url"] = reverse("directories:pick", args=[field["directory"]]) if field["directory"] else ""
            if field["choices"] is not None:
                field["choices"] = [[choice["id"], choice["label"]] for choice in field["choices"]]
    return tabs


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(message) for message in exc.messages)


def _spec_errors(raw: str, exc: ValidationError, user: Any) -> dict[str, Any]:
    """The engine's refusal, placed next to the offending rows: every condition is checked alone, so all the
    wrong rows are marked at once (a wrong field or operator is refused without touching the base); what no
    row explains — an empty group, too deep, too many items — goes to the group `refusal_path` names."""
    rows: dict[str, str] = {}
    try:
        raw_spec = json_param(raw)
    except (TypeError, ValueError):
        raw_spec = None
    for path, condition in flexi_spec.raw_conditions(raw_spec):
        try:
            flexi_spec.parse({"op": "and", "items": [condition]}, user=user)
        except ValidationError as row_exc:
            rows[path] = _error_text(row_exc)
    if not rows:
        where = ".".join(str(i) for i in flexi_spec.refusal_path(exc))
        if where or isinstance(raw_spec, dict):
            rows[where] = _error_text(exc)
    general = "" if rows else _error_text(exc)
    return {"error": general, "rows": rows}


def _is_empty(raw: str) -> bool:
    """A tree with no conditions at all: the panel's way of saying "no filter"."""
    try:
        node = json_param(raw)
    except (TypeError, ValueError):
        return False
    return isinstance(node, dict) and node.get("items") == []


def _refused(errors: dict[str, Any]) -> HttpResponse:
    """A refusal for htmx: nothing to swap, the errors in the "k:flexi-refused" event (JSON is ASCII, as a header
    must be)."""
    response = HttpResponse(status=422)
    response["HX-Trigger"] = json.dumps({REFUSED_EVENT: errors})
    return response


def _parse(request: HttpRequest) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The posted specification, or the errors that refuse it."""
    raw = request.POST.get("spec", "")
    try:
        return flexi_spec.parse(raw, user=request.user), None
    except ValidationError as exc:
        return None, _spec_errors(raw, exc, request.user)


def _count_text(count: int, more: bool) -> str:
    return _("Found: %(count)s") % {"count": template_selectors.count_display(count, more)}


def registry_update(request: HttpRequest) -> HttpResponse:
    """The registry under the session's filter: its first page, with its counter and the filter badge out of band."""
    context = registry.registry_centre(request)
    context["flexi_active"] = flexi_session.active_filter(request)
    return render(request, "clients/partials/registry_update.html", context)


def _shown_or_refused(request: HttpRequest, kept: Any) -> HttpResponse:
    """The registry under a filter just made active; one too heavy for the time budget is refused like a wrong one:
    the session's filter goes back to what it was (`kept`) and the panel, or the toolbar, shows the message."""
    try:
        with budget.guarded():
            context = registry.registry_centre(request)
            if context["overrun"]:
                raise budget.Overrun(context["overrun"])
    except budget.Overrun as exc:
        flexi_session.restore(request, kept)
        return _refused({"error": exc.message, "rows": {}})
    context["flexi_active"] = flexi_session.active_filter(request)
    return render(request, "clients/partials/registry_update.html", context)


# --- the panel -----------------------------------------------------------------------------------------


def _editable_ref(user: Any, template_id: str) -> Any:
    """One's own template to edit in the panel; a static, shared or unknown one is "not found"."""
    ref = template_selectors.template_ref(user, f"user:{id_param(template_id)}" if id_param(template_id) else "")
    if not ref.editable:
        raise Http404
    return ref


@login_required
@require_GET
def flexi_panel(request: HttpRequest) -> HttpResponse:
    """The panel in the modal: tabs of fields, the tree of the active filter (or of one's own template `?template=`)."""
    initial: dict[str, Any] = {}
    spec: dict[str, Any] | None = None
    template_id = request.GET.get("template", "")
    if template_id:
        ref = _editable_ref(request.user, template_id)
        spec = template_selectors.template_spec(request.user, ref)
        share = (f"role:{ref.shared_role}" if ref.shared_role
                 else f"department:{ref.shared_department_id}" if ref.shared_department_id else "")
        initial = {"template_id": ref.ref, "name": ref.name, "share": share}
    else:
        active = flexi_session.active_filter(request)
        spec = active.spec if active is not None else None
    data = {
        "catalogue": _catalogue(),
        "spec": spec,
        "labels": flexi_spec.picked_labels(spec),
        "text": {
            "and": _("AND (all conditions)"), "or": _("OR (any condition)"), "join": _("Join conditions by"),
            "condition": _("Condition"), "group": _("Group"), "remove": _("Remove"),
            "remove_group": _("Remove the group"), "field": _("Field"), "operator": _("Condition"),
            "from": _("from"), "to": _("to"), "count": _("how many"), "amount": _("sum, rubles"),
            "type_to_search": _("Type to search…"),
            "empty_root": _(
                "No conditions: all clients you may see are shown. Choose a field above or add a condition."
            ),
            "empty_group": _("An empty group: add a condition."),
        },
    }
    return render(request, "clients/partials/flexi_panel.html", {
        "data": data,
        "tabs": data["catalogue"],
        "form": TemplateSaveForm(initial=initial, auto_id="k-flexi-%s"),
        "editing": bool(initial),
    })


@login_required
@require_POST
@budget.heavy
def flexi_apply(request: HttpRequest) -> HttpResponse:
    """The panel's "Apply": the specification becomes the registry's active filter; a refusal changes nothing.

    A tree with no conditions resets the filter."""
    if _is_empty(request.POST.get("spec", "")):
        flexi_session.clear_active(request)
        return registry_update(request)
    spec, errors = _parse(request)
    if errors is not None:
        return _refused(errors)
    assert spec is not None
    kept = flexi_session.stored(request)
    flexi_session.set_active(request, spec, label=flexi_spec.describe(spec))
    return _shown_or_refused(request, kept)


@login_required
@require_POST
def flexi_clear(request: HttpRequest) -> HttpResponse:
    """"Reset": the registry shows every client the user may see again."""
    flexi_session.clear_active(request)
    return registry_update(request)


@login_required
@require_POST
@budget.heavy
def flexi_count(request: HttpRequest) -> HttpResponse:
    """The panel's live count of the specification being built, capped ("10 000+") and inside access; a
    specification too heavy for the time budget gets the message in the count's place."""
    raw = request.POST.get("spec", "")
    try:
        with budget.guarded():
            if _is_empty(raw):
                count, more = selectors.registry_count(fetched_by=request.user)
                return HttpResponse(_count_text(count, more))
            try:
                spec = flexi_spec.parse(raw, user=request.user)
            except ValidationError:
                return HttpResponse(_("Found: —"))
            count, more = template_selectors.template_count(request.user, spec)
    except budget.Overrun as exc:
        return HttpResponse(exc.message)
    if not more:
        return HttpResponse(_count_text(count, more))
    # Past the cap: "count exactly" counts the specification as it is now, in the background, like the registry's.
    return render(request, "clients/partials/flexi_count_capped.html", {
        "found": _count_text(count, more), "vals": json.dumps({"spec": json.dumps(spec, ensure_ascii=False)}),
    })


@login_required
@require_POST
def flexi_count_exact(request: HttpRequest) -> HttpResponse:
    """The panel's "count exactly": a background job counts the clients of the specification being built."""
    try:
        spec = flexi_spec.parse(request.POST.get("spec", ""), user=request.user)
    except ValidationError:
        return HttpResponse(_("Found: —"))
    job = registry_services.registry_count_start(acting_user=user_of(request), spec=spec)
    return registry.count_job_answer(request, job.pk)


# --- templates -----------------------------------------------------------------------------------------


@login_required
@require_GET
def flexi_templates(request: HttpRequest) -> HttpResponse:
    """The toolbar's list: the static templates first, then own and shared ones; counts load one by one."""
    return render(request, "clients/partials/flexi_templates.html", {
        "templates": template_selectors.templates_for(request.user),
    })


@login_required
@require_GET
@budget.heavy_queued  # the list asks for all its templates' counts at once
def flexi_template_count(request: HttpRequest) -> HttpResponse:
    """One template's live count in the list, capped ("10 000+") and inside the user's access."""
    ref = template_selectors.template_ref(request.user, request.GET.get("ref", ""))
    try:
        spec = template_selectors.template_spec(request.user, ref)
    except ValidationError:
        return HttpResponse("—")
    try:
        with budget.guarded():
            counted = template_selectors.template_count(request.user, spec)
    except budget.Overrun as exc:
        return HttpResponse(exc.message)
    return HttpResponse(template_selectors.count_display(*counted))


@login_required
@require_POST
@budget.heavy
def flexi_template_apply(request: HttpRequest) -> HttpResponse:
    """A template chosen in the list becomes the active filter (within the user's access, as every filter)."""
    ref = template_selectors.template_ref(request.user, request.POST.get("ref", ""))
    try:
        spec = template_selectors.template_spec(request.user, ref)
    except ValidationError as exc:
        return _refused({"error": _error_text(exc), "rows": {}})
    kept = flexi_session.stored(request)
    flexi_session.set_active(request, spec, label=ref.name, ref=ref.ref)
    return _shown_or_refused(request, kept)


# The service's error keys that the form shows under another field.
_SAVE_ERROR_FIELDS = {"shared_role": "share", "shared_department": "share", "spec": None}


def _template_ref_text(template_id: str) -> str:
    return template_id if ":" in template_id else f"user:{template_id}"


@login_required
@require_POST
def flexi_template_save(request: HttpRequest) -> HttpResponse:
    """"Save as template" — a new template, or one's own overwritten (conditions, name, sharing).

    One the user cannot see is not found; a static template is refused with a message, someone else's with 403
    (the service decides both)."""
    user: Any = request.user
    form = TemplateSaveForm(request.POST)
    spec, errors = _parse(request)
    if errors is not None:
        return JsonResponse(errors, status=422)
    if form.is_valid():
        template_id = form.cleaned_data.get("template_id") or None
        ref = template_selectors.template_ref(user, _template_ref_text(template_id)) if template_id else None
        role, department = form.sharing()
        try:
            saved = template_services.template_save(
                acting_user=user, name=form.cleaned_data["name"], spec=spec,
                shared_role=role, shared_department=department, template_id=ref.ref if ref else None,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                exc = ValidationError({_SAVE_ERROR_FIELDS.get(name, name) or "__all__": errors
                                       for name, errors in exc.error_dict.items()})
            form.apply_error(exc)
        else:
            return JsonResponse({
                "id": saved.pk, "message": _("The template “%(name)s” is saved.") % {"name": saved.name},
            })
    fields = {name: " ".join(str(e) for e in errors) for name, errors in form.errors.items() if name != "__all__"}
    general = " ".join(str(e) for e in form.non_field_errors())
    return JsonResponse({"fields": fields, "error": general, "rows": {}}, status=422)


@login_required
@require_POST
def flexi_template_delete(request: HttpRequest) -> HttpResponse:
    """Deletes one's own template; a static one is refused with a message, someone else's with 403/404."""
    user: Any = request.user
    ref = template_selectors.template_ref(user, _template_ref_text(request.POST.get("template_id", "")))
    try:
        template_services.template_delete(acting_user=user, template_id=ref.ref)
    except ValidationError as exc:
        return JsonResponse({"error": _error_text(exc), "rows": {}}, status=422)
    return JsonResponse({"id": None, "message": _("The template “%(name)s” is deleted.") % {"name": ref.name}})
