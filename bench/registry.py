"""The client registry at a million clients (REG-11): issue 4's performance targets, on SQLite and PostgreSQL.

`run()` builds (once: bases are cached under CACHE, keyed by size, seed, the migrations and SETUP_VERSION)
a SQLite base and a PostgreSQL base with `kontora upgrade` + `kontora demo --clients 1000000` (timed: the
10-minute target), adds the bench's own users (an administrator in "full" mode and a manager in "own" mode
who curates every 200th client, 5,000 in all), then measures each case in a child process with
bench.clients' method: the selector call beside the very statements it sent, replayed on the driver's
own cursor, alternated call by call; medians. The child reports its peak RSS (ru_maxrss).

PostgreSQL runs in a throwaway cluster of the bench's own (PG_DIR, 127.0.0.1:PG_PORT), started for the run
and stopped after it; without PostgreSQL binaries only SQLite is measured. KONTORA_BENCH_CLIENTS sets
another size (e.g. 50000 for a smoke run); KONTORA_BENCH_DATABASES=sqlite (or postgresql) runs just one.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench import ROOT, Result, child_env, django_in
from bench.clients import FIND_TEXTS, SEARCH_NAMES, SEARCH_PHONES, _compare, _statements

CLIENTS = int(os.environ.get("KONTORA_BENCH_CLIENTS", "1000000"))
SEED = 1
SETUP_VERSION = 1  # bump when _setup() changes: cached bases are rebuilt
CACHE = Path(os.environ.get("KONTORA_BENCH_CACHE", "/tmp/kontora-bench-registry"))  # shared by bench.card
PG_DIR = Path("/tmp/bench-pg")
PG_PORT = 54331
MANAGER_EVERY = 200  # the bench manager curates every 200th client: 5,000 of a million
DEEP_PAGE = 1000
DEMO_TARGET_S = 600.0
RSS_TARGET_MB = 200.0
RAW_FACTOR = 3.0  # every case within 3x of its raw SQL

# Targets in ms (issue 4); None: measured for information.
TARGETS = {
    "first": 30.0, "deep": None, "filter": 50.0, "find": 10.0, "search_name": 100.0, "search_phone": 100.0,
    "manager": 50.0, "count": None, "view": None,
}
DEEP_FACTOR = 2.0  # the 1000th page within 2x of the first
CPU_ROUNDS = 60


def _cpu_figures(calls: list[Callable[[], object]]) -> tuple[float, float]:
    """Median CPU ms of this thread per call, ours and the raw replay, alternated: on SQLite the whole query runs
    in this thread, so these are the wall figures of an idle machine — the one here is shared and busy."""
    import statistics

    from django.db import connection

    plans = [_statements(call) for call in calls]
    cursor = connection.connection.cursor()
    ours, raw = [], []
    for i in range(CPU_ROUNDS):
        started = time.thread_time()
        calls[i % len(calls)]()
        middle = time.thread_time()
        for sql, params in plans[i % len(plans)]:
            cursor.execute(sql.replace("%s", "?"), params or ())
            cursor.fetchall()
        ours.append((middle - started) * 1000)
        raw.append((time.thread_time() - middle) * 1000)
    return statistics.median(ours), statistics.median(raw)


def schema_version() -> str:
    """The migrations' names and contents (a migration rewritten under its name before it is released, too)."""
    digest = hashlib.sha256(f"setup {SETUP_VERSION}".encode())
    for path in sorted((ROOT / "kontora").glob("*/migrations/0*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:10]


def _key(clients: int | None = None) -> str:
    return f"{clients or CLIENTS}-s{SEED}-{schema_version()}"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _build(home: Path, env: dict[str, str], clients: int | None = None, *, history: bool = False,
           demo_args: list[str] | None = None) -> dict[str, Any]:
    """The base of `home` (upgrade, then the timed demo of `clients`, CLIENTS by default, then the bench's users),
    or the cached one's record; with `history`, the demo's events and tasks too (5 and 1 per client); `demo_args`
    are the demo's other options instead (bench.billing's invoices)."""
    clients = clients or CLIENTS
    marker = home / "bench-ready.json"
    if marker.exists():
        record: dict[str, Any] = json.loads(marker.read_text())
        print(f"reusing {home} (demo built in {record['demo_seconds']:.0f} s)", file=sys.stderr)
        return record
    if (home / "kontora.sqlite3").exists():
        shutil.rmtree(home)  # a build that did not finish: start over rather than add to its clients
    home.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "kontora.cli", "upgrade"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"building {clients:,} demo clients in {home} …", file=sys.stderr, flush=True)
    started, cpu = time.monotonic(), _children_cpu()
    # Without history the clients' fill alone: its own target. Invoices, sales and works never: bench.billing
    # builds its own bases.
    fill = ["--invoices", "0", "--sales", "0", "--works", "0"]
    if not history:
        fill += ["--events", "0", "--tasks", "0"]
    if demo_args is not None:
        fill = demo_args
    demo = subprocess.run([sys.executable, "-m", "kontora.cli", "demo", "--clients", str(clients), "--seed",
                           str(SEED), *fill], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    seconds, cpu = time.monotonic() - started, _children_cpu() - cpu
    print(f"  {demo.stdout.strip()} (whole command: {seconds:.0f} s, {cpu:.0f} s CPU)", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "bench.registry", "setup", str(home)], env=env, cwd=ROOT, check=True)
    record = {"demo_seconds": seconds, "demo_cpu_seconds": cpu, "demo_output": demo.stdout.strip(),
              "built": time.strftime("%Y-%m-%d %H:%M")}
    marker.write_text(json.dumps(record))
    return record


def _setup() -> None:
    """The bench's users: an administrator ("full") and a manager ("own") curating every 200th client."""
    from django.db import connection, transaction

    from kontora.accounts.models import User

    with transaction.atomic():
        User.objects.get_or_create(login="bench-admin", defaults=dict(
            login_key="bench-admin", full_name="Администратор Бенч", role="admin", client_scope="full"))
        manager, _ = User.objects.get_or_create(login="bench-manager", defaults=dict(
            login_key="bench-manager", full_name="Менеджер Бенч", role="manager", client_scope="own"))
        with connection.cursor() as cursor:
            cursor.execute("UPDATE clients_client SET curator_id = %s WHERE id - (id / %s) * %s = 0",
                           [manager.pk, MANAGER_EVERY, MANAGER_EVERY])
    # Statistics as `kontora demo` leaves them (an older base's demo may not have gathered them).
    from kontora.clients.demo import _analyze

    _analyze()


# --- PostgreSQL: the bench's own throwaway cluster ---------------------------------------------------------------

def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(re.sub(r"\D", "", p) or 0))
    return Path(found[-1]) if found else None


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextlib.contextmanager
def _pg_cluster(pg_bin: Path, directory: Path = PG_DIR, port: int = PG_PORT) -> Iterator[str]:
    """The URL of a server on `port`: the running one, or one started here in `directory` (initdb first if need
    be) and stopped on exit."""
    data = directory / "data"
    if not (data / "PG_VERSION").exists():
        directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres", "postgres")
        subprocess.run(_as_postgres([str(pg_bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                                     "-E", "UTF8", "--locale=C.UTF-8"]), check=True, stdout=subprocess.DEVNULL)
    running = subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "status"]),
                             stdout=subprocess.DEVNULL).returncode == 0
    if not running:
        # fsync off: a throwaway cluster, rebuilt if lost; reads, which are what is measured, are unaffected.
        options = (f"-h 127.0.0.1 -p {port} -k {directory} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c shared_buffers=256MB -c max_wal_size=4GB")
        subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(directory / "log"), "-w",
                                     "-o", options, "start"]), check=True, stdout=subprocess.DEVNULL)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        if not running:
            subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                           check=False, stdout=subprocess.DEVNULL)


def _pg_database(server: str, name: str, home: Path) -> str:
    """The URL of database `name`: kept when its build finished (the record in `home`), else made anew."""
    import psycopg

    marker = home / "bench-ready.json"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and not marker.exists():
            conn.execute(f'DROP DATABASE "{name}"')  # a build that did not finish
        if not exists or not marker.exists():
            marker.unlink(missing_ok=True)
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


# --- measuring (in the child) -----------------------------------------------------------------------------------

def _filter_q(user: Any, status: int, city: int, curator: int) -> tuple[Any, str]:
    """The three-condition Flexi-filter as the registry gets it; a hand-written Q while the engine is missing."""
    try:
        from kontora.clients.flexi.selectors.specs import parse, to_q  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        from django.db.models import Q

        return Q(status_id__in=[status]) & Q(settlement_id__in=[city]) & Q(curator_id__in=[curator]), "hand-written Q"
    spec = parse({"op": "and", "items": [
        {"field": "status", "operator": "in", "value": [status]},
        {"field": "city", "operator": "in", "value": [city]},
        {"field": "curator", "operator": "in", "value": [curator]},
    ]}, user=user)
    return to_q(spec, user=user), "Flexi engine"


def _view_call(user: Any) -> Callable[[], object]:
    """The rows view (Ctrl+F with an empty text answers the first page in the user's sort) through Django's
    test client: what the serving process does per request, short of the HTTP server."""
    from django.test import Client as HttpClient
    from django.urls import reverse

    http = HttpClient(SERVER_NAME="localhost")
    http.force_login(user)
    url = reverse("clients:registry_find") + "?q="

    def call() -> object:
        response = http.get(url)
        assert response.status_code == 200, response.status_code
        return response.content

    call()  # the first request after signing in writes (session, last seen); the measured ones only read
    return call


def _measure_all(home: str) -> list[dict[str, Any]]:
    django_in(home)
    from django.db import connection

    from kontora.accounts.models import User
    from kontora.clients.access import visible_clients
    from kontora.clients.models import Client, ContactPerson
    from kontora.clients.selectors import registry as selectors
    from kontora.clients.selectors import search
    from kontora.clients.selectors.sorting import default_sort

    admin = User.objects.get(login="bench-admin")
    manager = User.objects.get(login="bench-manager")
    total, contacts = Client.objects.count(), ContactPerson.objects.count()
    own = visible_clients(manager).count()
    sizes = f"{total:,} clients, {contacts:,} contacts"
    sort = default_sort(admin)

    def page(user: Any, **kwargs: Any) -> Callable[[], object]:
        return lambda: selectors.registry_page(fetched_by=user, **{"sort": sort, **kwargs}).rows

    deep = min(DEEP_PAGE, total // selectors.PAGE_SIZE // 2)  # a smoke run's small base has fewer pages
    deep_after = (visible_clients(admin).order_by("name_key", "id")
                  .values_list("pk", flat=True)[(deep - 1) * selectors.PAGE_SIZE - 1])
    sample = Client.objects.filter(code=1).values("status_id", "settlement_id", "curator_id").get()
    filter_q, engine = _filter_q(admin, sample["status_id"], sample["settlement_id"], sample["curator_id"])
    matching = selectors.registry_queryset(fetched_by=admin, filter_q=filter_q).count()

    cases: list[tuple[str, str, list[Callable[[], object]], str]] = [
        ("first", f"registry first page, default sort ({sort}), 50 rows, administrator (full mode)",
         [page(admin)], sizes),
        ("deep", f"registry page {deep} (keyset seek), default sort, full mode",
         [page(admin, after=deep_after)], sizes),
        ("filter", f"filter status + city + curator ({engine}), sorted by changed desc, full mode",
         [page(admin, sort="-changed", filter_q=filter_q)], f"{sizes}; {matching:,} match"),
        ("find", "Ctrl+F jump to a typed name prefix, 50 rows, full mode",
         [page(admin, find=text) for text in FIND_TEXTS], f"{sizes}; {len(FIND_TEXTS)} prefixes"),
        ("search_name", "Shift+F first match of a name fragment, full mode",
         [(lambda text=text: search.search_next(fetched_by=admin, name=text)) for text in SEARCH_NAMES],
         f"{sizes}; {len(SEARCH_NAMES)} fragments"),
        ("search_phone", "Shift+F first match of a phone fragment (clients, faxes, contacts), full mode",
         [(lambda text=text: search.search_next(fetched_by=admin, phone=text)) for text in SEARCH_PHONES],
         f"{sizes}; {len(SEARCH_PHONES)} fragments"),
        ("manager", "registry first page, default sort, manager in own mode",
         [page(manager)], f"{sizes}; {own:,} of them the manager's"),
        ("count", "registry capped count «N of 10 000+», full mode",
         [lambda: selectors.registry_count(fetched_by=admin)], sizes),
        ("view", "GET the first page's rows as the browser does (middleware, session, template), full mode",
         [], f"{sizes}; in-process test client"),
    ]
    rows = []
    partial = Path(home) / f"bench-partial-{connection.vendor}.jsonl"  # what a failed run still measured
    partial.write_text("")
    for case, label, calls, case_sizes in cases:
        print(f"  {connection.vendor}: {case} …", file=sys.stderr, flush=True)
        if case == "view":
            # Signed in right before it: the sign-in's writes (session, "last seen") stay out of the measured calls.
            calls = [_view_call(admin)]
        row = {"case": case, **_compare(label, calls, case_sizes)}
        if connection.vendor == "sqlite":
            row["cpu_value"], row["cpu_baseline"] = _cpu_figures(calls)
        rows.append(row)
        with partial.open("a") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append({"case": "rss", "measure": "peak RSS of the measuring process (baseline: the target)",
                 "value": peak, "baseline": RSS_TARGET_MB, "unit": "MB", "sizes": connection.vendor})
    return rows


def _verdicts(rows: list[dict[str, Any]]) -> list[str]:
    """One line a case: figure, raw SQL, ratio, the targets and pass/fail."""
    by_case = {row["case"]: row for row in rows}
    lines = []
    for row in rows:
        case, value, base = row["case"], row["value"], row["baseline"]
        checks: list[tuple[str, bool]] = []
        if case == "rss":
            checks.append((f"≤ {RSS_TARGET_MB:g} MB", value <= RSS_TARGET_MB))
        elif case == "demo":
            checks.append((f"≤ {DEMO_TARGET_S:g} s", value <= DEMO_TARGET_S))
        else:
            target = TARGETS.get(case)
            if target is not None:
                checks.append((f"≤ {target:g} ms", value <= target))
            if case == "deep" and "first" in by_case:
                checks.append((f"≤ {DEEP_FACTOR:g}× first page", value <= DEEP_FACTOR * by_case["first"]["value"]))
            if case != "view":  # a whole request (middleware, session, template) beside its SQL: information only
                checks.append((f"≤ {RAW_FACTOR:g}× raw", value <= RAW_FACTOR * base))
        verdict = ", ".join(f"{text} {'PASS' if ok else 'FAIL'}" for text, ok in checks)
        cpu = (f"  [CPU {row['cpu_value']:.3f} / raw {row['cpu_baseline']:.3f} ms]" if "cpu_value" in row else "")
        lines.append(f"{row['vendor']:<10} {case:<13} {value:9.3f} {row['unit']:<3} raw/base {base:9.3f}  "
                     f"ratio {value / base if base else float('inf'):6.2f}  {verdict}{cpu}")
    return lines


def _measure(vendor: str, home: Path, env: dict[str, str], record: dict[str, Any]) -> list[dict[str, Any]]:
    child = subprocess.run([sys.executable, "-m", "bench.registry", "measure", str(home)], env=env, cwd=ROOT,
                           check=True, stdout=subprocess.PIPE, text=True)
    rows = json.loads(child.stdout)
    rows.insert(0, {"case": "demo", "measure": f"`kontora demo --clients {CLIENTS}` (baseline: the target)",
                    "value": record["demo_seconds"], "baseline": DEMO_TARGET_S, "unit": "s",
                    "sizes": f"{record['demo_output']}; the command's own CPU time "
                             f"{record.get('demo_cpu_seconds', float('nan')):.0f} s (not the database server's)"})
    for row in rows:
        row["vendor"] = vendor
    return rows


def run() -> list[Result]:
    wanted = set(os.environ.get("KONTORA_BENCH_DATABASES", "sqlite,postgresql").split(","))
    rows: list[dict[str, Any]] = []
    if "sqlite" in wanted:
        home = CACHE / f"sqlite-{_key()}"
        env = child_env(home)
        rows += _measure("sqlite", home, env, _build(home, env))
    pg_bin = _pg_bin()
    if "postgresql" in wanted and pg_bin is None:
        print("no PostgreSQL binaries under /usr/lib/postgresql: PostgreSQL not measured", file=sys.stderr)
    elif "postgresql" in wanted and pg_bin is not None:
        with _pg_cluster(pg_bin) as server:
            home = CACHE / f"pg-{_key()}"
            home.mkdir(parents=True, exist_ok=True)
            env = child_env(home, _pg_database(server, f"kontora_{_key().replace('-', '_')}", home))
            rows += _measure("postgresql", home, env, _build(home, env))
    verdicts = _verdicts(rows)
    print("\n".join(verdicts), file=sys.stderr)
    out = ROOT / "build" / f"bench-registry-{'-'.join(sorted({row['vendor'] for row in rows}))}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"rows": rows, "verdicts": verdicts}, ensure_ascii=False, indent=1))
    return [Result(f"registry/{row['vendor']}", row["measure"], row["value"], row["baseline"], row["unit"],
                   row["sizes"]) for row in rows]


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command not in (["measure"], ["setup"]) or len(sys.argv) != 3:
        sys.exit("usage: python -m bench.registry measure|setup KONTORA_HOME  (or: python -m bench registry)")
    if command == ["setup"]:
        os.environ["KONTORA_HOME"] = sys.argv[2]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontora.settings")
        import django

        django.setup()
        _setup()
    else:
        print(json.dumps(_measure_all(sys.argv[2])))
