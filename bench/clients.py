"""Client registry: the first page, a deep keyset page and a Ctrl+F jump, each beside its own SQL run raw.

`run()` makes a fresh SQLite base (`kontora upgrade`), fills it with `kontora demo --clients N`
(N = CLIENTS: 200,000 — a million takes ~7 minutes to build on the reference machine, past the
3-minute budget), then measures in a child process. Every measure times a selector call and, called
in turn, the very statements that call sent (captured once with their parameters) run on the driver's
own cursor; the ratio is the ORM's and the view logic's overhead over the bare queries.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench import ROOT, Result, child_env, django_in

CLIENTS = 200_000
ROUNDS = int(os.environ.get("KONTORA_BENCH_ROUNDS", "200"))
WARMUP = 10
DEEP_PAGES = 500
FIND_TEXTS = ["ооо ел", "АО «Ве", "ип смирнов", "пао ю", "зао", "ооо «центр"]
# Ctrl+F by the meaningful part of a name, past its legal form (issue 13, item 8), and a text no name has (the
# cursor goes to the nearest name).
CORE_TEXTS = ["юпитер", "Гранит", "центрт", "ёлкам", "волгаагро", "смирнов", "щщщ"]


def _statements(call: Callable[[], object]) -> list[tuple[str, Any]]:
    from django.db import connection

    sent: list[tuple[str, Any]] = []

    def spy(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        call()
    return sent


def _compare(label: str, calls: list[Callable[[], object]], sizes: str) -> dict[str, Any]:
    from django.db import connection

    # Transaction control is not the request's work, and a BEGIN replayed without its COMMIT (sent by the driver,
    # not through a cursor) would fail the next one.
    plans = [[(sql, params) for sql, params in _statements(call)
              if not sql.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK"))]
             for call in calls]
    connection.ensure_connection()
    cursor = connection.connection.cursor()

    def raw(i: int) -> None:
        for sql, params in plans[i % len(plans)]:
            cursor.execute(sql if connection.vendor == "postgresql" else sql.replace("%s", "?"), params or ())
            if cursor.description is not None:  # a request's write (its session, say) has no rows to fetch
                cursor.fetchall()

    ours_times: list[float] = []
    raw_times: list[float] = []
    for i in range(WARMUP + ROUNDS):
        started = time.perf_counter()
        calls[i % len(calls)]()
        middle = time.perf_counter()
        raw(i)
        ended = time.perf_counter()
        if i >= WARMUP:
            ours_times.append((middle - started) * 1000)
            raw_times.append((ended - middle) * 1000)
    queries = sum(len(p) for p in plans) / len(plans)
    return {
        "measure": label, "value": statistics.median(ours_times), "baseline": statistics.median(raw_times),
        "unit": "ms", "sizes": f"{sizes}; {queries:g} queries a call, {ROUNDS} calls; {connection.vendor}",
    }


def _measure_all(home: str) -> list[dict[str, Any]]:
    django_in(home)
    from kontora.accounts.models import User
    from kontora.clients.access import visible_clients
    from kontora.clients.models import Client
    from kontora.clients.selectors import registry as selectors

    total = Client.objects.count()
    manager = User.objects.get(login="demo01")
    admin = User.objects.filter(login="bench-admin").first() or User.objects.create(
        login="bench-admin", login_key="bench-admin", full_name="Администратор", role="admin", client_scope="full")
    own = visible_clients(manager).count()
    sizes = f"{total:,} clients"

    def first_page(user: Any) -> Callable[[], object]:
        return lambda: selectors.registry_page(fetched_by=user, sort="name").rows

    deep_after = (visible_clients(admin).order_by("name_key", "id")
                  .values_list("pk", flat=True)[DEEP_PAGES * selectors.PAGE_SIZE])
    results = [
        _compare("registry first page, 50 rows by name, manager in own mode (median)", [first_page(manager)],
                 f"{sizes}, {own:,} of them the manager's"),
        _compare("registry first page, 50 rows by name, administrator in full mode (median)", [first_page(admin)],
                 sizes),
        _compare(f"registry page after {DEEP_PAGES} pages (keyset seek), by name, full mode (median)",
                 [lambda: selectors.registry_page(fetched_by=admin, sort="name", after=deep_after).rows], sizes),
        _compare("registry capped count «N of 10 000+», full mode (median)",
                 [lambda: selectors.registry_count(fetched_by=admin)], sizes),
        _compare("Ctrl+F jump to a typed name, 50 rows, full mode (median)",
                 [(lambda text=text: selectors.registry_page(fetched_by=admin, sort="name", find=text).rows)
                  for text in FIND_TEXTS], f"{sizes}; {len(FIND_TEXTS)} texts"),
        _compare("Ctrl+F by the meaningful part of a name (no legal form typed), 50 rows, full mode (median)",
                 [(lambda text=text: selectors.registry_page(fetched_by=admin, sort="name", find=text).rows)
                  for text in CORE_TEXTS], f"{sizes}; {len(CORE_TEXTS)} texts"),
    ]
    return results + _search_results(admin, sizes)


SEARCH_NAMES = ["маш", "трейд", "гранит", "елка", "ип смирн", "снаб"]
SEARCH_PHONES = ["555", "12-34", "916 1", "4951", "77"]


def _search_results(admin: Any, sizes: str) -> list[dict[str, Any]]:
    """Extended search (Shift+F): the first match of a name or phone fragment, through the trigram indexes."""
    from kontora.clients.selectors import search

    return [
        _compare("Shift+F first match of a name fragment, full mode (median)",
                 [(lambda text=text: search.search_next(fetched_by=admin, name=text)) for text in SEARCH_NAMES],
                 f"{sizes}; {len(SEARCH_NAMES)} fragments"),
        _compare("Shift+F first match of a phone fragment (clients, faxes, contacts), full mode (median)",
                 [(lambda text=text: search.search_next(fetched_by=admin, phone=text)) for text in SEARCH_PHONES],
                 f"{sizes}; {len(SEARCH_PHONES)} fragments"),
    ]


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="kontora-bench-") as home:
        env = child_env(home)
        subprocess.run([sys.executable, "-m", "kontora.cli", "upgrade"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "kontora.cli", "demo", "--clients", str(CLIENTS), "--events", "0",
                        "--tasks", "0"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        print(f"demo base of {CLIENTS:,} clients built in {time.monotonic() - started:.0f} s", file=sys.stderr)
        child = subprocess.run([sys.executable, "-m", "bench.clients", "measure", home], env=env, cwd=ROOT,
                               check=True, capture_output=True, text=True)
    return [Result("clients", **row) for row in json.loads(child.stdout)]


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"] or len(sys.argv) != 3:
        sys.exit("usage: python -m bench.clients measure KONTORA_HOME  (or: python -m bench clients)")
    print(json.dumps(_measure_all(sys.argv[2])))
