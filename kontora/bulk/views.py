"""The group processing manager (GRP-01, GRP-02, GRP-05): opened from the registry over the marked clients (or,
with none marked, the registry's selection under its filter); «Начать обработку» freezes the selection and starts
the run; the run's page shows its progress, then what it did to each client."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.bulk import policies
from kontora.bulk.forms import GroupForm
from kontora.bulk.selectors import runs as selectors
from kontora.bulk.selectors.letters import sample_letter, sample_sms
from kontora.bulk.selectors.runs import bulk_run_limit
from kontora.bulk.services.runs import bulk_run_start
from kontora.clients.selectors.sorting import default_sort, session_sort
from kontora.clients.views.exports import active_filter
from kontora.clients.views.registry import MARKS_KEY, session_marks
from kontora.core.errors import DomainError, form_error
from kontora.core.permissions import policy_required
from kontora.core.selectors.calendar import user_zone
from kontora.messaging.selectors.recipients import mail_problem, sms_problem


def _selection(request: HttpRequest, take: str, limit: int) -> selectors.Selection:
    user = user_of(request)
    sort = session_sort(request.session, default_sort(user))
    if take == "marked":
        return selectors.selection(fetched_by=user, sort=sort, limit=limit, marked=session_marks(request))
    filter_q, filter_label = active_filter(request)
    return selectors.selection(fetched_by=user, sort=sort, limit=limit, filter_q=filter_q, filter_label=filter_label)


@policy_required(policies.may_process)
@require_http_methods(["GET", "POST"])
def manager(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    # What the run takes: the marked clients, or without marks the registry's selection (its filter).
    take = request.POST.get("take") or ("marked" if request.session.get(MARKS_KEY) else "filter")
    take = take if take in ("marked", "filter") else "filter"
    form = GroupForm(request.POST or None, request.FILES or None, initial={"take": take}, zone=user_zone(user))
    limit = bulk_run_limit()
    chosen = _selection(request, take, limit)
    if request.method == "POST" and form.is_valid():
        try:
            run = bulk_run_start(acting_user=user, client_ids=chosen.ids, selection=chosen.description,
                                 plan=form.plan(), mail=form.mail(), sms=form.sms())
        except (ValidationError, DomainError) as exc:
            form_error(form, exc)
        else:
            request.session.pop(MARKS_KEY, None)  # the marks did their work; the registry starts unmarked
            return redirect("bulk:run", run_id=run.pk)
    tabs = [(code, label, form.tab(code)) for code, label in (
        ("classifiers", _("Classifiers")), ("operational", _("Operational work")), ("access", _("Access")),
        ("task", _("Task")), ("email", _("E-mail")), ("sms", "SMS"))]
    # A refused form opens on the tab of its first error.
    active = next((code for code, _label, fields in tabs if any(field.errors for field in fields)), tabs[0][0])
    return render(request, "bulk/manager.html", {
        "title": _("Group processing"), "form": form, "selection": chosen,
        "count": len(chosen.ids), "over": chosen.over(limit), "too_many": selectors.too_many(limit),
        "tabs": tabs, "active": active, "mail_problem": mail_problem(user), "sms_problem": sms_problem(user),
    })


@policy_required(policies.may_process)
@require_GET
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_run(user, run_id)
    finished = found.job is None or found.job.is_finished
    context: dict[str, Any] = {"title": _("Group processing"), "run": found, "job": found.job,
                               "lines": selectors.outcomes(user, found) if finished else []}
    return render(request, "bulk/run.html", context)


@policy_required(policies.may_process)
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """«Проверить получателей» (htmx): the letters a run would queue now, to whom, and one of them as it would go;
    the form is checked as «Начать обработку» would check it."""
    user = user_of(request)
    take = "marked" if request.POST.get("take") == "marked" else "filter"
    form = GroupForm(request.POST, request.FILES or None, zone=user_zone(user))
    context: dict[str, Any] = {"form": form, "channel": "sms" if request.POST.get("channel") == "sms" else "email"}
    if form.is_valid():
        draft, sms = form.mail(), form.sms()
        wanted = sms if context["channel"] == "sms" else draft
        if wanted is None:
            context["not_sending"] = True
        else:
            chosen = _selection(request, take, bulk_run_limit())
            found = selectors.mail_preview(user, chosen.ids[:bulk_run_limit()], context["channel"])
            context["preview"] = found
            if found.first and sms is not None and context["channel"] == "sms":
                context["sms_sample"] = sample_sms(sms, *found.first)
            elif found.first and draft is not None:
                context["sample"] = sample_letter(draft, *found.first)
    return render(request, "bulk/partials/mail_preview.html", context)
