"""The schema version: how far a base's migrations have gone, against what this program knows.

Like the manual's "database version 21", it is one number: every migration the program ships adds
one. A squashed migration counts as the migrations it replaces, so squashing never lowers it. A base
that has applied migrations this program has never heard of (written by a newer Kontora) is "newer":
its number counts those too, and `kontora upgrade` refuses to touch it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

Key = tuple[str, str]


@dataclass(frozen=True)
class SchemaState:
    program: int
    database: int
    pending: tuple[Key, ...]  # known to the program, not applied to the base
    unknown: tuple[Key, ...]  # applied to the base, unknown to the program

    @property
    def newer(self) -> bool:
        return bool(self.unknown)

    @property
    def current(self) -> bool:
        return not self.pending and not self.unknown


@lru_cache(maxsize=1)
def _disk() -> tuple[frozenset[Key], dict[Key, frozenset[Key]]]:
    """(every migration the program knows, squash key → the keys it replaces), from the files."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known: set[Key] = set()
    squashes: dict[Key, frozenset[Key]] = {}
    for key, migration in loader.disk_migrations.items():
        if migration.replaces:
            replaced = frozenset((str(app), str(name)) for app, name in migration.replaces)
            squashes[key] = replaced
            known.update(replaced)
        else:
            known.add(key)
    return frozenset(known), squashes


def program_version() -> int:
    """The schema version this program brings (and `kontora upgrade` brings a base to)."""
    return len(_disk()[0])


def _applied(connection: BaseDatabaseWrapper) -> set[Key]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return set()
    _known, squashes = _disk()
    applied: set[Key] = set()
    for key in recorder.applied_migrations():
        # Django records a squash and the migrations it replaces; count the replaced ones once.
        applied.update(squashes.get(key, {key}))
    return applied


def schema_state(using: str = DEFAULT_DB_ALIAS) -> SchemaState:
    known, _squashes = _disk()
    applied = _applied(connections[using])
    return SchemaState(
        program=len(known),
        database=len(applied),
        pending=tuple(sorted(known - applied)),
        unknown=tuple(sorted(applied - known)),
    )


def database_version(using: str = DEFAULT_DB_ALIAS) -> int:
    """The schema version of the connected base: the migrations applied to it (0 for an empty base)."""
    return len(_applied(connections[using]))
