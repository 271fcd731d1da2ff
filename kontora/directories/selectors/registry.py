"""Lookups over the registry of directories (the point `hooks.DIRECTORIES`): by key, by model, the menu."""

from __future__ import annotations

from django.db import models

from kontora.core.hooks import MenuItem
from kontora.directories.hooks import DIRECTORIES, GROUPS, Directory


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
