"""Reads of the card's Files tab (FIL-01 … FIL-04): the folder tree, a folder's contents and the totals.

Callers obtain the client through `policies.clients.get` first (one folder or file: `policies.folders` and
`policies.files`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum

from kontora.clients.models import Client, ClientFile, ClientFolder


@dataclass
class FolderNode:
    folder: ClientFolder
    depth: int

    @property
    def indent(self) -> str:
        return "\u00a0\u00a0\u00a0" * self.depth






def subtree_ids(folder: ClientFolder) -> list[int]:
    """The folder and all its subfolders, one query per level."""
    ids, level = [folder.pk], [folder.pk]
    while level:
        level = list(ClientFolder.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        ids.extend(level)
    return ids


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
