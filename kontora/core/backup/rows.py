"""The stored files a database names: read from a backup's snapshot (which files to copy) and from an archive's
database (which files a restore must find in it).

Every file field of every model counts, so a later app's attachments are backed up and checked without a word
here. Reads go to a copy or a dump, never to the live base: a row deleted meanwhile still names its file.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models

from kontora.core.backup.postgres import pg_env, pg_tool, run_pg


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every file field, in a stable order."""
    found = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.add((model._meta.db_table, str(field.column)))
    return sorted(found)


def names_in_sqlite(path: Path) -> set[str]:
    """The stored names a SQLite base file names; tables and columns an older schema lacks name none."""
    names: set[str] = set()
    base = sqlite3.connect(path)  # read-write: a read-only connection to a WAL base would leave its -wal and -shm
    try:
        for table, column in file_columns():
            # Asked first: SQLite reads a double-quoted name it does not know as a string literal, so a column an
            # older schema lacks would "name" a file called after the column on every row.
            present = {row[1] for row in base.execute(f'PRAGMA table_info("{table}")')}
            if column not in present:
                continue
            query = f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\''  # noqa: S608 - model names
            names.update(str(row[0]) for row in base.execute(query).fetchall() if row[0] is not None)
    finally:
        base.close()
    return names


def names_in_cursor(cursor: Any) -> set[str]:
    """The stored names seen by a PostgreSQL cursor (the backup's snapshot transaction); tables and columns an older
    schema lacks (the backup `kontora upgrade` takes before migrating) name none."""
    names: set[str] = set()
    quote = cursor.db.ops.quote_name
    cursor.execute("SELECT table_name, column_name FROM information_schema.columns "
                   "WHERE table_schema = current_schema()")
    present = {(str(table), str(column)) for table, column in cursor.fetchall()}
    for table, column in file_columns():
        if (table, column) in present:
            cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")  # noqa: S608
            names.update(str(row[0]) for row in cursor.fetchall() if row[0] is not None)
    return names


_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")
_SIMPLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _copy_value(raw: str) -> str | None:
    """One value of COPY's text format."""
    if raw == r"\N":
        return None

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] == "x" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _SIMPLE.get(code, code)

    return _ESCAPE.sub(one, raw)


def copy_column(script: str, table: str, column: str) -> set[str]:
    """The values of one column in the COPY blocks of a `pg_restore --data-only` script."""
    names: set[str] = set()
    at: int | None = None
    for line in script.splitlines():
        if at is None:
            match = re.match(r"COPY (?:\S+\.)?\"?([^\s\"(]+)\"? \((.*)\) FROM stdin;$", line)
            if match and match.group(1) == table:
                columns = [part.strip().strip('"') for part in match.group(2).split(",")]
                at = columns.index(column) if column in columns else None
            continue
        if line == "\\.":
            at = None
            continue
        value = _copy_value(line.split("\t")[at])
        if value:
            names.add(value)
    return names


def names_in_pgdump(dump: Path) -> set[str]:
    """The stored names a `pg_dump -Fc` archive names, read with pg_restore's script output (no base needed)."""
    names: set[str] = set()
    tool = pg_tool("pg_restore")
    env = pg_env()
    for table, column in file_columns():
        script = run_pg([tool, "--data-only", f"--table={table}", "--file=-", str(dump)], env=env,
                        what="the database in the archive is damaged (pg_restore --data-only)")
        names |= copy_column(script, table, column)
    return names
