"""The `kontora` command, run as the operator runs it: a child process on a home of its own.

With KONTORA_DATABASE_URL pointing at PostgreSQL, every home gets a throwaway database of its own
on that server (created here, dropped after), so the commands are exercised on that engine too.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest

from kontora.core.schema import program_version

ROOT = Path(__file__).resolve().parent.parent
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


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as connection:
        connection.execute(sql)


def _pg_url(name: str) -> str:
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
        _pg_admin(f'CREATE DATABASE "{database}"' + (f' TEMPLATE "{template.database}"' if template else ""))
        env["KONTORA_DATABASE_URL"] = _pg_url(database)
    elif template is not None:
        shutil.copy2(template.path / "kontora.sqlite3", where / "kontora.sqlite3")
    try:
        yield Home(where, env, database)
    finally:
        if database:
            _pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@contextmanager
def upgraded_template(where: Path) -> Iterator[Home]:
    """A home with a current base and one administrator, to copy for each test."""
    with cli_home(where) as home:
        assert home.run("upgrade").returncode == 0
        created = home.run("createadmin", "--login", "admin", "--full-name", "Администратор",
                           extra_env={"KONTORA_ADMIN_PASSWORD": ADMIN_PASSWORD})
        assert created.returncode == 0, created.stderr
        yield home


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Home]:
    with upgraded_template(tmp_path_factory.mktemp("cli") / "template") as home:
        yield home


@pytest.fixture
def home(tmp_path: Path, template: Home) -> Iterator[Home]:
    with cli_home(tmp_path / "home", template) as copy:
        yield copy


@pytest.fixture
def empty_home(tmp_path: Path) -> Iterator[Home]:
    with cli_home(tmp_path / "empty") as fresh:
        yield fresh


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


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.feature("SYS-01")
def test_help_describes_every_command():
    # given: the installed console script
    script = Path(sys.executable).with_name("kontora")
    # when
    top = subprocess.run([script, "--help"], capture_output=True, text=True, check=False)
    backup = subprocess.run([script, "backup", "--help"], capture_output=True, text=True, check=False)
    # then
    assert top.returncode == backup.returncode == 0
    for command in ("serve", "worker", "upgrade", "backup", "restore", "createadmin", "check", "manage"):
        assert re.search(rf"^\s+{command}\b", top.stdout, re.MULTILINE), command
    assert "exit codes: 0 done; 1 the command failed or was refused; 2 configuration error" in top.stdout
    assert "--keep N    then delete archives in that folder beyond the newest N" in backup.stdout


# --- configuration errors -------------------------------------------------------------------------


@pytest.mark.feature("SYS-02")
@pytest.mark.parametrize(("url", "message"), [
    ("mysql://kontora@db/kontora",
     "kontora: KONTORA_DATABASE_URL: unsupported scheme 'mysql'; use postgresql://user:password@host:5432/name "
     "or sqlite:////path/to/base.sqlite3\n"),
    ("postgresql://kontora@db:port/kontora",
     "kontora: KONTORA_DATABASE_URL is not a valid database URL: "),
])
def test_a_wrong_database_url_is_one_line_and_exit_code_2(tmp_path, url, message):
    # given
    with cli_home(tmp_path / "home") as home:
        # when
        done = home.run("upgrade", extra_env={"KONTORA_DATABASE_URL": url})
    # then
    assert done.returncode == 2
    assert done.stderr.startswith(message)
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.feature("SYS-02")
def test_an_unreachable_postgresql_is_one_line_and_exit_code_2(tmp_path):
    # given: nothing listens on port 1
    with cli_home(tmp_path / "home") as home:
        # when
        done = home.run("backup", extra_env={"KONTORA_DATABASE_URL": "postgresql://x@127.0.0.1:1/none"})
    # then
    assert done.returncode == 2
    assert done.stderr == (
        "kontora: cannot connect to PostgreSQL at 127.0.0.1:1: connection refused — check KONTORA_DATABASE_URL "
        "and that the server is running\n"
    )


# --- upgrade --------------------------------------------------------------------------------------


@pytest.mark.feature("SYS-04")
def test_upgrade_creates_a_base_on_an_empty_home(empty_home):
    # when
    done = empty_home.run("upgrade")
    # then
    version = program_version()
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"upgrading the base from version 0 to {version}\ndatabase version {version}, program expects {version}\n"
    )
    assert not (empty_home.path / "backups").exists()  # nothing to save in an empty base


@pytest.mark.feature("SYS-04")
def test_upgrade_migrates_an_older_base_after_backing_it_up(home):
    # given: a base whose core migrations were rolled back, as if written by an older Kontora
    rolled_back = home.run("manage", "migrate", "core", "zero", "-v", "0")
    assert rolled_back.returncode == 0, rolled_back.stderr
    # when
    done = home.run("upgrade")
    # then
    version = program_version()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    archive = rf"{re.escape(str(home.path))}/backups/kontora-backup-\d{{8}}-\d{{6}}\.tar"
    assert re.fullmatch(rf"backup before upgrading: {archive}", lines[0])
    older = int(re.fullmatch(rf"upgrading the base from version (\d+) to {version}", lines[1]).group(1))
    assert 0 < older < version
    assert lines[2:] == [f"database version {version}, program expects {version}"]
    plan = home.run("manage", "showmigrations", "--plan")
    assert "[X]" in plan.stdout
    assert "[ ]" not in plan.stdout


@pytest.mark.feature("SYS-04")
def test_upgrade_refuses_a_base_newer_than_the_program_and_changes_nothing(home):
    # given: the base has applied a migration this program has never heard of
    home.python(DJANGO_PRELUDE + (
        "from django.db import connection\n"
        "from django.db.migrations.recorder import MigrationRecorder\n"
        "MigrationRecorder(connection).record_applied('core', '9999_from_a_newer_kontora')\n"
    ))
    before = home.snapshot()
    # when
    done = home.run("upgrade")
    # then
    version = program_version()
    assert done.returncode == 3
    assert done.stderr == (
        f"kontora: database version {version + 1} is newer than this program (expects {version}): "
        "install a newer Kontora\n"
    )
    assert home.snapshot() == before
    assert not (home.path / "backups").exists()


# --- createadmin ----------------------------------------------------------------------------------


@pytest.mark.feature("SYS-01")
def test_createadmin_checks_the_password_and_creates_an_administrator(home):
    # when: a weak password, then a good one
    weak = home.run("createadmin", "--login", "boss", "--full-name", "Иван Начальников",
                    extra_env={"KONTORA_ADMIN_PASSWORD": "12345678"})
    good = home.run("createadmin", "--login", "boss", "--full-name", "Иван Начальников",
                    extra_env={"KONTORA_ADMIN_PASSWORD": ADMIN_PASSWORD})
    again = home.run("createadmin", "--login", "BOSS", "--full-name", "Другой",
                     extra_env={"KONTORA_ADMIN_PASSWORD": ADMIN_PASSWORD})
    # then
    assert weak.returncode == 1
    assert weak.stderr == (
        "password: This password is too common.\npassword: This password is entirely numeric.\n"
        "kontora: the password was not accepted\n"
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout == "administrator boss (Иван Начальников) created\n"
    assert again.returncode == 1
    assert again.stderr == "kontora: a user with the login BOSS already exists\n"
    made = home.python(DJANGO_PRELUDE + (
        "from kontora.accounts.models import User\n"
        "u = User.objects.get(login='boss')\n"
        f"print(u.role, u.client_scope, u.is_active, u.check_password({ADMIN_PASSWORD!r}))\n"
    ))
    assert made == "admin full True True\n"


# --- serve, worker, check -------------------------------------------------------------------------


def start_server(home: Home, port: int) -> tuple[subprocess.Popen[str], str]:
    server = home.start("serve", "--port", str(port))
    assert server.stdout is not None
    line = server.stdout.readline()  # blocks until the server answers HTTP (or exits)
    return server, line


def stop_server(server: subprocess.Popen[str], how: int = signal.SIGINT) -> tuple[int, str, str]:
    if server.poll() is None:
        server.send_signal(how)
    out, err = server.communicate(timeout=60)
    return server.returncode, out, err


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, template: Home) -> Iterator[tuple[Home, int, Any]]:
    """One running `kontora serve` for the tests that need a live server."""
    with cli_home(tmp_path_factory.mktemp("served") / "home", template) as home:
        port = free_port()
        server, line = start_server(home, port)
        try:
            yield home, port, (server, line)
        finally:
            with suppress(Exception):
                stop_server(server)


@pytest.mark.feature("SYS-01")
def test_serve_answers_pages_and_static_files(served):
    # given
    home, port, (_server, line) = served
    url = urlsplit(PG_URL)
    base = (f"PostgreSQL {url.hostname or 'localhost'}:{url.port or 5432}/{home.database}" if ON_PG
            else f"SQLite {home.path / 'kontora.sqlite3'}")
    # then
    assert line == f"Kontora serving on http://127.0.0.1:{port} (base: {base})\n"
    with urlopen(f"http://127.0.0.1:{port}/login/", timeout=10) as page:
        assert page.status == 200
        assert "<h1 class=\"h4 mb-3\">Kontora · Вход</h1>" in page.read().decode()
    with urlopen(f"http://127.0.0.1:{port}/static/kontora/kontora.css", timeout=10) as css:
        assert css.status == 200
        assert b".k-required" in css.read()


@pytest.mark.feature("SYS-01")
def test_check_is_all_ok_while_the_server_and_its_worker_run(served):
    # given: the worker has beaten its heart
    home, _port, _server = served
    wait_for(lambda: (home.path / "worker.heartbeat").exists())
    # when
    done = home.run("check")
    # then
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    version = program_version()
    assert [line.split(":", 1)[0] for line in lines] == [
        "OK   database", "OK   migrations", "OK   files folder", "OK   backup folder", "OK   worker",
        "OK   last backup",
    ]
    assert f"OK   migrations: database version {version}, program expects {version}" in lines
    assert re.fullmatch(r"OK   worker: alive \(pid \d+, heartbeat \d+ s ago\)", lines[4])


@pytest.mark.feature("SYS-01")
def test_check_fails_without_a_worker(home):
    # when: nothing runs on this home
    done = home.run("check")
    # then
    assert done.returncode == 1
    assert "FAIL worker: no heartbeat within 90 s: start `kontora serve` or `kontora worker`" in (
        done.stdout.splitlines()
    )


@pytest.mark.feature("SYS-01")
def test_a_second_server_on_the_same_base_is_refused(served):
    # given
    home, _port, (server, _line) = served
    # when
    done = home.run("serve", "--port", str(free_port()))
    # then
    assert done.returncode == 1
    assert done.stderr == f"kontora: a Kontora server is already running on this base (pid {server.pid})\n"


@pytest.mark.feature("SYS-06")
def test_restore_is_refused_while_a_server_runs_on_the_base(served):
    # given: an archive of this very base
    home, port, (server, _line) = served
    archive = home.run("backup").stdout.strip()
    assert archive.endswith(".tar")
    # when
    done = home.run("restore", archive)
    # then
    assert done.returncode == 1
    assert done.stderr == (
        f"kontora: a Kontora server is running on this base (pid {server.pid}): stop it before restoring\n"
    )
    with urlopen(f"http://127.0.0.1:{port}/login/", timeout=10) as page:
        assert page.status == 200


@pytest.mark.feature("SYS-01")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_server_and_its_worker_stop_cleanly(home, how):
    # given: a running server whose worker is up
    port = free_port()
    server, line = start_server(home, port)
    assert line.startswith("Kontora serving on "), line + (server.stderr.read() if server.poll() is not None else "")
    wait_for(lambda: (home.path / "worker.heartbeat").exists())
    # when
    code, out, err = stop_server(server, how)
    # then
    assert code == 0, err
    assert out == "Kontora stopped\n"
    assert not (home.path / "worker.heartbeat").exists()  # the worker ended and said so
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    restored = home.run("restore", "/nonexistent/kontora-backup-20260101-000000.tar")
    assert restored.stderr == "kontora: no such archive: /nonexistent/kontora-backup-20260101-000000.tar\n"
