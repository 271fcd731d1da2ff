"""Configuration, connection and schema checks every command starts with; `upgrade` and `check`."""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from kontora import config
from kontora.cli.common import EXIT_CONFIG, EXIT_FAILED, EXIT_NEWER, EXIT_OK, Failure, lock_message


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontora.settings")
    import django

    django.setup()


def checked_home() -> Path:
    """KONTORA_HOME, once it and the database URL are known to be usable (no Django needed)."""
    try:
        home = config.home()
    except OSError as exc:
        raise Failure(
            f"cannot use the home folder {os.environ.get('KONTORA_HOME', 'var')}: {exc.strerror} — check KONTORA_HOME",
            EXIT_CONFIG,
        ) from None
    try:
        config.database(home)
        config.files_storage(home)
        config.backup_dir(home)
    except config.ConfigError as exc:
        raise Failure(str(exc), EXIT_CONFIG) from None
    return home


def prepare(*, connect: bool = True, english: bool = True) -> None:
    """Validates the configuration, starts Django and (optionally) connects, or raises Failure."""
    checked_home()
    try:
        _setup_django()
    except (OSError, ValueError) as exc:
        raise Failure(f"configuration error: {exc}", EXIT_CONFIG) from None
    if english:
        from django.utils import translation

        translation.activate("en")
    if connect:
        problem = _connect()
        if problem:
            raise Failure(problem, EXIT_CONFIG)


def _connect() -> str:
    """Opens the database connection; returns "" or a one-line description of why it failed."""
    from django.db import OperationalError, connection

    if connection.vendor == "postgresql":
        # Without it an address that drops packets keeps the command waiting for minutes.
        connection.settings_dict.setdefault("OPTIONS", {}).setdefault("connect_timeout", 10)
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        return _describe_connect_error(connection.vendor, connection.settings_dict, exc)
    return ""


_PG_REASONS = [
    ("connection refused", "connection refused"),
    ("password authentication failed", "password authentication failed"),
    ("no password supplied", "the server wants a password and the URL has none"),
    ("timeout expired", "no answer (timed out)"),
    ("could not translate host name", "unknown host name"),
    ("name or service not known", "unknown host name"),
    ("no pg_hba.conf entry", "the server does not accept this user from this address (pg_hba.conf)"),
    ("no route to host", "no route to host"),
]


def _describe_connect_error(vendor: str, params: dict[str, Any], exc: Exception) -> str:
    text = " ".join(str(exc).split())
    if vendor == "postgresql":
        where = f"{params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}"
        low = text.lower()
        reason = next((said for found, said in _PG_REASONS if found in low), "")
        if not reason:
            missing = re.search(r'(database|role) "[^"]+" does not exist', text)
            reason = missing.group(0) if missing else text.split(": ")[-1]
        return (
            f"cannot connect to PostgreSQL at {where}: {reason} — check KONTORA_DATABASE_URL "
            "and that the server is running"
        )
    return (
        f"cannot open the SQLite base {params.get('NAME')}: {text} — check KONTORA_HOME "
        "(or KONTORA_DATABASE_URL) and that the folder is writable"
    )


def describe_base() -> str:
    from django.db import connection

    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {params['NAME']}"
    return f"PostgreSQL {params.get('HOST') or 'localhost'}:{params.get('PORT') or 5432}/{params['NAME']}"


def _newer_message(state: Any) -> str:
    return (
        f"database version {state.database} is newer than this program (expects {state.program}): "
        "install a newer Kontora"
    )


def require_current_schema() -> None:
    from kontora.core.schema import schema_state

    state = schema_state()
    if state.newer:
        raise Failure(_newer_message(state), EXIT_NEWER)
    if state.pending:
        raise Failure(
            f"database version {state.database}, program expects {state.program}: run `kontora upgrade` first"
        )


def cmd_upgrade(args: argparse.Namespace) -> int:
    prepare()
    from django.conf import settings
    from django.core.management import call_command

    from kontora.core.backup import LockHeld, backup_create, base_lock
    from kontora.core.schema import schema_state

    try:
        with base_lock(Path(settings.HOME), "upgrade"):
            state = schema_state()
            if state.newer:
                raise Failure(_newer_message(state), EXIT_NEWER)
            if state.pending:
                if state.database > 0 and not args.no_backup:
                    print(f"backup before upgrading: {backup_create()}", flush=True)
                print(f"upgrading the base from version {state.database} to {state.program}", flush=True)
                call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
            state = schema_state()
    except LockHeld as exc:
        raise Failure(lock_message(exc, "upgrading")) from None
    print(f"database version {state.database}, program expects {state.program}")
    return EXIT_OK if state.current else EXIT_FAILED


def _writable(folder: Path) -> str:
    """"" when a file can be created in the folder, else why not."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".kontora-check-"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


def _shared_queue_workers() -> str:
    """The workers of any home on this base: with the queue in Redis they run this home's jobs too (SYS-10), so a
    machine that runs only the web server is not missing one."""
    from kontora.core.selectors.servers import servers_described, servers_running

    return servers_described([row for row in servers_running() if row.role == "worker"])


def cmd_check(args: argparse.Namespace) -> int:
    prepare(connect=False)
    from django.conf import settings

    from kontora.core.backup import HEARTBEAT_FRESH, backup_list, worker_alive
    from kontora.core.schema import schema_state

    results: list[tuple[bool, str, str]] = []
    problem = _connect()
    results.append((not problem, "database", problem or describe_base()))
    if not problem:
        state = schema_state()
        if state.newer:
            results.append((False, "migrations", _newer_message(state)))
        elif state.pending:
            results.append((False, "migrations", f"database version {state.database}, program expects "
                                                  f"{state.program}: run `kontora upgrade`"))
        else:
            results.append((True, "migrations", f"database version {state.database}, program expects {state.program}"))
    from kontora.core.services.storage import storage_describe, storage_folder, storage_problem

    folders = [("backup folder", Path(settings.BACKUP_DIR))]
    files_folder = storage_folder()
    if files_folder is None:  # object storage (S3): the bucket must answer; the local folder is only scratch
        why = storage_problem()
        results.append((not why, "files storage", why or f"{storage_describe()} is reachable"))
    else:
        folders.insert(0, ("files folder", files_folder))
    for name, folder in folders:
        why = _writable(folder)
        results.append((not why, name, f"{folder} is not writable: {why}" if why else f"{folder} is writable"))
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        results.append((True, "worker", "jobs run inside the web process (KONTORA_HUEY_IMMEDIATE)"))
    else:
        beat = worker_alive(Path(settings.HOME))
        shared = _shared_queue_workers() if beat is None and settings.REDIS_URL and not problem else ""
        if beat is not None:
            results.append((True, "worker", f"alive (pid {beat[0]}, heartbeat {beat[1]:.0f} s ago)"))
        elif shared:
            results.append((True, "worker", f"the Redis queue is served by {shared}"))
        else:
            results.append((False, "worker", f"no heartbeat within {HEARTBEAT_FRESH} s: "
                                              "start `kontora serve` or `kontora worker`"))
    newest = backup_list()
    results.append((True, "last backup", newest[0].name if newest else "none yet"))
    for ok, name, detail in results:
        print(f"{'OK' if ok else 'FAIL':<4} {name}: {detail}")
    return EXIT_OK if all(ok for ok, _name, _detail in results) else EXIT_FAILED
