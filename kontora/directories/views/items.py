"""Generic pages of every registered directory: list, card, delete, and the picker's matches (DIR-01/02/07)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.core.errors import Refused
from kontora.core.htmx import htmx_target, is_htmx
from kontora.core.permissions import is_administrator
from kontora.core.text import id_param, inner_quotes
from kontora.core.ui.pager import AFTER
from kontora.core.ui.submit import modal, ok_or_apply, submit
from kontora.directories import policies
from kontora.directories.forms.items import directory_form
from kontora.directories.forms.widgets import allow_picker_editing
from kontora.directories.hooks import Directory
from kontora.directories.policies import directory_view
from kontora.directories.selectors import items as selectors
from kontora.directories.services import items as services

SAVED_EVENT = "k:directory-saved"


def _columns(directory: Directory) -> list[dict[str, Any]]:
    meta = directory.model._meta
    return [{"name": name, "label": getattr(meta.get_field(name), "verbose_name", name)} for name in directory.fields]


def _cell(item: Any, name: str) -> Any:
    """A list cell: a field with choices by its label (a flag's colour "красный", not "red")."""
    label = getattr(item, f"get_{name}_display", None)
    return label() if label is not None else getattr(item, name)


@directory_view()
@require_GET
def item_list(request: HttpRequest, directory: Directory) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    show_inactive = request.GET.get("inactive") == "1"
    page = selectors.directory_items(
        directory=directory, fetched_by=request.user, query=query, show_inactive=show_inactive, cursor=request.GET,
    )
    can_edit = policies.can_edit(request.user, directory)
    rows = [
        {
            "item": item,
            "cells": [_cell(item, name) for name in directory.fields],
            "inactive": getattr(item, "is_active", True) is False,
            "url": reverse("directories:edit", args=[directory.key, item.pk]) if can_edit else "",
        }
        for item in page.rows
    ]
    context = {
        "directory": directory, "columns": _columns(directory), "rows": rows, "query": query,
        "more_url": page.link(reverse("directories:list", args=[directory.key]), AFTER, q=query,
                              inactive="1" if show_inactive else ""),
        "show_inactive": show_inactive, "can_edit": can_edit, "has_active_flag": directory.has_active_flag,
        "import_url": (reverse(directory.import_view) if directory.import_view and is_administrator(request.user)
                       else ""),
    }
    if htmx_target(request) in ("dir-rows", "dir-more"):
        return render(request, "directories/partials/list_rows.html", context)
    return render(request, "directories/list.html", context)


@directory_view()
@require_GET
def pick(request: HttpRequest, directory: Directory) -> HttpResponse:
    # The chosen values of the fields that narrow this picker (a city's region), sent by picker.js from the form.
    narrow = {param: value for param, _field in directory.narrow
              if (value := id_param(request.GET.get(param, ""))) is not None}
    items = selectors.directory_pick(directory=directory, fetched_by=request.user, query=request.GET.get("q", ""),
                                     narrow=narrow)
    rows = [{"pk": item.pk, "name": str(item), "detail": directory.detail_of(item), "text": directory.text_of(item),
             "sets": json.dumps(directory.sets_of(item), ensure_ascii=False)} for item in items]
    return render(request, "directories/partials/pick_list.html", {"items": rows, "directory": directory})


@directory_view(edit=True)
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, directory: Directory) -> HttpResponse:
    return _card(request, directory, item=None)


@directory_view(edit=True)
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, directory: Directory, pk: int) -> HttpResponse:
    item = selectors.access_directory_item(directory=directory, fetched_by=request.user, pk=pk)
    return _card(request, directory, item=item)


def _card(request: HttpRequest, directory: Directory, *, item: Any) -> HttpResponse:
    in_modal = is_htmx(request)
    initial = None
    if item is None and request.method == "GET" and "name" in directory.fields and request.GET.get("name"):
        initial = {"name": request.GET["name"]}  # the text typed in the picker before "+"
    form = directory_form(directory, request.POST or None, instance=item, initial=initial)
    allow_picker_editing(form, request.user)

    def done(saved: Any) -> HttpResponse | str:
        if in_modal:
            # The picker that opened the modal selects the saved item; nothing to swap.
            response = HttpResponse(status=204)
            response["HX-Trigger"] = json.dumps({SAVED_EVENT: {
                "key": directory.key, "pk": saved.pk, "text": directory.text_of(saved),
                **({"sets": sets} if (sets := directory.sets_of(saved)) else {}),
            }})
            return response
        messages.success(request, gettext("“%(name)s” saved.") % {"name": inner_quotes(saved)})
        return ok_or_apply(request, ok=reverse("directories:list", args=[directory.key]),
                           apply=reverse("directories:edit", args=[directory.key, saved.pk]))

    if item is None:
        action = reverse("directories:new", args=[directory.key])
    else:
        action = reverse("directories:edit", args=[directory.key, item.pk])
    context = {
        "directory": directory, "form": form, "item": item, "action": action, "in_modal": in_modal,
        "list_url": reverse("directories:list", args=[directory.key]), "can_delete": item is not None,
        "show_apply": not in_modal,
    }
    return submit(
        request, form, lambda: services.directory_item_save(
            acting_user=user_of(request), directory=directory, pk=item.pk if item else None, data=form.cleaned_data
        ),
        done=done, page=lambda: modal(request, "directories/partials/card_form.html", context,
                                      page="core/ui/modal_page.html"),
    )


@directory_view(edit=True)
@require_POST
def item_delete(request: HttpRequest, directory: Directory, pk: int) -> HttpResponse:
    item = selectors.access_directory_item(directory=directory, fetched_by=request.user, pk=pk)
    try:
        services.directory_item_delete(acting_user=user_of(request), directory=directory, pk=item.pk)
    except Refused as exc:
        context = {
            "directory": directory, "item": item, "usages": selectors.item_usages(item), "message": exc.message,
            "can_deactivate": directory.has_active_flag and getattr(item, "is_active", False),
            "card_url": reverse("directories:edit", args=[directory.key, item.pk]),
            "list_url": reverse("directories:list", args=[directory.key]),
        }
        return render(request, "directories/in_use.html", context, status=409)
    messages.success(request, gettext("“%(name)s” deleted.") % {"name": inner_quotes(item)})
    return HttpResponseRedirect(reverse("directories:list", args=[directory.key]))


@directory_view(edit=True)
@require_POST
def item_deactivate(request: HttpRequest, directory: Directory, pk: int) -> HttpResponse:
    if not directory.has_active_flag:
        raise Http404
    item = selectors.access_directory_item(directory=directory, fetched_by=request.user, pk=pk)
    services.directory_item_set_active(acting_user=user_of(request), directory=directory, pk=item.pk, active=False)
    messages.success(request, gettext("“%(name)s” is now inactive: kept where used, not offered any more.")
                     % {"name": inner_quotes(item)})
    return HttpResponseRedirect(reverse("directories:list", args=[directory.key]))
