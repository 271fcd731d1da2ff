"""Directories → Nomenclature: the folder tree, the items of a folder, the item card, folder and move dialogs.

Everyone signed in views; changes need the "edit_nomenclature" right (403 without it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.core.errors import Refused
from kontora.core.htmx import go
from kontora.core.permissions import right_required
from kontora.core.text import id_param
from kontora.core.ui.pager import AFTER
from kontora.core.ui.submit import act, ok_or_apply, submit
from kontora.directories.forms.widgets import allow_picker_editing
from kontora.directories.models import NomenclatureFolder, NomenclatureItem
from kontora.directories.nomenclature import selectors, services
from kontora.directories.nomenclature.forms import FolderForm, ItemForm
from kontora.directories.policies import NOMENCLATURE_RIGHT as RIGHT
from kontora.directories.policies import can_edit_nomenclature


def _tree_url(folder_id: int | None = None, **extra: Any) -> str:
    query = {"folder": folder_id} if folder_id else {}
    query.update({key: value for key, value in extra.items() if value})
    url = reverse("nomenclature:tree")
    return f"{url}?{urlencode(query)}" if query else url


def _folder_or_none(request: HttpRequest, value: str | None) -> NomenclatureFolder | None:
    folder_id = id_param(value)
    return selectors.access_folder(user_of(request), folder_id) if folder_id else None


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    folder = _folder_or_none(request, request.GET.get("folder"))
    query = request.GET.get("q", "").strip()
    ancestors = selectors.folder_ancestors(fetched_by=user_of(request), folder=folder) if folder else []
    # The branch down to the open folder is drawn expanded; every other branch loads when expanded.
    levels: dict[int | None, list[NomenclatureFolder]] = {
        None: selectors.folder_children(fetched_by=user_of(request), parent_id=None),
    }
    for ancestor in ancestors:
        levels[ancestor.pk] = selectors.folder_children(fetched_by=user_of(request), parent_id=ancestor.pk)
    for level in levels.values():
        for node in level:
            # the level below, for the template; None: not loaded yet
            node.kids = levels.get(node.pk)  # type: ignore[attr-defined]
    if query:
        page = selectors.item_search(fetched_by=user_of(request), query=query)
    else:
        page = selectors.folder_items(fetched_by=user_of(request), folder_id=folder.pk if folder else None)
    return render(request, "directories/nomenclature/tree.html", {
        "folder": folder, "ancestors": ancestors, "top": levels[None],
        "query": query, "page": page, "can_edit": can_edit_nomenclature(user_of(request)),
        "more_url": _more_url(folder, query, page),
    })


def _more_url(folder: NomenclatureFolder | None, query: str, page: selectors.ItemPage) -> str:
    where = {"q": query} if query else {"folder": folder.pk if folder else None}
    return page.link(reverse("nomenclature:items"), AFTER, **where)


@login_required
@require_GET
def children(request: HttpRequest, folder_id: int) -> HttpResponse:
    """One level of the tree for the lazy expander; `pick=1` draws it with radio buttons for the move dialog."""
    folder = selectors.access_folder(user_of(request), folder_id)
    return render(request, "directories/nomenclature/partials/tree_level.html", {
        "folders": selectors.folder_children(fetched_by=user_of(request), parent_id=folder.pk),
        "pick": request.GET.get("pick") == "1", "exclude": id_param(request.GET.get("exclude")),
    })


@login_required
@require_GET
def items(request: HttpRequest) -> HttpResponse:
    """The next keyset page of the list: rows plus a new "more" row."""
    folder = _folder_or_none(request, request.GET.get("folder"))
    query = request.GET.get("q", "").strip()
    if query:
        page = selectors.item_search(fetched_by=user_of(request), query=query, cursor=request.GET)
    else:
        page = selectors.folder_items(fetched_by=user_of(request), folder_id=folder.pk if folder else None,
                                      cursor=request.GET)
    return render(request, "directories/nomenclature/partials/item_rows.html", {
        "page": page, "can_edit": can_edit_nomenclature(user_of(request)),
        "more_url": _more_url(folder, query, page), "query": query,
    })


@login_required
@right_required(RIGHT)
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest) -> HttpResponse:
    folder = _folder_or_none(request, request.GET.get("folder") or request.POST.get("folder"))
    form = ItemForm(request.POST or None, initial=ItemForm.initial_new())
    allow_picker_editing(form, user_of(request))

    def page() -> HttpResponse:
        ancestors = selectors.folder_ancestors(fetched_by=user_of(request), folder=folder) if folder else []
        return render(request, "directories/nomenclature/item.html", {
            "form": form, "item": None, "folder": folder, "ancestors": ancestors, "can_edit": True,
            "back_url": _tree_url(folder.pk if folder else None),
        })

    return submit(
        request, form, lambda: services.nomenclature_item_create(
            acting_user=user_of(request), folder_id=folder.pk if folder else None, data=form.item_data()
        ),
        message=lambda item: gettext("Item “%(name)s” added, code %(code)s.") % {"name": item.name, "code": item.code},
        done=lambda item: _saved_item(request, item), page=page,
    )


def _saved_item(request: HttpRequest, item: NomenclatureItem) -> str:
    return ok_or_apply(request, ok=_tree_url(item.folder_id), apply=reverse("nomenclature:item", args=[item.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def item_card(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.access_item(user_of(request), item_id)
    can_edit = can_edit_nomenclature(user_of(request))
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = ItemForm(request.POST or None, initial=ItemForm.initial_of(item), read_only=not can_edit)
    allow_picker_editing(form, user_of(request))

    def page() -> HttpResponse:
        folder = item.folder
        ancestors = selectors.folder_ancestors(fetched_by=user_of(request), folder=folder) if folder else []
        return render(request, "directories/nomenclature/item.html", {
            "form": form, "item": item, "folder": folder, "ancestors": ancestors, "can_edit": can_edit,
            "back_url": _tree_url(item.folder_id),
        })

    return submit(
        request, form, lambda: services.nomenclature_item_update(
            acting_user=user_of(request), item_id=item.pk, data=form.item_data(),
        ),
        message=lambda saved: gettext("Item “%(name)s” saved.") % {"name": saved.name},
        done=lambda saved: _saved_item(request, saved), page=page,
    )


def _modal(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A dialog's body; its form posts back into the same modal, so errors show in place."""
    return render(request, f"directories/nomenclature/partials/{template}", context)


@login_required
@right_required(RIGHT)
@require_http_methods(["GET", "POST"])
def folder_new(request: HttpRequest) -> HttpResponse:
    parent = _folder_or_none(request, request.GET.get("parent") or request.POST.get("parent"))
    form = FolderForm(request.POST or None)
    return submit(
        request, form, lambda: services.nomenclature_folder_create(
            acting_user=user_of(request), parent_id=parent.pk if parent else None, name=form.cleaned_data["name"],
            price_list_order=form.cleaned_data["price_list_order"],
        ),
        message=lambda folder: gettext("Folder “%(name)s” created.") % {"name": folder.name},
        # The new folder appears beside the others of the level, which stays open: the next «New folder» creates
        # a sibling, not a folder inside the new one (as in a file manager).
        done=lambda folder: _tree_url(parent.pk if parent else None),
        page=lambda: _modal(request, "folder_form.html", {
            "form": form, "folder": None, "parent": parent, "action": reverse("nomenclature:folder_new"),
        }),
    )


@login_required
@right_required(RIGHT)
@require_http_methods(["GET", "POST"])
def folder_edit(request: HttpRequest, folder_id: int) -> HttpResponse:
    folder = selectors.access_folder(user_of(request), folder_id)
    form = FolderForm(request.POST or None, initial={"name": folder.name, "price_list_order": folder.price_list_order})
    return submit(
        request, form, lambda: services.nomenclature_folder_rename(
            acting_user=user_of(request), folder_id=folder.pk, name=form.cleaned_data["name"],
            price_list_order=form.cleaned_data["price_list_order"],
        ),
        message=lambda saved: gettext("Folder “%(name)s” saved.") % {"name": saved.name},
        done=lambda saved: _tree_url(saved.pk),
        page=lambda: _modal(request, "folder_form.html", {
            "form": form, "folder": folder, "parent": folder.parent,
            "action": reverse("nomenclature:folder_edit", args=[folder.pk]),
        }),
    )


@login_required
@right_required(RIGHT)
@require_POST
def folder_delete(request: HttpRequest, folder_id: int) -> HttpResponse:
    folder = selectors.access_folder(user_of(request), folder_id)
    return act(request, lambda: services.nomenclature_folder_delete(acting_user=user_of(request), folder_id=folder.pk),
               done=_tree_url(folder.parent_id), refused=_tree_url(folder.pk),
               message=gettext("Folder “%(name)s” deleted.") % {"name": folder.name})


def _target(request: HttpRequest) -> tuple[bool, int | None]:
    """The folder chosen in the move dialog: "0" is the top level; nothing chosen → (False, None)."""
    raw = request.POST.get("target", "")
    if raw == "0":
        return True, None
    target_id = id_param(raw)
    if target_id is None:
        return False, None
    return True, selectors.access_folder(user_of(request), target_id).pk


def _move_dialog(request: HttpRequest, context: dict[str, Any], *, error: str = "") -> HttpResponse:
    context.update({
        "folders": selectors.folder_children(fetched_by=user_of(request), parent_id=None), "pick": True, "error": error,
    })
    return _modal(request, "move_form.html", context)


def _move(request: HttpRequest, context: dict[str, Any],
          move: Callable[[int | None], tuple[str, str]]) -> HttpResponse:
    """The move dialog: drawn on GET; on POST the folder chosen goes to `move(target_id)`, which answers (message,
    where to go); nothing chosen or a refusal draws the dialog again with the reason."""
    if request.method == "GET":
        return _move_dialog(request, context)
    chosen, target_id = _target(request)
    if not chosen:
        return _move_dialog(request, context, error=gettext("Choose the folder to move to."))
    try:
        message, url = move(target_id)
    except Refused as exc:
        return _move_dialog(request, context, error=exc.message)
    messages.success(request, message)
    return go(request, url)


@login_required
@right_required(RIGHT)
@require_http_methods(["GET", "POST"])
def folder_move(request: HttpRequest, folder_id: int) -> HttpResponse:
    folder = selectors.access_folder(user_of(request), folder_id)
    context: dict[str, Any] = {
        "title": gettext("Move the folder “%(name)s”") % {"name": folder.name},
        "action": reverse("nomenclature:folder_move", args=[folder.pk]), "exclude": folder.pk, "item_ids": [],
    }
    def move(target_id: int | None) -> tuple[str, str]:
        services.nomenclature_folder_move(acting_user=user_of(request), folder_id=folder.pk, parent_id=target_id)
        return gettext("Folder “%(name)s” moved.") % {"name": folder.name}, _tree_url(folder.pk)

    return _move(request, context, move)


@login_required
@right_required(RIGHT)
@require_http_methods(["GET", "POST"])
def items_move(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    item_ids = sorted({number for number in (id_param(raw) for raw in source.getlist("item")) if number})
    context: dict[str, Any] = {
        "title": gettext("Move the marked items"), "action": reverse("nomenclature:items_move"),
        "exclude": None, "item_ids": item_ids,
    }
    if not item_ids:
        return _move_dialog(request, context, error=gettext("Mark the items to move first (Space or the check boxes)."))
    def move(target_id: int | None) -> tuple[str, str]:
        moved = services.nomenclature_items_move(acting_user=user_of(request), item_ids=item_ids, folder_id=target_id)
        return gettext("Items moved: %(count)s.") % {"count": moved}, _tree_url(target_id)

    return _move(request, context, move)
