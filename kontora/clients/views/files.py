"""The card's Files tab (FIL-01 … FIL-04): an htmx panel inside the card; every change re-renders it.

The upload's size limit is enforced while the body streams (`LimitedUploadHandler`), before a view reads it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.clients import policies
from kontora.clients.models import Client, ClientFile, ClientFolder
from kontora.clients.selectors import files as selectors
from kontora.clients.services import files as services
from kontora.core.text import id_param
from kontora.core.ui.download import stored_attachment


class LimitedUploadHandler(FileUploadHandler):
    """Stops an upload as soon as it passes the limit — by its declared length before a byte is read, else
    while it streams — so an oversize file never fills the temporary directory.

    Sets `request.upload_too_large` for the view; the handlers after it never see the refused bytes.
    """

    # Room for the multipart boundaries and the other fields of the form.
    OVERHEAD = 64 * 1024

    def __init__(self, request: Any, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.declared_too_large = False
        request.upload_too_large = False

    def _refuse(self) -> None:
        self.request.upload_too_large = True  # type: ignore[union-attr]
        raise StopUpload(connection_reset=True)

    def handle_raw_input(self, input_data: Any, META: Any, content_length: int, boundary: Any,
                         encoding: Any = None) -> None:
        # Refused at the file's first byte (raising here would escape the parser's StopUpload handling).
        self.declared_too_large = bool(content_length and content_length > self.limit + self.OVERHEAD)

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.declared_too_large:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _client(request: HttpRequest, client_id: int, *, edit: bool = False) -> Client:
    client = policies.clients.get(request.user, client_id)
    if edit and not policies.files.can(request.user, "change", client):
        raise PermissionDenied
    return client


def _folder(request: HttpRequest, client: Client, raw: str | None) -> ClientFolder | None:
    folder_pk = id_param(raw)
    if folder_pk is None:
        return None
    return policies.folders.get(request.user, folder_pk, client=client)


def _errors(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {key: " ".join(str(m) for e in errs for m in e.messages) for key, errs in exc.error_dict.items()}
    return {"__all__": " ".join(exc.messages)}


def _panel(request: HttpRequest, client: Client, folder: ClientFolder | None,
           errors: dict[str, str] | None = None) -> HttpResponse:
    folders, files = selectors.folder_contents(client, folder)
    context: dict[str, Any] = {
        "client": client, "folder": folder, "path": selectors.folder_path(folder),
        "tree": selectors.folder_tree(client), "subfolders": folders, "files": files,
        "can_edit": policies.files.can(request.user, "change", client), "errors": errors or {},
        "max_mb": services.max_upload_bytes() // (1024 * 1024),
    }
    # Errors come back with 200: htmx swaps only successful responses, and they belong next to the field.
    # Drawn without the request, as every pane of the card: a fragment needs none of the page's context.
    return HttpResponse(render_to_string("clients/partials/files_panel.html", context))


@login_required
@require_GET
def files_panel(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    return _panel(request, client, _folder(request, client, request.GET.get("folder")))


@csrf_exempt  # only so the size limit is installed before the body is read; csrf_protect below checks it
@login_required
@require_POST
def file_upload(request: HttpRequest, client_id: int) -> HttpResponse:
    request.upload_handlers.insert(0, LimitedUploadHandler(request, services.max_upload_bytes()))
    return _file_upload(request, client_id)


@csrf_protect
def _file_upload(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    folder = _folder(request, client, request.POST.get("folder"))
    if getattr(request, "upload_too_large", False):
        return _panel(request, client, folder, {"file": services.too_large_message()})
    upload = request.FILES.get("file")
    if upload is None:
        return _panel(request, client, folder, {"file": gettext("Choose a file.")})
    try:
        services.file_upload(acting_user=user_of(request), client=client, folder=folder, upload=upload)
    except ValidationError as exc:
        return _panel(request, client, folder, _errors(exc))
    return _panel(request, client, folder)


@login_required
@require_POST
def folder_create(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    parent = _folder(request, client, request.POST.get("folder"))
    try:
        services.folder_create(acting_user=user_of(request), client=client, parent=parent,
                                   name=request.POST.get("name", ""))
    except ValidationError as exc:
        return _panel(request, client, parent, {"folder_" + k: v for k, v in _errors(exc).items()})
    return _panel(request, client, parent)


@login_required
@require_GET
def file_download(request: HttpRequest, client_id: int, file_id: int) -> FileResponse:
    client = _client(request, client_id)
    attached = policies.files.get(request.user, file_id, client=client)
    return stored_attachment(str(attached.content.name), attached.name)


@login_required
@require_GET
def file_properties(request: HttpRequest, client_id: int, file_id: int) -> HttpResponse:
    client = _client(request, client_id)
    attached = policies.files.get(request.user, file_id, client=client)
    return render(request, "clients/partials/files_properties.html", {
        "client": client, "file": attached, "tree": selectors.folder_tree(client),
        "can_edit": policies.files.can(request.user, "change", client),
    })


@login_required
@require_GET
def folder_properties(request: HttpRequest, client_id: int, folder_id: int) -> HttpResponse:
    client = _client(request, client_id)
    folder = policies.folders.get(request.user, folder_id, client=client)
    count, size = selectors.folder_totals(folder)
    inside = set(selectors.subtree_ids(folder))
    return render(request, "clients/partials/files_properties.html", {
        "client": client, "folder_item": folder, "count": count, "size": size,
        "tree": [node for node in selectors.folder_tree(client) if node.folder.pk not in inside],
        "can_edit": policies.files.can(request.user, "change", client),
    })


@login_required
@require_http_methods(["GET", "POST"])
def file_rename(request: HttpRequest, client_id: int, file_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    attached = policies.files.get(request.user, file_id, client=client)
    return _rename(request, client, attached, attached.folder)


@login_required
@require_http_methods(["GET", "POST"])
def folder_rename(request: HttpRequest, client_id: int, folder_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    folder = policies.folders.get(request.user, folder_id, client=client)
    return _rename(request, client, folder, folder.parent)


def _rename(request: HttpRequest, client: Client, item: ClientFile | ClientFolder,
            shown: ClientFolder | None) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            if isinstance(item, ClientFile):
                services.file_rename(acting_user=user_of(request), attached=item, name=request.POST.get("name", ""))
            else:
                services.folder_rename(acting_user=user_of(request), folder=item, name=request.POST.get("name", ""))
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
    attached = policies.files.get(request.user, file_id, client=client)
    target = _folder(request, client, request.POST.get("target"))
    services.file_move(acting_user=user_of(request), attached=attached, folder=target)
    return _panel(request, client, target)


@login_required
@require_POST
def folder_move(request: HttpRequest, client_id: int, folder_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    folder = policies.folders.get(request.user, folder_id, client=client)
    target = _folder(request, client, request.POST.get("target"))
    try:
        services.folder_move(acting_user=user_of(request), folder=folder, parent=target)
    except ValidationError as exc:
        return _panel(request, client, folder.parent, _errors(exc))
    return _panel(request, client, target)


@login_required
@require_POST
def file_delete(request: HttpRequest, client_id: int, file_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    attached = policies.files.get(request.user, file_id, client=client)
    shown = attached.folder
    services.file_delete(acting_user=user_of(request), attached=attached)
    return _panel(request, client, shown)


@login_required
@require_POST
def folder_delete(request: HttpRequest, client_id: int, folder_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    folder = policies.folders.get(request.user, folder_id, client=client)
    parent = folder.parent
    services.folder_delete(acting_user=user_of(request), folder=folder)
    return _panel(request, client, parent)


def total_text(count: int, size: int) -> str:
    # In the unit that fits (293 KB, not «0,2 MB»), as the files' own sizes are shown.
    return ngettext("Total %(count)s file, %(size)s", "Total %(count)s files, %(size)s", count) % {
        "count": count, "size": filesizeformat(size),
    }


@login_required
@require_GET
def files_total(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    count, size = selectors.files_total(client)
    return render(request, "clients/partials/files_total.html", {"text": total_text(count, size)})
