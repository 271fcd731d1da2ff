"""A test base taken back to an earlier migration and forward again: a data migration's tests."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str]]) -> Any:
    """Migrates the test base to `targets` and returns the app registry of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def migrate_latest() -> Any:
    return migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
