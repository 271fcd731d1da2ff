"""PostgreSQL: pg_dump and pg_restore, run with the libpq environment of the configured base."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from kontora.core.backup.archive import BackupError


def _tool_version(path: str) -> tuple[int, ...]:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20, check=False).stdout
    except OSError:
        return ()
    match = re.search(r"(\d+)(?:\.(\d+))?", out)
    return tuple(int(part) for part in match.groups() if part) if match else ()


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: the highest version found on PATH or in /usr/lib/postgresql/*/bin.

    pg_dump refuses servers newer than itself, so the newest client installed is the one to use.
    """
    candidates = [str(path) for path in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    versioned = [(version, path) for path in candidates if (version := _tool_version(path))]
    if not versioned:
        raise BackupError(
            _("%(tool)s was not found: install the PostgreSQL client programs (postgresql-client).") % {"tool": name}
        )
    return max(versioned)[1]


def pg_env(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """libpq environment for the configured base: no password on a command line."""
    params = connections[using].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if params.get(key):
            env[var] = str(params[key])
    options = params.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                     ("sslkey", "PGSSLKEY"), ("options", "PGOPTIONS")):
        if options.get(key):
            env[var] = str(options[key])
    return env


def run_pg(args: list[str], *, env: dict[str, str], what: str) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        detail = lines[-1] if lines else f"exit code {done.returncode}"
        raise BackupError(f"{what}: {detail}")
    return done.stdout


def pg_dump(target: Path, *, snapshot: str | None = None) -> None:
    """Dumps the base; with `snapshot` (pg_export_snapshot of a transaction held open meanwhile) exactly as that
    transaction sees it."""
    tool = pg_tool("pg_dump")
    env = pg_env()
    extra = [f"--snapshot={snapshot}"] if snapshot else []
    run_pg([tool, "--format=custom", "--no-password", *extra, "--file", str(target), env["PGDATABASE"]],
            env=env, what=_("pg_dump failed"))


def pg_tables(listing: str) -> set[str]:
    """Table names in a `pg_restore --list` listing ("… TABLE schema name owner")."""
    tables = set()
    for line in listing.splitlines():
        parts = line.split()
        if line.startswith(";") or "TABLE" not in parts:
            continue
        at = parts.index("TABLE")
        if len(parts) > at + 2 and parts[at + 1] != "DATA":
            tables.add(parts[at + 2])
    return tables


def pg_restore(dump: Path, tables: set[str]) -> None:
    env = pg_env()
    tool = pg_tool("pg_restore")
    connections.close_all()
    run_pg([tool, "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error",
             "--no-password", "--dbname", env["PGDATABASE"], str(dump)], env=env, what="pg_restore failed")
    # Tables made by migrations newer than the archive would break the next `kontora upgrade`.
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        leftovers = [row[0] for row in cursor.fetchall() if row[0] not in tables]
        for table in leftovers:
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
