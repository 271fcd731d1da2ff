"""Several servers on one base (SYS-10): two `kontora serve` and two `kontora worker` processes of different homes
on one database, with the job queue in Redis, one secret key and one folder of attached files — as an office runs
them behind a reverse proxy. What one server does, the other sees: the session, the bell, the files, the lockout of
sign-in and the heavy-request slots; and a restore started from any home is refused while any of them runs.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.cli.support import (
    ADMIN_PASSWORD,
    DJANGO_PRELUDE,
    ROOT,
    Home,
    free_port,
    redis_server,
    shared_base,
)

STOP_SECONDS = 60
USER_PASSWORD = "Kontora-user-Pass-7"

SETUP = DJANGO_PRELUDE + f"""
import json
from kontora.accounts.models import ClientScope, Role, User, login_key
from kontora.clients.services.card import client_create
admin = User.objects.get(login="admin")
for login in ("locked", "control"):
    user = User(login=login, login_key=login_key(login), full_name=login.title(), role=Role.ADMIN,
                client_scope=ClientScope.FULL)
    user.set_password({USER_PASSWORD!r})
    user.save()
client = client_create(acting_user=admin, values={{"kind": "company", "short_name": "Общий клиент"}})
print(json.dumps({{"admin": admin.pk, "client": client.pk}}))
"""


# --- the processes ------------------------------------------------------------------------------------------------

@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def _start(home: Home, name: str, *args: str) -> Process:
    log = home.path / f"{name}.log"
    with log.open("wb") as out:
        popen = subprocess.Popen([sys.executable, "-m", "kontora.cli", *args], env=home.env, cwd=ROOT, stdout=out,
                                 stderr=subprocess.STDOUT)
    return Process(name, popen, log)


def _stop(process: Process) -> None:
    """SIGINT (finish, then exit), then SIGKILL if it does not end in time: never left running."""
    if process.popen.poll() is None:
        process.popen.send_signal(signal.SIGINT)
        try:
            process.popen.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.popen.kill()
            process.popen.wait(timeout=10)


def _wait_ready(process: Process, predicate: Any, what: str) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if predicate():
            return
        if process.popen.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"{process.name} did not {what}:\n{process.output()}")


# --- a browser without a browser: cookies and the CSRF token ---------------------------------------------------------

@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Browser:
    """One person's cookies, sent to whichever server they ask (as a reverse proxy hands requests around)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, port: int, method: str, path: str, *, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method == "POST" and "csrftoken" in self.cookies:
            sent["X-CSRFToken"] = self.cookies["csrftoken"]
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        finally:
            connection.close()
        return answer

    def get(self, port: int, path: str) -> Answer:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, data: dict[str, str]) -> Answer:
        if "csrftoken" not in self.cookies:
            self.get(port, "/login/")  # the sign-in page sets the CSRF cookie
        return self.request(port, "POST", path, body=urlencode(data).encode(),
                            headers={"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, port: int, path: str, name: str, content: bytes) -> Answer:
        boundary = uuid.uuid4().hex
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="folder"\r\n\r\n\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.request(port, "POST", path, body=body,
                            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def sign_in(self, port: int, login: str, password: str) -> Answer:
        return self.post(port, "/login/", {"login": login, "password": password})


# --- the installation ---------------------------------------------------------------------------------------------

@dataclass
class Office:
    homes: list[Home]
    ports: list[int]
    processes: list[Process]
    ids: dict[str, int]

    @property
    def a(self) -> int:
        return self.ports[0]

    @property
    def b(self) -> int:
        return self.ports[1]


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, template: Home) -> Iterator[Office]:
    """Two homes A and B on one base, each with `kontora serve --no-worker` and a `kontora worker` (B's without
    periodic jobs), the queue in Redis; a third home C of the same base runs nothing (the operator's console)."""
    with ExitStack() as stack:
        redis_url = stack.enter_context(redis_server())
        homes = stack.enter_context(shared_base(tmp_path_factory.mktemp("office") / "office", template, count=3,
                                                extra_env={"KONTORA_REDIS_URL": redis_url}))
        ids = json.loads(homes[0].python(SETUP))
        ports = [free_port(), free_port()]
        processes: list[Process] = []
        stack.callback(lambda: [_stop(process) for process in reversed(processes)])
        for home, port, name in zip(homes, ports, "AB", strict=False):
            processes.append(_start(home, f"serve-{name}", "serve", "--port", str(port), "--no-worker"))
        for server in processes[:2]:
            _wait_ready(server, lambda server=server: "Kontora serving on" in server.output(), "start serving")
        processes.append(_start(homes[0], "worker-A", "worker"))
        processes.append(_start(homes[1], "worker-B", "worker", "--no-periodic"))
        for worker, home in zip(processes[2:], homes, strict=False):
            _wait_ready(worker, lambda home=home: (home.path / "worker.heartbeat").exists(), "beat its heart")
        yield Office(homes, ports, processes, ids)


def _signed_in_admin(office: Office) -> Browser:
    browser = Browser()
    signed = browser.sign_in(office.a, "admin", ADMIN_PASSWORD)
    assert signed.status == 302, signed.text[:500]
    return browser


# --- the tests ----------------------------------------------------------------------------------------------------

@pytest.mark.feature("SYS-10")
def test_a_user_signed_in_through_one_server_keeps_the_session_on_the_other(office):
    # given: signed in through A
    browser = _signed_in_admin(office)
    # when: the next request goes to B with the same cookie
    page = browser.get(office.b, "/")
    # then: B knows the session (same base, same secret key), where a stranger is sent to sign in
    assert page.status == 200, page.headers
    assert "Администратор" in page.text
    stranger = Browser().get(office.b, "/")
    assert stranger.status == 302
    assert stranger.headers["location"].startswith("/login/")


@pytest.mark.feature("SYS-10")
def test_a_notification_made_through_one_server_rings_the_bell_on_the_other(office):
    # given: the admin's bell on B, which does not know the message yet
    browser = _signed_in_admin(office)
    text = f"Сообщение через сервер A {uuid.uuid4().hex[:8]}"
    poll = "/notifications/poll/?after=0&unread=-1"
    assert text not in browser.get(office.b, poll).text
    # when: a message to himself through A
    sent = browser.post(office.a, "/administration/message/", {"recipient": str(office.ids["admin"]), "text": text})
    assert sent.status == 302, sent.text[:500]
    # then: B's bell shows it within the 5 s the issue allows (it polls the base, not its own memory)
    deadline = time.monotonic() + 5
    shown = ""
    while time.monotonic() < deadline and text not in shown:
        shown = browser.get(office.b, poll).text
        time.sleep(0.2)
    assert text in shown


@pytest.mark.feature("SYS-10")
def test_a_file_uploaded_through_one_server_downloads_through_the_other(office):
    # given
    browser = _signed_in_admin(office)
    client = office.ids["client"]
    content = os.urandom(50_000) + "общая папка".encode()
    # when: uploaded through A
    panel = browser.upload(office.a, f"/clients/{client}/files/upload/", "договор.bin", content)
    assert panel.status == 200, panel.text[:500]
    found = re.search(rf"/clients/{client}/files/(\d+)/download/", panel.text)
    assert found, panel.text[:2000]
    # then: B serves the same bytes, from the shared folder (neither home keeps a copy)
    downloaded = browser.get(office.b, found.group(0))
    assert downloaded.status == 200
    assert downloaded.body == content
    assert not any((home.path / "files").exists() for home in office.homes)


@pytest.mark.feature("SYS-10")
def test_failed_sign_ins_through_both_servers_count_towards_one_lockout(office):
    # given: the control account fails four times, alternately through A and B, and still signs in (below the limit)
    control = Browser()
    for port in (office.a, office.b, office.a, office.b):
        assert control.sign_in(port, "control", "wrong-password").status == 401
    assert control.sign_in(office.b, "control", USER_PASSWORD).status == 302
    # when: another account fails five times, alternately (three on A, two on B: under the limit on each alone)
    browser = Browser()
    for port in (office.a, office.b, office.a, office.b, office.a):
        failed = browser.sign_in(port, "locked", "wrong-password")
        assert failed.status == 401
        assert "Неверный логин или пароль." in failed.text
    # then: the right password is refused on both servers: the lockout is counted in the base
    for port in (office.b, office.a):
        refused = browser.sign_in(port, "locked", USER_PASSWORD)
        assert refused.status == 401
        assert "Вход под этим логином заблокирован" in refused.text


HOLD_SLOTS = DJANGO_PRELUDE + """
import sys, time
from kontora.core.models import HeavyRequest
HeavyRequest.objects.filter(token__startswith="stuck").delete()
for slot in range(int(sys.argv[2])):
    HeavyRequest.objects.create(user_id=int(sys.argv[1]), slot=slot, token=f"stuck{slot}",
                                started=int(time.time() * 1000))
"""


@pytest.mark.feature("SYS-10")
def test_heavy_request_slots_are_counted_across_both_servers(office):
    browser = _signed_in_admin(office)
    search = "/clients/search/find/?name=%D0%9E%D0%B1%D1%89%D0%B8%D0%B9"
    hold = office.homes[0]

    def holding(count: int) -> None:
        done = subprocess.run([sys.executable, "-c", HOLD_SLOTS, str(office.ids["admin"]), str(count)],
                              env=hold.env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr

    try:
        # given: both of the admin's slots held by requests running on A (their rows, as a stuck request leaves them)
        holding(2)
        # when / then: B refuses a third heavy request, and so does A
        assert browser.get(office.b, search).status == 429
        assert browser.get(office.a, search).status == 429
        # and once one of them ends, B runs the search (the positive control)
        holding(1)
        found = browser.get(office.b, search)
        assert found.status == 200
        assert "Общий клиент" in found.text
    finally:
        holding(0)


@pytest.mark.feature("SYS-10")
def test_a_job_started_through_one_server_is_run_by_a_worker_and_followed_on_the_other(office):
    # given
    browser = _signed_in_admin(office)

    shared = Path(office.homes[0].env["KONTORA_BACKUP_DIR"])

    def archives() -> set[Path]:
        return {path for folder in [shared, *(home.path / "backups" for home in office.homes)]
                for path in folder.glob("kontora-backup-*.tar")}

    before = archives()
    # when: a backup started from the page of A
    started = browser.post(office.a, "/administration/backups/create/", {})
    assert started.status == 302, started.text[:500]
    job = int(started.headers["location"].rsplit("job=", 1)[1])
    # then: one of the workers takes it from the Redis queue, and B's page follows it to the end
    status = ""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and status not in {"done", "failed", "cancelled"}:
        progress = browser.get(office.b, f"/jobs/{job}/progress/")
        assert progress.status == 200
        status = re.search(r'data-status="(\w+)"', progress.text).group(1)  # type: ignore[union-attr]
        time.sleep(0.3)
    assert status == "done", progress.text
    made = archives() - before
    assert [path.parent for path in made] == [shared]  # written by the worker that ran it, in the shared folder
    # and it downloads through either server, whichever worker wrote it
    archive = made.pop()
    for port in (office.a, office.b):
        download = browser.get(port, f"/administration/backups/{archive.name}/")
        assert download.status == 200, download.text[:300]
        assert download.body == archive.read_bytes()
    # no queue of its own in any home: the servers and the workers share the one in Redis
    assert not any((home.path / "jobs.sqlite3").exists() for home in office.homes)


RESTORE_REFUSED = re.compile(r"kontora: (\d+) Kontora process(?:es)? runs? on this base: (.+): stop (?:them|it) "
                             r"before restoring\n")


@pytest.mark.feature("SYS-10")
def test_restore_from_another_home_is_refused_while_the_servers_run(office):
    # given: an archive of the base, and home C, where nothing runs (no lock, no heartbeat there)
    archive = office.homes[0].run("backup").stdout.strip()
    assert archive.endswith(".tar")
    # when
    done = office.homes[2].run("restore", archive)
    # then: one line naming every server and worker of the base, and the base untouched
    assert done.returncode == 1
    matched = RESTORE_REFUSED.fullmatch(done.stderr)
    assert matched, done.stderr
    host = socket.gethostname()
    serve_a, serve_b, worker_a, worker_b = (process.popen.pid for process in office.processes)
    # The workers' pids are their own; a server's is that of `kontora serve` itself.
    assert int(matched.group(1)) == 4
    assert set(matched.group(2).split(", ")) == {
        f"server {host}:{office.a} (pid {serve_a})", f"server {host}:{office.b} (pid {serve_b})",
        f"worker {host} (pid {worker_a})", f"worker {host} (pid {worker_b})",
    }
    assert Browser().get(office.b, "/login/").status == 200


@pytest.mark.feature("SYS-10")
def test_check_on_a_home_without_a_worker_counts_the_workers_of_the_shared_queue(office):
    # when: the operator's console C, where no worker runs, is checked
    done = office.homes[2].run("check")
    # then: the workers of A and B serve its Redis queue
    worker_line = next(line for line in done.stdout.splitlines() if line.startswith(("OK   worker", "FAIL worker")))
    host = socket.gethostname()
    worker_a, worker_b = (process.popen.pid for process in office.processes[2:])
    assert worker_line.startswith("OK   worker: the Redis queue is served by "), done.stdout
    assert set(worker_line.split(" served by ", 1)[1].split(", ")) == {
        f"worker {host} (pid {worker_a})", f"worker {host} (pid {worker_b})",
    }


PRESENCE = DJANGO_PRELUDE + """
import sys
from datetime import timedelta
from django.utils import timezone
from kontora.core.models import ServerProcess
if sys.argv[1] == "stale":
    ServerProcess.objects.create(role="serve", host="gone.example", pid=4242, port=8000, home="/srv/gone",
                                 seen_at=timezone.now() - timedelta(minutes=5))
print(len(ServerProcess.objects.all()))
"""


@pytest.mark.feature("SYS-10")
def test_restore_waits_for_the_servers_of_every_home_and_ignores_the_rows_of_dead_ones(tmp_path, template):
    with shared_base(tmp_path / "office", template) as (a, b):
        worker = _start(a, "worker-A", "worker")
        try:
            _wait_ready(worker, lambda: (a.path / "worker.heartbeat").exists(), "beat its heart")
            # given: an archive made while the worker runs (its row is in it)
            archive = a.run("backup").stdout.strip()
            assert archive.endswith(".tar")
            # when: restored from B while A's worker runs
            refused = b.run("restore", archive)
            # then: refused, naming A's worker
            assert refused.returncode == 1
            assert refused.stderr == (f"kontora: 1 Kontora process runs on this base: worker {socket.gethostname()} "
                                      f"(pid {worker.popen.pid}): stop it before restoring\n")
        finally:
            _stop(worker)
        # given: the worker stopped cleanly (its row is gone), and a row left by a server killed long ago
        assert worker.popen.returncode == 0, worker.output()

        def presence(what: str) -> int:
            done = subprocess.run([sys.executable, "-c", PRESENCE, what], env=a.env, cwd=ROOT, capture_output=True,
                                  text=True, timeout=120, check=False)
            assert done.returncode == 0, done.stderr
            return int(done.stdout)

        assert presence("stale") == 1
        # when
        restored = b.run("restore", archive)
        # then: the restore runs, and the restored base lists no process (the archive's worker ran in another time)
        assert restored.returncode == 0, restored.stderr
        assert presence("count") == 0
