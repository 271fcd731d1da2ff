"""The card's Files tab (FIL-01 … FIL-04): folders of any depth and the files attached to a client.

Callers obtain the client through `clients.access.access_client`; writes check `access.can_edit` again
so no path reaches storage without it. Stored names are uuids (see `models._client_file_path`): the
user's name is only a label, so no name can escape the client's folder.
"""

from __future__ import annotations

import mimetypes
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from kontora.clients import access, history
from kontora.clients.models import Client, ClientFile, ClientFolder

NAME_MAX = 255


def max_upload_bytes() -> int:
    return int(settings.FILE_UPLOAD_MAX_BYTES)


def clean_name(raw: str, *, field_name: str = "name") -> str:
    """The shown name: path components stripped; empty, "." / ".." and control characters refused."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in name):
        raise ValidationError({field_name: _("The name must not contain control characters.")})
    if name in ("", ".", ".."):
        raise ValidationError({field_name: _("Enter a name.")})
    if len(name) > NAME_MAX:
        raise ValidationError({field_name: _("The name is too long (at most 255 characters).")})
    return name


def too_large_message() -> str:
    return _("The file is too large: at most %(size)s MB may be attached.") % {
        "size": max_upload_bytes() // (1024 * 1024)}


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


def _require_edit(user: Any, client: Client) -> None:
    if not access.can_edit(user, client):
        raise PermissionDenied


def _refresh_has_files(client: Client) -> None:
    # update() keeps the card's "changed" stamp: attaching a file is not a change of the card.
    has = ClientFile.objects.filter(client=client).exists()
    Client.objects.filter(pk=client.pk).update(has_files=has)
    client.has_files = has


def _delete_stored_after_commit(names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


def _check_folder(client: Client, folder: ClientFolder | None) -> None:
    if folder is not None and folder.client_id != client.pk:
        raise ValidationError({"folder": _("The folder belongs to another client.")})


# ---- folders ----

def folder_create(*, acting_user: Any, client: Client, parent: ClientFolder | None, name: str) -> ClientFolder:
    _require_edit(acting_user, client)
    clean = clean_name(name)
    _check_folder(client, parent)
    with transaction.atomic():
        return ClientFolder.objects.create(client=client, parent=parent, name=clean)


def folder_rename(*, acting_user: Any, folder: ClientFolder, name: str) -> ClientFolder:
    _require_edit(acting_user, folder.client)
    folder.name = clean_name(name)
    with transaction.atomic():
        folder.save(update_fields=["name"])
    return folder


def folder_move(*, acting_user: Any, folder: ClientFolder, parent: ClientFolder | None) -> ClientFolder:
    """Moves the folder with everything in it; never into itself or one of its own subfolders."""
    _require_edit(acting_user, folder.client)
    _check_folder(folder.client, parent)
    with transaction.atomic():
        if parent is not None and parent.pk in subtree_ids(folder):
            raise ValidationError({"target": _("A folder cannot be moved into itself or its own subfolder.")})
        folder.parent = parent
        folder.save(update_fields=["parent"])
    return folder


def folder_delete(*, acting_user: Any, folder: ClientFolder) -> None:
    """Deletes the folder with its subfolders and files; their contents leave storage after commit."""
    client = folder.client
    _require_edit(acting_user, client)
    with transaction.atomic():
        ids = subtree_ids(folder)
        stored = list(ClientFile.objects.filter(folder_id__in=ids).values_list("content", flat=True))
        history.record(client=client, user=acting_user, action=_("Folder deleted with %(count)s files: %(name)s")
                       % {"count": len(stored), "name": folder.name})
        ClientFile.objects.filter(folder_id__in=ids).delete()
        ClientFolder.objects.filter(pk__in=ids).delete()
        _refresh_has_files(client)
        _delete_stored_after_commit(stored)


def subtree_ids(folder: ClientFolder) -> list[int]:
    ids, level = [folder.pk], [folder.pk]
    while level:
        level = list(ClientFolder.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        ids.extend(level)
    return ids


# ---- files ----

def file_upload(*, acting_user: Any, client: Client, folder: ClientFolder | None, upload: UploadedFile) -> ClientFile:
    _require_edit(acting_user, client)
    _check_folder(client, folder)
    limit = max_upload_bytes()
    if (upload.size or 0) > limit:
        raise ValidationError({"file": too_large_message()})
    name = clean_name(upload.name or "", field_name="file")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    attached = ClientFile(client=client, folder=folder, name=name, size=upload.size or 0,
                          content_type=content_type, uploaded_by=acting_user)
    # Storage is written before the row; if the row fails, the orphan content is removed at once.
    attached.content.save(name, upload, save=False)
    try:
        with transaction.atomic():
            attached.save()
            _refresh_has_files(client)
            history.record(client=client, user=acting_user,
                           action=_("File attached: %(name)s") % {"name": attached.name})
    except BaseException:
        default_storage.delete(str(attached.content.name))
        raise
    return attached


def file_rename(*, acting_user: Any, attached: ClientFile, name: str) -> ClientFile:
    _require_edit(acting_user, attached.client)
    old = attached.name
    attached.name = clean_name(name)
    with transaction.atomic():
        attached.save(update_fields=["name", "changed_at"])
        if old != attached.name:
            history.record(client=attached.client, user=acting_user, action=_("File renamed"),
                           details=[{"field": _("File name"), "old": old, "new": attached.name}])
    return attached


def file_move(*, acting_user: Any, attached: ClientFile, folder: ClientFolder | None) -> ClientFile:
    _require_edit(acting_user, attached.client)
    _check_folder(attached.client, folder)
    attached.folder = folder
    with transaction.atomic():
        attached.save(update_fields=["folder", "changed_at"])
    return attached


def file_delete(*, acting_user: Any, attached: ClientFile) -> None:
    client = attached.client
    _require_edit(acting_user, client)
    with transaction.atomic():
        stored = str(attached.content.name)
        history.record(client=client, user=acting_user,
                       action=_("File deleted: %(name)s") % {"name": attached.name})
        attached.delete()
        _refresh_has_files(client)
        _delete_stored_after_commit([stored])


# ---- selectors ----

@dataclass
class FolderNode:
    folder: ClientFolder
    depth: int

    @property
    def indent(self) -> str:
        return "\u00a0\u00a0\u00a0" * self.depth


def folder_tree(client: Client) -> list[FolderNode]:
    """All the client's folders as a depth-first list (one query), for the tree and the move picker."""
    by_parent: dict[int | None, list[ClientFolder]] = {}
    for folder in ClientFolder.objects.filter(client=client).order_by("name", "id"):
        by_parent.setdefault(folder.parent_id, []).append(folder)
    flat: list[FolderNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for folder in by_parent.get(parent, []):
            flat.append(FolderNode(folder, depth))
            walk(folder.pk, depth + 1)

    walk(None, 0)
    return flat


def folder_path(folder: ClientFolder | None) -> list[ClientFolder]:
    path: list[ClientFolder] = []
    while folder is not None:
        path.insert(0, folder)
        folder = folder.parent
    return path


def folder_contents(client: Client, folder: ClientFolder | None) -> tuple[list[ClientFolder], list[ClientFile]]:
    folders = list(ClientFolder.objects.filter(client=client, parent=folder))
    files = list(ClientFile.objects.filter(client=client, folder=folder).select_related("uploaded_by"))
    return folders, files


def files_total(client: Client) -> tuple[int, int]:
    """(number of files, bytes) of all the client's attachments (Ctrl+I)."""
    totals = ClientFile.objects.filter(client=client).aggregate(count=Count("id"), size=Sum("size"))
    return int(totals["count"] or 0), int(totals["size"] or 0)


def folder_totals(folder: ClientFolder) -> tuple[int, int]:
    totals = ClientFile.objects.filter(folder_id__in=subtree_ids(folder)).aggregate(count=Count("id"), size=Sum("size"))
    return int(totals["count"] or 0), int(totals["size"] or 0)
