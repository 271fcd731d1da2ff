"""Administration → Targeting system (TGT-01, TGT-02): goals with weights and employees' plans; and the Assistant's
targeting monitor (TGT-03)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from kontora.accounts.policies import user_of
from kontora.core.permissions import admin_required
from kontora.core.ui.submit import modal, submit
from kontora.targeting import policies, selectors, services
from kontora.targeting.forms import GoalForm, PlansForm
from kontora.targeting.models import Goal


@admin_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """The goals (each with its weight; added and changed in a dialog) and every employee's plan per day, week and
    month, saved at once."""
    user = user_of(request)
    form = PlansForm(request.POST or None)
    return submit(
        request, form, lambda: services.plans_save(acting_user=user, plans=form.plans()),
        done=lambda changed: reverse("targeting:setup"),
        message=gettext("The plans are saved."),
        page=lambda: render(request, "targeting/setup.html", {
            "form": form, "goals": [(goal, selectors.goal_label(goal)) for goal in selectors.goal_list()],
        }))


def _goal_form(request: HttpRequest, goal: Goal | None) -> HttpResponse:
    user = user_of(request)
    form = GoalForm(request.POST or None, goal=goal)
    action = reverse("targeting:goal", args=[goal.pk]) if goal else reverse("targeting:goal_new")
    return submit(
        request, form, lambda: services.goal_save(acting_user=user, goal=goal, values=form.cleaned_data),
        done=lambda saved: reverse("targeting:setup"), message=gettext("The goal is saved."),
        page=lambda: modal(request, "targeting/partials/goal_form.html", {
            "form": form, "goal": goal, "action": action, "back_url": reverse("targeting:setup"),
        }, page="core/ui/modal_page.html"))


@admin_required
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest) -> HttpResponse:
    return _goal_form(request, None)


@admin_required
@require_http_methods(["GET", "POST"])
def goal(request: HttpRequest, pk: int) -> HttpResponse:
    return _goal_form(request, get_object_or_404(Goal, pk=pk))


@login_required
@require_GET
def monitor(request: HttpRequest) -> HttpResponse:
    """The Assistant's targeting monitor: the user's units against his plan today, this week and this month; to
    administrators and supervisors, every planned employee's too."""
    user = user_of(request)
    everyone = policies.sees_everyone(user)
    own = selectors.has_targeting(user)
    others = [person for person in selectors.planned_users() if person.pk != user.pk] if everyone else []
    if not own and not others:
        return render(request, "targeting/partials/monitor.html", {"nothing": True})
    figures = selectors.progress(user, [user.pk, *(person.pk for person in others)])
    return render(request, "targeting/partials/monitor.html", {
        "own": figures.get(user.pk) if own else None,
        "others": [(person, figures[person.pk]) for person in others],
    })
