"""The card's Files tab (FIL-01 … FIL-04): an htmx panel inside the card; every change re-renders it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.clients import access
from kontora.clients import files as client_files
from kontora.clients.models import Client, ClientFile, ClientFolder


def _client(request: HttpRequest, client_id: int, *, edit: bool = False) -> Client:
    client = access.access_client(request.user, client_id)
    if edit and not access.can_edit(request.user, client):
        raise PermissionDenied
    return client


def _folder(client: Client, raw: str | None) -> ClientFolder | None:
    if not raw or not str(raw).isdigit():
        return None
    return get_object_or_404(ClientFolder, pk=int(raw), client=client)


def _errors(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {key: " ".join(str(m) for e in errs for m in e.messages) for key, errs in exc.error_dict.items()}
    return {"__all__": " ".join(exc.messages)}


def _panel(request: HttpRequest, client: Client, folder: ClientFolder | None,
           errors: dict[str, str] | None = None) -> HttpResponse:
    folders, files = client_files.folder_contents(client, folder)
    context: dict[str, Any] = {
        "client": client, "folder": folder, "path": client_files.folder_path(folder),
        "tree": client_files.folder_tree(client), "subfolders": folders, "files": files,
        "can_edit": access.can_edit(request.user, client), "errors": errors or {},
        "max_mb": client_files.max_upload_bytes() // (1024 * 1024),
    }
    # Errors come back with 200: htmx swaps only successful responses, and they belong next to the field.
    return render(request, "clients/partials/files_panel.html", context)


@login_required
@require_GET
def files_panel(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    return _panel(request, client, _folder(client, request.GET.get("folder")))


@csrf_exempt  # only so the size limit is installed before the body is read; csrf_protect below checks it
@login_required
@require_POST
def file_upload(request: HttpRequest, client_id: int) -> HttpResponse:
    request.upload_handlers.insert(0, client_files.LimitedUploadHandler(request, client_files.max_upload_bytes()))
    return _file_upload(request, client_id)


@csrf_protect
def _file_upload(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    folder = _folder(client, request.POST.get("folder"))
    if getattr(request, "upload_too_large", False):
        return _panel(request, client, folder, {"file": client_files.too_large_message()})
    upload = request.FILES.get("file")
    if upload is None:
        return _panel(request, client, folder, {"file": gettext("Choose a file.")})
    try:
        client_files.file_upload(acting_user=request.user, client=client, folder=folder, upload=upload)
    except ValidationError as exc:
        return _panel(request, client, folder, _errors(exc))
    return _panel(request, client, folder)


@login_required
@require_POST
def folder_create(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    parent = _folder(client, request.POST.get("folder"))
    try:
        client_files.folder_create(acting_user=request.user, client=client, parent=parent,
                                   name=request.POST.get("name", ""))
    except ValidationError as exc:
        return _panel(request, client, parent, {"folder_" + k: v for k, v in _errors(exc).items()})
    return _panel(request, client, parent)


@login_required
@require_GET
def file_download(request: HttpRequest, client_id: int, file_id: int) -> FileResponse:
    client = _client(request, client_id)
    attached = get_object_or_404(ClientFile, pk=file_id, client=client)
    # Always an attachment of an opaque type: an uploaded page or script never runs in our origin.
    response = FileResponse(attached.content.open("rb"), as_attachment=True, filename=attached.name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def file_properties(request: HttpRequest, client_id: int, file_id: int) -> HttpResponse:
    client = _client(request, client_id)
    attached = get_object_or_404(ClientFile.objects.select_related("uploaded_by", "folder"), pk=file_id, client=client)
    return render(request, "clients/partials/files_properties.html", {
        "client": client, "file": attached, "tree": client_files.folder_tree(client),
        "can_edit": access.can_edit(request.user, client),
    })


@login_required
@require_GET
def folder_properties(request: HttpRequest, client_id: int, folder_id: int) -> HttpResponse:
    client = _client(request, client_id)
    folder = get_object_or_404(ClientFolder, pk=folder_id, client=client)
    count, size = client_files.folder_totals(folder)
    inside = set(client_files.subtree_ids(folder))
    return render(request, "clients/partials/files_properties.html", {
        "client": client, "folder_item": folder, "count": count, "size": size,
        "tree": [node for node in client_files.folder_tree(client) if node.folder.pk not in inside],
        "can_edit": access.can_edit(request.user, client),
    })


@login_required
@require_http_methods(["GET", "POST"])
def file_rename(request: HttpRequest, client_id: int, file_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    attached = get_object_or_404(ClientFile, pk=file_id, client=client)
    return _rename(request, client, attached, attached.folder)


@login_required
@require_http_methods(["GET", "POST"])
def folder_rename(request: HttpRequest, client_id: int, folder_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    folder = get_object_or_404(ClientFolder, pk=folder_id, client=client)
    return _rename(request, client, folder, folder.parent)


def _rename(request: HttpRequest, client: Client, item: ClientFile | ClientFolder,
            shown: ClientFolder | None) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            if isinstance(item, ClientFile):
                client_files.file_rename(acting_user=request.user, attached=item, name=request.POST.get("name", ""))
            else:
                client_files.folder_rename(acting_user=request.user, folder=item, name=request.POST.get("name", ""))
        except ValidationError as exc:
            error = " ".join(_errors(exc).values())
        else:
            return _panel(request, client, shown)
    return render(request, "clients/partials/files_rename.html", {
        "client": client, "item": item, "is_file": isinstance(item, ClientFile), "error": error,
        "value": request.POST.get("name", item.name),
    })


@login_required
@require_POST
def file_move(request: HttpRequest, client_id: int, file_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    attached = get_object_or_404(ClientFile, pk=file_id, client=client)
    target = _folder(client, request.POST.get("target"))
    client_files.file_move(acting_user=request.user, attached=attached, folder=target)
    return _panel(request, client, target)


@login_required
@require_POST
def folder_move(request: HttpRequest, client_id: int, folder_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    folder = get_object_or_404(ClientFolder, pk=folder_id, client=client)
    target = _folder(client, request.POST.get("target"))
    try:
        client_files.folder_move(acting_user=request.user, folder=folder, parent=target)
    except ValidationError as exc:
        return _panel(request, client, folder.parent, _errors(exc))
    return _panel(request, client, target)


@login_required
@require_POST
def file_delete(request: HttpRequest, client_id: int, file_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    attached = get_object_or_404(ClientFile, pk=file_id, client=client)
    shown = attached.folder
    client_files.file_delete(acting_user=request.user, attached=attached)
    return _panel(request, client, shown)


@login_required
@require_POST
def folder_delete(request: HttpRequest, client_id: int, folder_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    folder = get_object_or_404(ClientFolder, pk=folder_id, client=client)
    parent = folder.parent
    client_files.folder_delete(acting_user=request.user, folder=folder)
    return _panel(request, client, parent)


def total_text(count: int, size: int) -> str:
    megabytes = number_format(size / (1024 * 1024), 1)
    return ngettext("Total %(count)s file, %(size)s MB", "Total %(count)s files, %(size)s MB", count) % {
        "count": count, "size": megabytes,
    }


@login_required
@require_GET
def files_total(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    count, size = client_files.files_total(client)
    return render(request, "clients/partials/files_total.html", {"text": total_text(count, size)})
