"""Administration → Users: the list and the user card (General and Rights tabs)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts import hooks, policies, selectors
from kontora.accounts.forms.users import UserCardForm
from kontora.accounts.models import ClientScope, Role, User
from kontora.accounts.policies import user_of
from kontora.accounts.services import users as services
from kontora.core.permissions import admin_required
from kontora.core.ui.submit import act, ok_or_apply, submit

COLUMNS = (
    ("login", gettext_lazy("Login")),
    ("full_name", gettext_lazy("Full name")),
    ("position", gettext_lazy("Position")),
    ("department", gettext_lazy("Department")),
    ("role", gettext_lazy("Role")),
    ("doc_prefix", gettext_lazy("Prefix")),
)


@admin_required
@require_GET
def users(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "full_name")
    if sort.lstrip("-") not in selectors.USER_SORTS:
        sort = "full_name"
    columns = []
    for key, label in COLUMNS:
        active = sort.lstrip("-") == key
        descending = active and sort.startswith("-")
        columns.append({
            "label": label, "active": active, "descending": descending,
            "url": f"?sort=-{key}" if active and not descending else f"?sort={key}",
        })
    rows = [
        {"user": user, "state": _state(user), "url": reverse("accounts:user_edit", args=[user.pk])}
        for user in selectors.user_list(sort=sort)
    ]
    return render(request, "accounts/users.html", {"columns": columns, "rows": rows})


@admin_required
@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    return _card(request, user=None, tab="general")


@admin_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _card(request, user=selectors.access_user(user_of(request), pk), tab="general")


@admin_required
@require_http_methods(["GET", "POST"])
def user_rights(request: HttpRequest, pk: int) -> HttpResponse:
    return _card(request, user=selectors.access_user(user_of(request), pk), tab="rights")


@admin_required
@require_POST
def user_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.access_user(user_of(request), pk)
    return act(request, lambda: services.user_delete(acting_user=user_of(request), user_id=user.pk),
               done=reverse("accounts:users"), refused=reverse("accounts:user_edit", args=[user.pk]),
               message=gettext("User %(name)s deleted.") % {"name": user.full_name})


def _state(user: User) -> dict[str, str]:
    if user.dismissed:
        return {"key": "dismissed", "label": gettext("dismissed")}
    if user.disabled:
        return {"key": "disabled", "label": gettext("disabled")}
    return {"key": "active", "label": gettext("active")}


def _card(request: HttpRequest, *, user: User | None, tab: str) -> HttpResponse:
    acting = user_of(request)
    form = UserCardForm(request.POST or None, user=user)

    def done(saved: User) -> str:
        if saved.pk == acting.pk and not policies.can_administer(saved):
            # The administrator gave up their own role: Administration is closed to them now.
            return reverse("core:home")
        target = "accounts:user_rights" if request.POST.get("tab") == "rights" else "accounts:user_edit"
        return ok_or_apply(request, ok=reverse("accounts:users"), apply=reverse(target, args=[saved.pk]))

    return submit(request, form, lambda: _save(request, form, user), done=done,
                  message=lambda saved: gettext("User %(name)s saved.") % {"name": saved.full_name},
                  page=lambda: _card_page(request, form, user, tab))


def _card_page(request: HttpRequest, form: UserCardForm, user: User | None, tab: str) -> HttpResponse:
    acting = user_of(request)
    if form.is_bound:
        tab = form.error_tab() or ("rights" if request.POST.get("tab") == "rights" else "general")
    role = form["role"].value() or Role.MANAGER
    own = set(form["rights"].value() or [])
    context: dict[str, Any] = {
        "form": form,
        "card_user": user,
        "tab": tab,
        "rights_blocks": _rights_blocks(role=role, own=own),
        "role_description": policies.role_description(role),
        "role_rights": {value: sorted(policies.role_rights(value)) for value in Role.values},
        "role_descriptions": {value: str(policies.role_description(value)) for value in Role.values},
        "role_scopes": {value: str(scope) for value, scope in policies.ROLE_DEFAULT_SCOPE.items()},
        "scope_choices": ClientScope.choices,
        "can_delete": user is not None and policies.can_delete_user(acting, user),
        "title": user.full_name if user else gettext("New user"),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/user_card.html", context, status=status)


def _save(request: HttpRequest, form: UserCardForm, user: User | None) -> User:
    acting = user_of(request)
    password = form.cleaned_data.get("password") or ""
    if user is None:
        return services.user_create(
            acting_user=acting, profile=form.profile(), access=form.access(), password=password,
        )
    own_card = user.pk == acting.pk
    saved = services.user_update(
        acting_user=acting, user_id=user.pk, profile=form.profile(), access=form.access(), password=password,
        keep_session_key=request.session.session_key if own_card else None,
    )
    if own_card and password:
        # A new password would otherwise sign the administrator out of the page they are on.
        update_session_auth_hash(request, saved)
    return saved


def _rights_blocks(*, role: str, own: set[str]) -> list[dict[str, Any]]:
    """The two blocks of the Rights tab, each right with its state under the chosen role."""
    from_role = policies.role_rights(role)
    grouped: dict[str, list[dict[str, Any]]] = {hooks.ACCESS: [], hooks.ADDITIONAL: []}
    for right in hooks.all_rights():
        by_role = right.code in from_role
        grouped.get(right.group, grouped[hooks.ADDITIONAL]).append({
            "code": right.code,
            "label": right.label,
            "description": right.description,
            "grantable": right.grantable,
            "from_role": by_role,
            "own": right.code in own,
            "checked": by_role or (right.grantable and right.code in own),
            "disabled": by_role or not right.grantable,
        })
    return [
        {"key": hooks.ACCESS, "title": gettext("Access permissions"), "rights": grouped[hooks.ACCESS]},
        {
            "key": hooks.ADDITIONAL, "title": gettext("Additional permissions"),
            "rights": grouped[hooks.ADDITIONAL],
        },
    ]
