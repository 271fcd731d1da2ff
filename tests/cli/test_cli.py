"""The `kontora` command, run as the operator runs it (tests.cli.support): configuration errors, upgrade,
createadmin, serve, worker and check; invoice numbers of processes saving at once."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import urlopen

import pytest

from kontora.core.schema import program_version
from tests.cli.support import (
    ADMIN_PASSWORD,
    DJANGO_PRELUDE,
    ON_PG,
    PG_URL,
    ROOT,
    Home,
    cli_home,
    free_port,
    wait_for,
)


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


@pytest.mark.feature("SYS-04", "SYS-06")
def test_upgrade_backs_up_a_base_whose_tables_lack_a_later_file_column(home):
    # given: a legal entity written before its stamp and signature images existed (core 0014 rolled back)
    home.python(DJANGO_PRELUDE + (
        "from kontora.core.models import LegalEntity\n"
        "LegalEntity.objects.create(full_name='ООО «Старое»', short_name='Старое', inn='7700000000')\n"
    ))
    rolled_back = home.run("manage", "migrate", "core", "0013", "-v", "0")
    assert rolled_back.returncode == 0, rolled_back.stderr
    # when
    done = home.run("upgrade")
    # then the backup before migrating read the older tables as they are: no error, and no file is "missing"
    # (SQLite would read an unknown double-quoted column as the string of its name, one per row)
    assert done.returncode == 0, done.stderr
    assert "missing from storage" not in done.stderr
    archive = Path(done.stdout.splitlines()[0].removeprefix("backup before upgrading: "))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["missing_files"] == []
    assert done.stdout.splitlines()[-1] == f"database version {program_version()}, program expects " \
                                           f"{program_version()}"


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


def start_server(home: Home, port: int) -> tuple[subprocess.Popen[str], str]:
    server = home.start("serve", "--port", str(port))
    assert server.stdout is not None
    # The first line comes once the server answers HTTP; a parent that died leaves its children holding the pipe,
    # so the wait is bounded: a failed start is a failure, never a hung run.
    ready, _w, _x = select.select([server.stdout], [], [], 180)
    line = server.stdout.readline() if ready else ""
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


@pytest.mark.feature("SYS-01")
def test_the_backup_package_imports_before_django_is_set_up():
    # `kontora serve` takes the base lock from kontora.core.backup before Django is set up: an import of the models
    # there killed it after the web server had started, and left that server running without its supervisor
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", "import kontora.core.backup"], env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr


PROCESSES = 8  # processes saving invoices at once

SETUP = DJANGO_PRELUDE + """
from kontora.accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.billing.factories import payee, shipped_vat_rates
from tests.clients.factories import ClientFactory
manager = UserFactory(login="numbers", role=Role.MANAGER)
payee()
shipped_vat_rates()
ClientFactory(curator=manager, short_name="Покупатель")
"""

# Waits for the start file, then saves one invoice (or, with "rollback", saves one and rolls it back) and prints
# its number.
SAVE = DJANGO_PRELUDE + """
import os, sys, time
from django.db import transaction
from django.utils import timezone
from kontora.accounts.models import User
from kontora.billing.services.invoices import InvoiceData, invoice_create
from kontora.clients.models import Client
from tests.billing.factories import line
user = User.objects.get(login="numbers")
client = Client.objects.get(short_name="Покупатель")
data = InvoiceData(client=client, date=timezone.localdate(), lines=[line("1.00")])
start = sys.argv[1]
while not os.path.exists(start):
    time.sleep(0.005)
class Undone(Exception):
    pass
try:
    with transaction.atomic():
        invoice = invoice_create(acting_user=user, data=data)
        print(invoice.number, flush=True)
        if sys.argv[2] == "rollback":
            time.sleep(1)  # the others, started meanwhile, wait on the counter
            raise Undone
except Undone:
    pass
"""

NUMBERS = DJANGO_PRELUDE + """
from kontora.billing.models import Invoice
print(sorted(Invoice.objects.values_list("number", flat=True)))
"""


@pytest.mark.feature("INV-01", "SYS-10")
def test_eight_processes_saving_invoices_at_once_take_gapless_numbers_and_a_rollback_leaves_no_gap(
        home: Home, tmp_path: Path) -> None:
    # given a manager, our entity and his client in a base of its own
    home.python(SETUP)
    first, together = tmp_path / "first", tmp_path / "together"

    def save(start: Path, mode: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-c", SAVE, str(start), mode], env=home.env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    # when one process saves an invoice and, while it holds its number, eight more save theirs at the same moment,
    # and then the first rolls back
    undone = save(first, "rollback")
    workers = [save(together, "commit") for _ in range(PROCESSES)]
    first.touch()
    assert undone.stdout is not None and undone.stdout.readline().strip() == "1"
    together.touch()
    answers = [worker.communicate(timeout=120) for worker in [undone, *workers]]
    # then every one finished, and the eight kept invoices are numbered 1 … 8, none twice, none skipped: the
    # rolled-back number 1 was given back, not lost
    assert [worker.returncode for worker in [undone, *workers]] == [0] * (PROCESSES + 1), answers
    assert sorted(int(out) for out, _err in answers[1:]) == list(range(1, PROCESSES + 1))
    assert home.python(NUMBERS).strip() == str(list(range(1, PROCESSES + 1)))
