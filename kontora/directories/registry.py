"""The one registry of directories: a declaration here gives a directory its list, card, picker and menu item.

Generic views (`kontora.directories.views`) read everything they need from a `Directory`, so a new
reference book needs no view code. The linear directories of the product are declared in
`kontora.directories.declarations` and registered by this app's hooks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.functional import Promise

from kontora.core.hooks import MenuItem, Point

# Menu groups in the order the Directories menu shows them, a divider between groups.
GROUPS: tuple[str, ...] = ("clients", "ladder", "goods", "documents", "geography", "enterprise")


@dataclass(frozen=True)
class Directory:
    key: str  # URL slug, e.g. "event-types"
    model: type[models.Model]
    fields: tuple[str, ...] = ("name",)  # model fields shown in the list and edited in the card, in order
    title: str | Promise | None = None  # default: the model's verbose_name_plural, capitalised
    group: str = "clients"  # menu group, one of GROUPS
    edit_right: str = "edit_directories"  # right needed to add, edit, deactivate and delete
    search_field: str = "name_key"  # prefix search on this *_key column (kontora.core.text.search_key)
    order_by: tuple[str, ...] = ("order", "name", "id")
    in_menu: bool = True
    # Rows a user may see, for books whose rows are not everyone's (clients: kontora.clients.access); None → all.
    queryset_for: Callable[[Any], models.QuerySet[Any]] | None = None
    editable: bool = True  # False: only picked here, created and changed in their own cards

    def items_for(self, user: Any) -> models.QuerySet[Any]:
        """Every row the list, picker and card may show this user; the one start of each directory query."""
        if self.queryset_for is not None:
            return self.queryset_for(user)
        return self.model._default_manager.all()

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"directory {self.key!r}: unknown group {self.group!r}")

    @property
    def label(self) -> str | Promise:
        if self.title is not None:
            return self.title
        plural = str(self.model._meta.verbose_name_plural)
        return plural[:1].upper() + plural[1:]

    @property
    def has_active_flag(self) -> bool:
        return any(f.name == "is_active" for f in self.model._meta.get_fields())


# Every directory, in the order of the Directories menu: the linear ones (declarations.LINEAR) from this app's
# hooks, and those other apps offer for picking (clients) from theirs.
DIRECTORIES: Point[Directory] = Point("directories", key=lambda directory: directory.key)


def get(key: str) -> Directory:
    """The directory under `key`; KeyError when there is none (views answer 404)."""
    return DIRECTORIES.get(key)


def all_directories() -> list[Directory]:
    return DIRECTORIES.items()


def for_model(model: type[models.Model] | models.Model) -> Directory:
    """The directory of a model (or of an instance's model); KeyError when it has none."""
    cls = model if isinstance(model, type) else type(model)
    for directory in DIRECTORIES.items():
        if directory.model is cls:
            return directory
    raise KeyError(cls.__name__)


def menu_items() -> list[MenuItem]:
    """Items of the Directories menu: the declared directories by group, a divider between groups."""
    return [
        MenuItem("directories", d.label, "directories:list", group=10 + GROUPS.index(d.group), args=(d.key,))
        for d in DIRECTORIES.items() if d.in_menu
    ]
