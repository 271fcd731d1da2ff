"""The `kontora` command run as the operator runs it: a child process on a home of its own.

With KONTORA_DATABASE_URL pointing at PostgreSQL, every home gets a throwaway database of its own
on that server (created here, dropped after), so the commands are exercised on that engine too.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]


PG_URL = os.environ.get("KONTORA_DATABASE_URL", "").strip()


ON_PG = PG_URL.split(":", 1)[0].lower() in {"postgres", "postgresql", "pgsql"}


ADMIN_PASSWORD = "Kontora-admin-Pass-1"


DJANGO_PRELUDE = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kontora.settings'); django.setup()\n"
)


SNAPSHOT = DJANGO_PRELUDE + """
import hashlib, json
from django.db import connection
tables = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        order = ", ".join(connection.ops.quote_name(c) for c in columns)
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY {order}")
        rows = [[bytes(v) if isinstance(v, memoryview) else v for v in row] for row in cursor.fetchall()]
        tables[table] = [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()]
print(json.dumps(tables))
"""


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as connection:
        connection.execute(sql)


def pg_url(name: str) -> str:
    return urlsplit(PG_URL)._replace(path=f"/{name}").geturl()


class Home:
    """A KONTORA_HOME (and, on PostgreSQL, a database) for `kontora` child processes."""

    def __init__(self, path: Path, env: dict[str, str], database: str | None) -> None:
        self.path = path
        self.env = env
        self.database = database

    def run(self, *args: str, extra_env: dict[str, str] | None = None, timeout: float = 120,
            input_text: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kontora.cli", *args], env={**self.env, **(extra_env or {})}, cwd=ROOT,
            capture_output=True, text=True, timeout=timeout, input=input_text, check=False,
        )

    def start(self, *args: str, **kwargs: Any) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "kontora.cli", *args], env=self.env, cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs,
        )

    def python(self, code: str) -> str:
        done = subprocess.run([sys.executable, "-c", code], env=self.env, cwd=ROOT, capture_output=True, text=True,
                              timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def snapshot(self) -> dict[str, list[Any]]:
        import json

        return dict(json.loads(self.python(SNAPSHOT)))


@contextmanager
def cli_home(where: Path, template: Home | None = None) -> Iterator[Home]:
    """A fresh home; with `template`, a copy of that home's base (and nothing else)."""
    where.mkdir(parents=True)
    # The child must not inherit the test run's settings: its own home, real (not immediate) jobs.
    env = {key: value for key, value in os.environ.items() if not key.startswith("KONTORA_")}
    env["KONTORA_HOME"] = str(where)
    database = None
    if ON_PG:
        database = f"kontora_cli_{uuid.uuid4().hex[:12]}"
        pg_admin(f'CREATE DATABASE "{database}"' + (f' TEMPLATE "{template.database}"' if template else ""))
        env["KONTORA_DATABASE_URL"] = pg_url(database)
    elif template is not None:
        shutil.copy2(template.path / "kontora.sqlite3", where / "kontora.sqlite3")
    try:
        yield Home(where, env, database)
    finally:
        if database:
            pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@contextmanager
def upgraded_template(where: Path) -> Iterator[Home]:
    """A home with a current base and one administrator, to copy for each test."""
    with cli_home(where) as home:
        assert home.run("upgrade").returncode == 0
        created = home.run("createadmin", "--login", "admin", "--full-name", "Администратор",
                           extra_env={"KONTORA_ADMIN_PASSWORD": ADMIN_PASSWORD})
        assert created.returncode == 0, created.stderr
        yield home


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(predicate: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


SHARED_SECRET_KEY = "kontora-test-shared-secret-key-of-every-server-0123456789"


@contextmanager
def shared_base(where: Path, template: Home, count: int = 2, extra_env: dict[str, str] | None = None) -> Iterator[
        list[Home]]:
    """`count` homes of one installation spread over machines (SYS-10): each its own KONTORA_HOME, all one base (a
    copy of `template`'s: a PostgreSQL database, or one SQLite file named by KONTORA_DATABASE_URL), one secret key
    and one folder of attached files (KONTORA_FILES_URL) and of archives (KONTORA_BACKUP_DIR)."""
    where.mkdir(parents=True)
    shared = where / "shared"
    (shared / "files").mkdir(parents=True)
    (shared / "backups").mkdir()
    database = None
    if ON_PG:
        database = f"kontora_cli_{uuid.uuid4().hex[:12]}"
        pg_admin(f'CREATE DATABASE "{database}" TEMPLATE "{template.database}"')
        url = pg_url(database)
    else:
        shutil.copy2(template.path / "kontora.sqlite3", shared / "kontora.sqlite3")
        url = f"sqlite:///{shared / 'kontora.sqlite3'}"
    homes = []
    for index in range(count):
        path = where / f"home-{index}"
        path.mkdir()
        env = {key: value for key, value in os.environ.items() if not key.startswith("KONTORA_")}
        env.update({"KONTORA_HOME": str(path), "KONTORA_DATABASE_URL": url, "KONTORA_SECRET_KEY": SHARED_SECRET_KEY,
                    "KONTORA_FILES_URL": str(shared / "files"), "KONTORA_BACKUP_DIR": str(shared / "backups"),
                    **(extra_env or {})})
        homes.append(Home(path, env, database))
    try:
        yield homes
    finally:
        if database:
            pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


REDIS_SERVER = Path("/usr/bin/redis-server")


@contextmanager
def redis_server() -> Iterator[str]:
    """A Redis for the job queue: CI's (KONTORA_TEST_REDIS_URL, a throwaway one: emptied here), or one started on a
    free port of 127.0.0.1, without persistence, stopped by its pid."""
    given = os.environ.get("KONTORA_TEST_REDIS_URL", "").strip()
    if given:
        import redis

        redis.Redis.from_url(given).flushdb()
        yield given
        return
    if not REDIS_SERVER.exists():
        pytest.skip(f"{REDIS_SERVER} is missing: install redis-server (scripts/test-deps.sh does as root)")
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="kontora-test-redis-"))
    server = subprocess.Popen(
        [str(REDIS_SERVER), "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder), "--save", "",
         "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.exceptions.ConnectionError:
                return False

        wait_for(answers, 30)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def query(home: Home, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Reads the home's base directly: polling through a Django child would take a second a look."""
    if ON_PG:
        import psycopg

        assert home.database
        with psycopg.connect(pg_url(home.database), autocommit=True) as connection:
            return list(connection.execute(sql.replace("?", "%s"), params).fetchall())
    with sqlite3.connect(home.path / "kontora.sqlite3", timeout=10) as connection:
        return list(connection.execute(sql, params).fetchall())
