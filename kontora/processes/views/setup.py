"""Processes → Process setup (BPM-01): the list of processes and the process editor.

Small forms (a process, a stage, a result, a delete confirmation) open in the page's modal loaded by
htmx; without JavaScript the same URLs render full pages. A saved form answers with HX-Redirect to the
page it belongs to, so the list and the editor are always redrawn from the base, problems included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from kontora.accounts.policies import user_of
from kontora.core.forms.base import KontoraForm
from kontora.core.permissions import policy_required
from kontora.core.ui.submit import modal, submit
from kontora.processes import policies
from kontora.processes.forms.setup import ProcessForm, ResultForm, StageForm
from kontora.processes.models import Process, Stage, StageResult
from kontora.processes.selectors import setup as selectors
from kontora.processes.services import setup as services

# The designer's pages are administration pages (tests/test_admin_urls.py checks them like every other).
designer_required = policy_required(policies.can_design)


def _modal(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A small form: the modal's content for htmx, else a page around the same content."""
    return modal(request, template, context, page="processes/setup_form_page.html")


def _editor_url(process_id: int) -> str:
    return reverse("processes:process", args=[process_id])


# --- the list of processes ---------------------------------------------------------------------------------


@designer_required
@require_GET
def setup(request: HttpRequest) -> HttpResponse:
    return render(request, "processes/setup.html", {"rows": selectors.process_list()})


@designer_required
@require_http_methods(["GET", "POST"])
def process_new(request: HttpRequest) -> HttpResponse:
    return _process_form(request, process=None)


@designer_required
@require_http_methods(["GET", "POST"])
def process_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _process_form(request, process=selectors.access_process(user_of(request), pk))


def _process_form(request: HttpRequest, *, process: Process | None) -> HttpResponse:
    form = ProcessForm.for_process(request.POST or None, process)

    def done(saved: Process) -> str:
        if process is None or request.POST.get("back") == "editor":
            return _editor_url(saved.pk)
        return reverse("processes:setup")

    done_text = gettext("Process «%(name)s» created.") if process is None else gettext("Process «%(name)s» saved.")
    action = reverse("processes:process_edit", args=[process.pk]) if process else reverse("processes:process_new")
    context = {
        "form": form, "process": process, "action": action,
        "back": request.GET.get("back") or request.POST.get("back", ""),
        "title": gettext("Process «%(name)s»") % {"name": process.name} if process else gettext("New process"),
        "cancel_url": reverse("processes:setup"),
    }
    return submit(
        request, form, lambda: services.process_save(
            acting_user=user_of(request), process=process, name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
        ),
        done=done, message=lambda saved: done_text % {"name": saved.name},
        page=lambda: _modal(request, "processes/setup_process_form.html", context),
    )


def _confirm_delete(
    request: HttpRequest, *, delete: Callable[[], None], done_url: str, action: str, title: str, question: str,
    testid: str, done_message: str = "",
) -> HttpResponse:
    """The shared "Delete …?" modal: GET asks, POST deletes through `delete` (a service call); a refusal of the
    service stays in the modal."""
    # An empty form: valid when posted, it carries a refusal of the service above the buttons.
    form = KontoraForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "action": action, "title": title, "question": question, "cancel_url": done_url,
               "testid": testid}
    return submit(request, form, delete, done=lambda _deleted: done_url, message=done_message,
                  page=lambda: _modal(request, "processes/setup_delete.html", context))


@designer_required
@require_http_methods(["GET", "POST"])
def process_delete(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.access_process(user_of(request), pk)
    return _confirm_delete(
        request, delete=lambda: services.process_delete(acting_user=user_of(request), process=process),
        done_url=reverse("processes:setup"), action=reverse("processes:process_delete", args=[process.pk]),
        title=gettext("Delete the process «%(name)s»?") % {"name": process.name},
        question=gettext("The process is deleted with all its stages and results."), testid="process-delete",
        done_message=gettext("Process «%(name)s» deleted.") % {"name": process.name},
    )


# --- the process editor ------------------------------------------------------------------------------------


@designer_required
@require_GET
def process(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.access_process(user_of(request), pk)
    scheme = selectors.process_scheme(process)
    context = {"process": process, "stages": scheme.stages, "problems": scheme.problems, "run_count": scheme.run_count}
    return render(request, "processes/setup_process.html", context)


@designer_required
@require_http_methods(["GET", "POST"])
def stage_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_form(request, process=selectors.access_process(user_of(request), pk), stage=None)


@designer_required
@require_http_methods(["GET", "POST"])
def stage_edit(request: HttpRequest, stage_pk: int) -> HttpResponse:
    stage = selectors.access_stage(user_of(request), stage_pk)
    return _stage_form(request, process=stage.process, stage=stage)


def _stage_form(request: HttpRequest, *, process: Process, stage: Stage | None) -> HttpResponse:
    form = StageForm(request.POST or None, stage=stage)

    def save() -> Stage:
        data = form.cleaned_data
        return services.stage_save(
            acting_user=user_of(request), process=process, stage=stage, name=data["name"],
            is_start=data["is_start"], is_end=data["is_end"], responsible=data["responsible"],
        )

    if stage is None:
        action, title = reverse("processes:stage_new", args=[process.pk]), gettext("New stage")
    else:
        action = reverse("processes:stage_edit", args=[stage.pk])
        title = gettext("Stage «%(name)s»") % {"name": stage.name}
    context = {
        "form": form, "process": process, "stage": stage, "action": action, "title": title,
        "cancel_url": _editor_url(process.pk),
    }
    return submit(request, form, save, done=lambda _saved: _editor_url(process.pk),
                  page=lambda: _modal(request, "processes/setup_stage_form.html", context))


@designer_required
@require_http_methods(["GET", "POST"])
def stage_delete(request: HttpRequest, stage_pk: int) -> HttpResponse:
    stage = selectors.access_stage(user_of(request), stage_pk)
    return _confirm_delete(
        request, delete=lambda: services.stage_delete(acting_user=user_of(request), stage=stage),
        done_url=_editor_url(stage.process_id), action=reverse("processes:stage_delete", args=[stage.pk]),
        title=gettext("Delete the stage «%(name)s»?") % {"name": stage.name},
        question=gettext("The stage is deleted with its results."), testid="stage-delete",
    )


@designer_required
@require_http_methods(["GET", "POST"])
def result_new(request: HttpRequest, stage_pk: int) -> HttpResponse:
    stage = selectors.access_stage(user_of(request), stage_pk)
    return _result_form(request, stage=stage, result=None)


@designer_required
@require_http_methods(["GET", "POST"])
def result_edit(request: HttpRequest, result_pk: int) -> HttpResponse:
    result = selectors.access_result(user_of(request), result_pk)
    return _result_form(request, stage=result.stage, result=result)


def _result_form(request: HttpRequest, *, stage: Stage, result: StageResult | None) -> HttpResponse:
    form = ResultForm(request.POST or None, process=stage.process, result=result)
    if result is None:
        action = reverse("processes:result_new", args=[stage.pk])
        title = gettext("New result of the stage «%(stage)s»") % {"stage": stage.name}
    else:
        action = reverse("processes:result_edit", args=[result.pk])
        title = gettext("Result «%(name)s» of the stage «%(stage)s»") % {"name": result.name, "stage": stage.name}
    context = {
        "form": form, "stage": stage, "result": result, "action": action, "title": title,
        "cancel_url": _editor_url(stage.process_id),
    }
    return submit(
        request, form, lambda: services.result_save(
            acting_user=user_of(request), stage=stage, result=result, name=form.cleaned_data["name"],
            next_stage=form.cleaned_data["next_stage"],
        ),
        done=lambda _saved: _editor_url(stage.process_id),
        page=lambda: _modal(request, "processes/setup_result_form.html", context),
    )


@designer_required
@require_http_methods(["GET", "POST"])
def result_delete(request: HttpRequest, result_pk: int) -> HttpResponse:
    result = selectors.access_result(user_of(request), result_pk)
    return _confirm_delete(
        request, delete=lambda: services.result_delete(acting_user=user_of(request), result=result),
        done_url=_editor_url(result.stage.process_id), action=reverse("processes:result_delete", args=[result.pk]),
        title=gettext("Delete the result «%(name)s»?") % {"name": result.name},
        question=gettext("Stage «%(stage)s» loses this result and its transition.") % {"stage": result.stage.name},
        testid="result-delete",
    )
