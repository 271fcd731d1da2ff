"""The card's Files tab (FIL-01 … FIL-04): writes of folders of any depth and of the files attached to a client
(reads: selectors.files; the upload size limit while the body streams: views.files).

Callers obtain the client through `policies.clients.get`; writes check `policies.files.can` again
so no path reaches storage without it. Stored names are uuids (see `models._client_file_path`): the
user's name is only a label, so no name can escape the client's folder.
"""

from __future__ import annotations

import mimetypes
import unicodedata
from contextlib import suppress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients import policies
from kontora.clients.models import Client, ClientFile, ClientFolder
from kontora.clients.selectors.files import subtree_ids
from kontora.core.audit import audit_record, model_update
from kontora.core.errors import NotAllowed
from kontora.core.services.storage import stored_delete, stored_delete_later

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


def _require_edit(user: User, client: Client) -> None:
    if not policies.files.can(user, "change", client):
        raise NotAllowed


def _refresh_has_files(client: Client) -> None:
    # update() keeps the card's "changed" stamp: attaching a file is not a change of the card.
    has = ClientFile.objects.filter(client=client).exists()
    Client.objects.filter(pk=client.pk).update(has_files=has)
    client.has_files = has


def _check_folder(client: Client, folder: ClientFolder | None) -> None:
    if folder is not None and folder.client_id != client.pk:
        raise ValidationError({"folder": _("The folder belongs to another client.")})


# ---- folders ----

def folder_create(*, acting_user: User, client: Client, parent: ClientFolder | None, name: str) -> ClientFolder:
    _require_edit(acting_user, client)
    clean = clean_name(name)
    _check_folder(client, parent)
    with transaction.atomic():
        folder = ClientFolder.objects.create(client=client, parent=parent, name=clean)
        audit_record(actor=acting_user, event="clients.folder.create", target=folder, client=client,
                     summary=_("Folder “%(name)s” created.") % {"name": folder.name})
    return folder


def folder_rename(*, acting_user: User, folder: ClientFolder, name: str) -> ClientFolder:
    _require_edit(acting_user, folder.client)
    clean = clean_name(name)
    with transaction.atomic():
        changes = model_update(folder, data={"name": clean}, fields=("name",))
        if changes:
            audit_record(actor=acting_user, event="clients.folder.rename", target=folder, client=folder.client,
                         summary=_("Folder renamed"), changes=changes)
    return folder


def folder_move(*, acting_user: User, folder: ClientFolder, parent: ClientFolder | None) -> ClientFolder:
    """Moves the folder with everything in it; never into itself or one of its own subfolders."""
    _require_edit(acting_user, folder.client)
    _check_folder(folder.client, parent)
    with transaction.atomic():
        if parent is not None and parent.pk in subtree_ids(folder):
            raise ValidationError({"target": _("A folder cannot be moved into itself or its own subfolder.")})
        if model_update(folder, data={"parent": parent}, fields=("parent",)):
            audit_record(actor=acting_user, event="clients.folder.move", target=folder, client=folder.client,
                         summary=_("Folder “%(name)s” moved.") % {"name": folder.name})
    return folder


def folder_delete(*, acting_user: User, folder: ClientFolder) -> None:
    """Deletes the folder with its subfolders and files; their contents leave storage after commit, once no backup
    in progress may still need them (core.services.storage)."""
    client = folder.client
    _require_edit(acting_user, client)
    with transaction.atomic():
        ids = subtree_ids(folder)
        stored = list(ClientFile.objects.filter(folder_id__in=ids).values_list("content", flat=True))
        audit_record(actor=acting_user, event="clients.folder.delete", target=folder, client=client,
                     summary=_("Folder deleted with %(count)s files: %(name)s")
                     % {"count": len(stored), "name": folder.name})
        ClientFile.objects.filter(folder_id__in=ids).delete()
        ClientFolder.objects.filter(pk__in=ids).delete()
        _refresh_has_files(client)
        stored_delete_later(stored)


# ---- files ----

def file_upload(*, acting_user: User, client: Client, folder: ClientFolder | None, upload: UploadedFile) -> ClientFile:
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
            audit_record(actor=acting_user, event="clients.file.upload", target=attached, client=client,
                         summary=_("File attached: %(name)s") % {"name": attached.name})
    except BaseException:
        with suppress(OSError):  # the row's own error is the one to tell
            stored_delete(str(attached.content.name))
        raise
    return attached


def file_rename(*, acting_user: User, attached: ClientFile, name: str) -> ClientFile:
    _require_edit(acting_user, attached.client)
    old = attached.name
    clean = clean_name(name)
    with transaction.atomic():
        if model_update(attached, data={"name": clean}, fields=("name",)):
            audit_record(actor=acting_user, event="clients.file.rename", target=attached, client=attached.client,
                         summary=_("File renamed"),
                         changes=[{"field": _("File name"), "old": old, "new": attached.name}])
    return attached


def file_move(*, acting_user: User, attached: ClientFile, folder: ClientFolder | None) -> ClientFile:
    _require_edit(acting_user, attached.client)
    _check_folder(attached.client, folder)
    with transaction.atomic():
        if model_update(attached, data={"folder": folder}, fields=("folder",)):
            audit_record(actor=acting_user, event="clients.file.move", target=attached, client=attached.client,
                         summary=_("File moved: %(name)s") % {"name": attached.name})
    return attached


def file_delete(*, acting_user: User, attached: ClientFile) -> None:
    client = attached.client
    _require_edit(acting_user, client)
    with transaction.atomic():
        stored = str(attached.content.name)
        audit_record(actor=acting_user, event="clients.file.delete", target=attached, client=client,
                     summary=_("File deleted: %(name)s") % {"name": attached.name})
        attached.delete()
        _refresh_has_files(client)
        stored_delete_later([stored])
