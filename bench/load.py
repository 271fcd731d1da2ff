"""A mixed read/write load of N signed-in sessions over HTTP against `kontora serve` (issue 12).

Kontora: SQLite with one `kontora serve` (default 1,000,000 clients, 20 sessions), and PostgreSQL with two
`kontora serve` on one base (default 100,000 clients, 20 sessions split between them). Each session is a user of
its own (a manager in "full" mode, made in the base before the run), so the per-user limits of core.budget (two
heavy requests at once) and of the duplicate check (20 a minute) never stand in for the server. The sessions sign
in over HTTP one after the other (the login form and its CSRF token, cookies kept by hand on one keep-alive
connection each), then all at once each sends REQUESTS requests back to back (THINK ms apart, 0 by default) in a
fixed shuffled order: 20 % new clients (the card's
form posted as the browser posts it, "save anyway" ticked, a unique name, phone and INN each), 80 % reads spread
evenly over the registry's next rows (htmx partial), Ctrl+F (jump to a name prefix), Shift+F (first match of a
name or phone fragment) and the client card (the whole page).

Reported: requests/s over the whole load, p50/p95 of each kind in ms (whole requests as the client sees them), and
the errors — any 5xx, connection error or unexpected answer; they must be 0. A save whose form came back (the
reason is tallied), 429 (a user's heavy slot busy) and 422 (the request's time budget ran out) are counted apart.
Afterwards the base is asked whether every client the load saved exists, with a code of its own. Baseline: the
same sessions and the same request order on bench/bare_app.py (Django, one view, no database) served by the same
granian command line, as many servers and workers — what the machine and this load generator cost without Kontora.

The load runs on a copy of the cached base (bench.registry's builder and cache; the PostgreSQL copy is a database
made from the cached one as template), so the cache stays as built. Knobs (environment):
  KONTORA_BENCH_DATABASES=sqlite,postgresql   which to run
  KONTORA_BENCH_CLIENTS                       the base size of both (else the two below)
  KONTORA_BENCH_LOAD_SQLITE_CLIENTS=1000000, KONTORA_BENCH_LOAD_PG_CLIENTS=100000
  KONTORA_BENCH_LOAD_SESSIONS=20               sessions in all (split evenly between the servers)
  KONTORA_BENCH_LOAD_REQUESTS=100              requests per session
  KONTORA_BENCH_LOAD_WORKERS                   workers per server (default: 2 for the one SQLite server, 1 for
                                               each PostgreSQL server: two processes on the 2-core machine either way)
  KONTORA_BENCH_LOAD_THINK_MS=0                pause between two requests of a session
  KONTORA_BENCH_LOAD_SQLITE_HOME               a prepared KONTORA_HOME to copy instead of the cached base (e.g. an
                                               older million-client base: the copy is upgraded before the run)
Figures are printed as a table and as lines to paste into bench/RESULTS.md; build/bench-load-*.json keeps them.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from bench import ROOT, Result, child_env, registry
from bench.clients import FIND_TEXTS, SEARCH_NAMES, SEARCH_PHONES
from bench.startup import _free_port
from kontora.cli import DEFAULT_THREADS, granian_command

HOST = "127.0.0.1"
PASSWORD = "Bench-load-password-1"
LOGIN = "bench-load-{:03d}"
NAME_MARK = "Нагрузка"  # in the short name of every client the load saves: the verification finds them by it
PG_DIR = Path("/tmp/bench-pg-load")  # the load's own throwaway cluster, apart from bench.registry's
PG_PORT = 54341
WRITE_SHARE = 0.2
READS = ("rows", "find", "search", "card")
KINDS = (*READS, "new")
SAMPLE = 400  # client ids the reads pick from
TIMEOUT = 120  # seconds one request may take before it counts as a connection error


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


SESSIONS = _env_int("KONTORA_BENCH_LOAD_SESSIONS", 20)
REQUESTS = _env_int("KONTORA_BENCH_LOAD_REQUESTS", 100)
THINK = _env_int("KONTORA_BENCH_LOAD_THINK_MS", 0) / 1000


# --- one session: a keep-alive connection, cookies by hand --------------------------------------------------------

class _FormFields(HTMLParser):
    """The fields a browser would post with the form whose action is `action`: hidden and text values, checked boxes
    and radios, selected options."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.select = action, False, ""
        self.fields: list[tuple[str, str]] = []
        self.fieldsets: list[bool] = []  # open fieldsets inside the form, each whether disabled (sends nothing)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("action", "") == self.action  # no action: the page's own address
        elif self.inside and tag == "fieldset":
            self.fieldsets.append("disabled" in a)
        elif not self.inside or "disabled" in a or any(self.fieldsets):
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in {"submit", "button", "file"}:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.fields.append((a["name"], ""))
        elif tag == "select":
            self.select = a.get("name", "")
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "fieldset" and self.inside and self.fieldsets:
            self.fieldsets.pop()
        elif tag == "select":
            self.select = ""


@dataclass
class Session:
    port: int
    number: int
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None
    form: list[tuple[str, str]] = field(default_factory=list)

    def request(self, method: str, path: str, body: dict[str, str] | list[tuple[str, str]] | None = None,
                htmx: bool = False) -> tuple[int, dict[str, str], bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        if htmx:
            headers["HX-Request"] = "true"
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if self.connection is None:
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None  # the next request opens a new connection
            raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content

    def sign_in(self) -> None:
        status, _h, page = self.request("GET", "/login/")
        token = _token(page, "")
        status, _h, _b = self.request("POST", "/login/", [
            ("csrfmiddlewaretoken", token), ("login", LOGIN.format(self.number)), ("password", PASSWORD)])
        if status != 302:
            raise RuntimeError(f"session {self.number}: signing in answered {status}")
        for path in ("/", "/clients/new/"):  # the main window, then the new card's form the writes post
            status, _h, page = self.request("GET", path)
            if status != 200:
                raise RuntimeError(f"session {self.number}: GET {path} answered {status}")
        parser = _FormFields("/clients/new/")
        parser.feed(page.decode())
        self.form = parser.fields
        if not any(name == "short_name" for name, _v in self.form):
            raise RuntimeError(f"session {self.number}: no card form on /clients/new/")


def _token(page: bytes, action: str) -> str:
    parser = _FormFields(action)
    parser.feed(page.decode())
    return next(value for name, value in parser.fields if name == "csrfmiddlewaretoken")


# --- the load --------------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    kind: str
    seconds: float
    status: int  # 0: a connection error
    ok: bool  # the answer the kind expects (a read: 200; a new client: the redirect to its card)
    created: int | None = None
    reason: str = ""  # why a save came back: the card's errors, or the field's


def _plan(session: int, requests: int) -> list[str]:
    """The session's kinds in order: exactly WRITE_SHARE new clients, the reads in turn, shuffled by a seed of the
    session's own, so the bare baseline gets the very same order."""
    writes = round(requests * WRITE_SHARE)
    kinds = ["new"] * writes + [READS[i % len(READS)] for i in range(requests - writes)]
    random.Random(session).shuffle(kinds)
    return kinds


def _new_client(session: Session, tag: int, n: int) -> list[tuple[str, str]]:
    from kontora.core.requisites import inn_check_digits

    body = f"{tag:02d}{session.number:03d}{n:04d}"
    unique = {"short_name": f"ООО «{NAME_MARK} {tag:02d}-{session.number:03d}-{n:04d}»",
              "phone": f"+7 (9{tag:02d}) {session.number:03d}-{n // 100:02d}-{n % 100:02d}",
              "inn": body + inn_check_digits(body), "save_anyway": "on"}
    return [(name, value) for name, value in session.form if name not in unique] + list(unique.items())


def _kontora_call(session: Session, kind: str, rnd: random.Random, ids: list[int], tag: int, n: int
                  ) -> Outcome:
    started = time.perf_counter()
    created = None
    if kind == "rows":
        status, headers, _b = session.request("GET", f"/clients/registry/rows/?after={rnd.choice(ids)}", htmx=True)
    elif kind == "find":
        status, headers, _b = session.request("GET", f"/clients/registry/find/?q={quote(rnd.choice(FIND_TEXTS))}",
                                              htmx=True)
    elif kind == "search":
        query = (f"name={quote(rnd.choice(SEARCH_NAMES))}" if rnd.random() < 0.5
                 else f"phone={quote(rnd.choice(SEARCH_PHONES))}")
        status, headers, _b = session.request("GET", f"/clients/search/find/?{query}", htmx=True)
    elif kind == "card":
        status, headers, _b = session.request("GET", f"/clients/{rnd.choice(ids)}/")
    else:
        status, headers, page = session.request("POST", "/clients/new/", _new_client(session, tag, n), htmx=True)
        target = headers.get("hx-redirect") or headers.get("location") or ""
        if status in (204, 302) and target.rstrip("/").rsplit("/", 1)[-1].isdigit():
            created = int(target.rstrip("/").rsplit("/", 1)[-1])
    ok = created is not None if kind == "new" else status == 200
    reason = _reason(page) if kind == "new" and not ok else ""
    return Outcome(kind, time.perf_counter() - started, status, ok, created, reason)


def _reason(page: bytes) -> str:
    text = page.decode(errors="replace")
    found = (re.search(r'data-testid="card-errors">(.*?)</div></div>', text, re.S)
             or re.search(r'data-testid="error-[\w-]+">([^<]*)', text))
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip()[:160] if found else ""


def _bare_call(session: Session, kind: str) -> Outcome:
    started = time.perf_counter()
    status, _h, _b = session.request("POST" if kind == "new" else "GET", "/", {} if kind == "new" else None)
    return Outcome(kind, time.perf_counter() - started, status, status == 200)


def _load(sessions: list[Session], call: Callable[[Session, str, random.Random, int], Outcome]
          ) -> tuple[float, list[Outcome]]:
    """Every session's plan at once, a thread a session; the wall time from the first request to the last answer."""
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    start = threading.Barrier(len(sessions) + 1)

    def worker(session: Session) -> None:
        rnd = random.Random(1000 + session.number)
        mine, writes = [], 0
        start.wait()
        for kind in _plan(session.number, REQUESTS):
            try:
                outcome = call(session, kind, rnd, writes)
            except (OSError, http.client.HTTPException):
                outcome = Outcome(kind, 0.0, 0, False)
            writes += kind == "new"
            mine.append(outcome)
            if THINK:
                time.sleep(THINK)
        with lock:
            outcomes.extend(mine)

    threads = [threading.Thread(target=worker, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, outcomes


# --- servers ---------------------------------------------------------------------------------------------------

def _wait_http(port: int, child: subprocess.Popen[bytes], path: str) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with code {child.returncode}")
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not answer within 300 s")


@contextlib.contextmanager
def _servers(commands: list[tuple[list[str], dict[str, str]]], path: str) -> Iterator[list[int]]:
    """Starts each command ("{port}" in it replaced by a free port), yields the ports once all answer, stops them
    after."""
    children, ports = [], []
    try:
        for command, env in commands:
            port = _free_port()
            command = [part.replace("{port}", str(port)) for part in command]
            children.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL))
            ports.append(port)
        for port, child in zip(ports, children, strict=True):
            _wait_http(port, child, path)
        yield ports
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _serve(workers: int) -> list[str]:
    return [sys.executable, "-m", "kontora.cli", "serve", "--host", HOST, "--port", "{port}", "--workers",
            str(workers), "--threads", str(DEFAULT_THREADS)]


def _bare(workers: int) -> list[str]:
    command = granian_command("bench.bare_app:application", host=HOST, port=0, workers=workers,
                              threads=DEFAULT_THREADS)
    command[command.index("--port") + 1] = "{port}"
    return command


def _run_pair(vendor: str, homes: list[tuple[Path, dict[str, str]]], workers: int, ids: list[int]
              ) -> dict[str, Any]:
    """The load on Kontora (a server per home), then the same load on the bare app (as many servers)."""
    tag = random.Random().randrange(10, 100)
    figures: dict[str, Any] = {}
    for side in ("kontora", "bare"):
        if side == "kontora":
            commands = [(_serve(workers), env) for _home, env in homes]
        else:
            commands = [(_bare(workers), homes[0][1]) for _home in homes]
        with _servers(commands, "/login/" if side == "kontora" else "/") as ports:
            sessions = [Session(ports[i % len(ports)], i + 1) for i in range(SESSIONS)]
            if side == "kontora":
                print(f"  {vendor}: signing in {len(sessions)} sessions …", file=sys.stderr, flush=True)
                # One after the other: the password hash is CPU work by design, and twenty at once on two cores
                # ran past the 5 s request budget (422, even 401). A morning's sign-ins are not this load.
                for session in sessions:
                    session.sign_in()

                def call(session: Session, kind: str, rnd: random.Random, n: int) -> Outcome:
                    return _kontora_call(session, kind, rnd, ids, tag, n)
            else:
                def call(session: Session, kind: str, rnd: random.Random, n: int) -> Outcome:
                    return _bare_call(session, kind)
            print(f"  {vendor}: {side}: {len(sessions)} sessions × {REQUESTS} requests on {len(ports)} "
                  f"server(s) × {workers} worker(s) …", file=sys.stderr, flush=True)
            seconds, outcomes = _load(sessions, call)
            for session in sessions:
                if session.connection is not None:
                    session.connection.close()
        figures[side] = _summary(seconds, outcomes)
        if side == "kontora":
            figures["created"] = sorted(o.created for o in outcomes if o.created is not None)
            figures["tag"] = tag
    return figures


def _summary(seconds: float, outcomes: list[Outcome]) -> dict[str, Any]:
    def pct(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if len(values) > 1 else (
            values[0] * 1000 if values else float("nan"))

    kinds: dict[str, Any] = {}
    for kind in KINDS:
        mine = [o for o in outcomes if o.kind == kind]
        times = [o.seconds for o in mine if o.ok]
        kinds[kind] = {"count": len(mine), "p50": pct(times, 50), "p95": pct(times, 95),
                       "statuses": dict(Counter(str(o.status) for o in mine))}
        if reasons := Counter(o.reason for o in mine if o.reason):
            kinds[kind]["reasons"] = dict(reasons)
    reads = [o.seconds for o in outcomes if o.kind in READS and o.ok]
    return {
        "seconds": seconds, "requests": len(outcomes), "per_second": len(outcomes) / seconds,
        "kinds": kinds, "reads": {"p50": pct(reads, 50), "p95": pct(reads, 95)},
        "statuses": dict(Counter(str(o.status) for o in outcomes)),
        # 5xx, connection errors, unexpected answers; a save whose form came back (its reason tallied) is counted
        # apart, as the refusals (429, 422) are: the server answered as designed, yet the client was not saved.
        "errors": sum(1 for o in outcomes if not o.ok and o.status not in (429, 422) and not o.reason),
        "refused_saves": sum(1 for o in outcomes if not o.ok and o.reason),
        "busy_429": sum(1 for o in outcomes if o.status == 429),
        "overrun_422": sum(1 for o in outcomes if o.status == 422),
    }


# --- the bases -------------------------------------------------------------------------------------------------

def _sizes() -> tuple[int, int]:
    both = os.environ.get("KONTORA_BENCH_CLIENTS")
    return (int(both or os.environ.get("KONTORA_BENCH_LOAD_SQLITE_CLIENTS") or 1_000_000),
            int(both or os.environ.get("KONTORA_BENCH_LOAD_PG_CLIENTS") or 100_000))


def _child(command: str, env: dict[str, str], *args: str) -> Any:
    out = subprocess.run([sys.executable, "-m", "bench.load", command, *args], env=env, cwd=ROOT, check=True,
                         stdout=subprocess.PIPE, text=True)
    return json.loads(out.stdout)


def _run_sqlite(clients: int, workers: int) -> dict[str, Any]:
    source = os.environ.get("KONTORA_BENCH_LOAD_SQLITE_HOME")
    if source:
        cached = Path(source)
    else:
        cached = registry.CACHE / f"sqlite-{registry._key(clients)}"
        registry._build(cached, child_env(cached), clients)
    with tempfile.TemporaryDirectory(prefix="kontora-bench-load-") as work:
        home = Path(work)
        print(f"  sqlite: copying {cached} …", file=sys.stderr, flush=True)
        for name in ("kontora.sqlite3", "secret_key"):
            shutil.copyfile(cached / name, home / name)
        env = child_env(home)
        subprocess.run([sys.executable, "-m", "kontora.cli", "upgrade"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(home / "backups", ignore_errors=True)  # the upgrade's backup of the copy, when there was one
        before = _child("setup", env, str(SESSIONS))
        figures = _run_pair("sqlite", [(home, env)], workers, before["ids"])
        figures["verify"] = _child("verify", env, str(figures["tag"]), json.dumps(figures["created"]))
    figures["before"] = {k: v for k, v in before.items() if k != "ids"}
    return figures


def _run_postgresql(clients: int, workers: int) -> dict[str, Any] | None:
    pg_bin = registry._pg_bin()
    if pg_bin is None:
        print("no PostgreSQL binaries under /usr/lib/postgresql: PostgreSQL not measured", file=sys.stderr)
        return None
    import psycopg

    with registry._pg_cluster(pg_bin, PG_DIR, PG_PORT) as server:
        cached = registry.CACHE / f"pg-load-{registry._key(clients)}"  # its database lives in the load's cluster
        cached.mkdir(parents=True, exist_ok=True)
        name = f"kontora_{registry._key(clients).replace('-', '_')}"
        registry._build(cached, child_env(cached, registry._pg_database(server, name, cached)), clients)
        run = f"{name}_load"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{run}"')
            conn.execute(f'CREATE DATABASE "{run}" TEMPLATE "{name}"')
        try:
            with tempfile.TemporaryDirectory(prefix="kontora-bench-load-") as work:
                # Two servers on one base: a home each (its lock, its job queue), one secret key.
                homes = []
                for letter in ("a", "b"):
                    home = Path(work) / letter
                    home.mkdir()
                    env = {**child_env(home, f"{server}/{run}"), "KONTORA_SECRET_KEY": "bench-load-shared-key"}
                    homes.append((home, env))
                before = _child("setup", homes[0][1], str(SESSIONS))
                figures = _run_pair("postgresql", homes, workers, before["ids"])
                figures["verify"] = _child("verify", homes[0][1], str(figures["tag"]), json.dumps(figures["created"]))
        finally:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{run}" WITH (FORCE)')
    figures["before"] = {k: v for k, v in before.items() if k != "ids"}
    return figures


# --- in the base (children) ------------------------------------------------------------------------------------

def _setup(sessions: int) -> dict[str, Any]:
    """The sessions' users (managers in "full" mode, through the users' service), and the client ids to read."""
    from django.db import connection

    from kontora.accounts.models import User
    from kontora.accounts.services.users import UserAccess, UserProfile, user_create
    from kontora.clients.access import openable_clients
    from kontora.clients.models import Client

    for number in range(1, sessions + 1):
        login = LOGIN.format(number)
        if not User.objects.filter(login=login).exists():
            user_create(acting_user=None, profile=UserProfile(login=login, full_name=f"Нагрузка Бенч {number:03d}"),
                        access=UserAccess(role="manager", client_scope="full"), password=PASSWORD)
    total = Client.objects.count()
    with connection.cursor() as cursor:  # evenly spread over the ids, without sorting a million rows at random
        cursor.execute("SELECT MIN(id), MAX(id) FROM clients_client")
        low, high = cursor.fetchone()
    rnd = random.Random(7)
    wanted = sorted({rnd.randint(low, high) for _ in range(SAMPLE * 2)})
    # Clients every session may open (a full-mode manager does not see another's private client: a 404).
    user = User.objects.get(login=LOGIN.format(1))
    ids = list(openable_clients(user).filter(pk__in=wanted).values_list("pk", flat=True))[:SAMPLE]
    return {"clients": total, "ids": ids}


def _verify(tag: int, created: list[int]) -> dict[str, Any]:
    """Whether every client the load saved is in the base, each with a code of its own."""
    from django.db.models import Count

    from kontora.clients.models import Client

    mine = Client.objects.filter(short_name__startswith=f"ООО «{NAME_MARK} {tag:02d}-")
    found = set(mine.values_list("pk", flat=True))
    codes = mine.values("code").distinct().count()
    doubled = Client.objects.values("code").annotate(n=Count("id")).filter(n__gt=1).count()
    return {"saved_by_load": len(created), "in_base": len(found), "missing": len(set(created) - found),
            "distinct_codes": codes, "codes_used_twice_in_base": doubled, "clients_after": Client.objects.count()}


# --- the report ------------------------------------------------------------------------------------------------

def _lines(vendor: str, clients: int, servers: int, workers: int, figures: dict[str, Any]) -> list[str]:
    k, b, v = figures["kontora"], figures["bare"], figures["verify"]
    lines = [f"{vendor}: {clients:,} clients, {servers} server(s) × {workers} worker(s), {SESSIONS} sessions × "
             f"{REQUESTS} requests, think {THINK * 1000:g} ms",
             f"  requests/s {k['per_second']:.1f} (bare {b['per_second']:.0f}); {k['requests']} requests in "
             f"{k['seconds']:.1f} s; errors {k['errors']}, saves refused {k['refused_saves']}, 429 {k['busy_429']}, "
             f"422 {k['overrun_422']}; "
             f"statuses {k['statuses']}"]
    for kind in (*KINDS, "reads"):
        ours = k["kinds"].get(kind) or k["reads"]
        theirs = b["kinds"].get(kind) or b["reads"]
        count = f"n={ours['count']:<4}" if "count" in ours else "      "
        lines.append(f"  {kind:<7} {count} p50 {ours['p50']:8.1f} ms  p95 {ours['p95']:8.1f} ms   "
                     f"(bare p50 {theirs['p50']:6.1f}, p95 {theirs['p95']:6.1f})  {ours.get('statuses', '')}")
        for text, times in ours.get("reasons", {}).items():
            lines.append(f"          {times} × {text}")
    sound = k["errors"] == 0 and v["missing"] == 0 and v["codes_used_twice_in_base"] == 0 and (
        v["in_base"] == v["saved_by_load"] == v["distinct_codes"])
    lines.append(f"  verified in the base: {v} — {'PASS' if sound else 'FAIL'} (no errors, every save kept, "
                 "codes unique)")
    # The row of bench/RESULTS.md's table, to paste.
    new = k["kinds"]["new"]
    missed = new["count"] - len(figures["created"])
    cells = [f"{'SQLite' if vendor == 'sqlite' else 'PostgreSQL'}, {clients:,} clients, "
             f"{servers} server{'s' if servers > 1 else ''}, {SESSIONS} × {REQUESTS}",
             f"{k['per_second']:.1f} ({b['per_second']:,.0f})",
             *(f"{k['kinds'][kind]['p50']:,.0f} / {k['kinds'][kind]['p95']:,.0f}" for kind in KINDS),
             f"{missed} of {new['count']}" + (f" ({k['overrun_422']} × 422)" if k["overrun_422"] else "")]
    lines.append("  | " + " | ".join(cells) + " |")
    return lines


def run() -> list[Result]:
    wanted = set(os.environ.get("KONTORA_BENCH_DATABASES", "sqlite,postgresql").split(","))
    sqlite_clients, pg_clients = _sizes()
    results: list[Result] = []
    report: dict[str, Any] = {}
    lines: list[str] = []
    runs: list[tuple[str, int, int, int, Callable[[int, int], dict[str, Any] | None]]] = []
    if "sqlite" in wanted:
        runs.append(("sqlite", sqlite_clients, 1, _env_int("KONTORA_BENCH_LOAD_WORKERS", 2), _run_sqlite))
    if "postgresql" in wanted:
        runs.append(("postgresql", pg_clients, 2, _env_int("KONTORA_BENCH_LOAD_WORKERS", 1), _run_postgresql))
    for vendor, clients, servers, workers, runner in runs:
        figures = runner(clients, workers)
        if figures is None:
            continue
        report[vendor] = figures
        lines += _lines(vendor, clients, servers, workers, figures)
        k, b = figures["kontora"], figures["bare"]
        sizes = f"{clients:,} clients; {servers}×{workers} workers; {SESSIONS}×{REQUESTS} requests"
        name = f"load/{vendor}"
        results.append(Result(name, "requests/s (baseline: bare app)", k["per_second"], b["per_second"], "/s",
                              f"{sizes}; errors {k['errors']} (must be 0), saves refused {k['refused_saves']}, "
                              f"429: {k['busy_429']}, "
                              f"422: {k['overrun_422']}"))
        for kind in KINDS:
            for q in ("p50", "p95"):
                results.append(Result(name, f"{kind} {q}", k["kinds"][kind][q], b["kinds"][kind][q], "ms",
                                      f"n={k['kinds'][kind]['count']}"))
    print("\n".join(lines), file=sys.stderr)
    out = ROOT / "build" / f"bench-load-{'-'.join(sorted(report))}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"report": report, "lines": lines}, ensure_ascii=False, indent=1))
    return results


if __name__ == "__main__":
    if (sys.argv[1:2], len(sys.argv)) not in ((["setup"], 3), (["verify"], 4)):
        sys.exit("usage: python -m bench.load setup SESSIONS | verify TAG CREATED  (or: python -m bench load)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontora.settings")
    import django

    django.setup()
    if sys.argv[1] == "setup":
        print(json.dumps(_setup(int(sys.argv[2]))))
    else:
        print(json.dumps(_verify(int(sys.argv[2]), json.loads(sys.argv[3]))))
