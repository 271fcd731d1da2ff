"""The client card (issue 12): its GET as a whole request, beside the raw SQL that request sent, at 100,000 and at
1,000,000 clients on SQLite (and on PostgreSQL at a million when KONTORA_BENCH_DATABASES names it).

The card draws its main requisites and the General tab; every other tab's pane loads when the tab is first shown,
so the bench also opens one pane (Operational work: six pickers and the competitors) and one with a journal inside
it (Registration data). Each case is a GET through Django's handler in-process (the test client, signed in as the
bench's administrator, DEBUG off: middleware, session, the view, the template), over several clients taken across
the base, alternated call by call with the very statements that request sent, replayed on the driver's cursor —
bench.clients' method; medians. The ratio is everything the request does over its bare SQL.

Bases are bench.registry's: built once with `kontora upgrade` + `kontora demo --clients N` and cached under its
CACHE (KONTORA_BENCH_CACHE), keyed by size, seed and the migrations; the million base is the registry bench's own.
KONTORA_BENCH_CARD_SIZES=100000 measures one size (e.g. a quick run). Target: the card ≤ 20 ms median.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import ROOT, Result, child_env, django_in
from bench.clients import _compare
from bench.registry import CACHE, _build, _cpu_figures, _key, _pg_bin, _pg_cluster, _pg_database

SIZES = tuple(int(size) for size in os.environ.get("KONTORA_BENCH_CARD_SIZES", "100000,1000000").split(","))
TARGET_MS = 20.0
SAMPLE = 7  # clients whose cards are opened in turn, spread over the base
PANES = ("operational", "registration")


def _get(http: Any, url: str) -> Callable[[], object]:
    def call() -> object:
        response = http.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content

    return call


def _measure_all(home: str) -> list[dict[str, Any]]:
    django_in(home)
    from django.conf import settings
    from django.db import connection
    from django.test import Client as HttpClient

    from kontora.accounts.models import User
    from kontora.clients.models import Client

    assert not settings.DEBUG
    admin = User.objects.get(login="bench-admin")
    total = Client.objects.count()
    step = max(total // SAMPLE, 1)
    ids = list(Client.objects.filter(kind=Client.Kind.COMPANY, code__in=[
        step // 2 + i * step for i in range(SAMPLE * 2)]).order_by("code").values_list("pk", flat=True)[:SAMPLE])
    http = HttpClient(SERVER_NAME="localhost")
    http.force_login(admin)
    # The first request after signing in writes (the session, "last seen"); the measured ones only read.
    _get(http, f"/clients/{ids[0]}/")()
    sizes = f"{total:,} clients; {len(ids)} companies' cards in turn"
    cases = [("card", "GET the client card (main requisites + General; other tabs load when shown), administrator",
              [_get(http, f"/clients/{pk}/") for pk in ids])]
    cases += [(f"pane_{code}", f"GET the card's {code} pane as its tab is first shown (htmx), administrator",
               [_get(http, f"/clients/{pk}/{code}/") for pk in ids]) for code in PANES]
    rows = []
    for case, label, calls in cases:
        print(f"  {connection.vendor} {total:,}: {case} …", file=sys.stderr, flush=True)
        row = {"case": case, "clients": total, "vendor": connection.vendor, **_compare(label, calls, sizes)}
        if connection.vendor == "sqlite":
            row["cpu_value"], row["cpu_baseline"] = _cpu_figures(calls)
        row["html_kb"] = len(calls[0]()) / 1024  # type: ignore[arg-type]
        rows.append(row)
    return rows


def _verdicts(rows: list[dict[str, Any]]) -> list[str]:
    lines = []
    for row in rows:
        value, base = row["value"], row["baseline"]
        verdict = f"  ≤ {TARGET_MS:g} ms {'PASS' if value <= TARGET_MS else 'FAIL'}" if row["case"] == "card" else ""
        cpu = f"  [CPU {row['cpu_value']:.2f} / raw {row['cpu_baseline']:.3f} ms]" if "cpu_value" in row else ""
        lines.append(f"{row['vendor']:<10} {row['clients']:>9,} {row['case']:<18} {value:8.2f} ms  raw SQL "
                     f"{base:7.3f} ms  ratio {value / base if base else float('inf'):7.1f}  {row['html_kb']:.0f} KB"
                     f"{verdict}{cpu}")
    return lines


def _measure(home: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    child = subprocess.run([sys.executable, "-m", "bench.card", "measure", str(home)], env=env, cwd=ROOT,
                           check=True, stdout=subprocess.PIPE, text=True)
    rows: list[dict[str, Any]] = json.loads(child.stdout)
    return rows


def run() -> list[Result]:
    wanted = set(os.environ.get("KONTORA_BENCH_DATABASES", "sqlite").split(","))
    rows: list[dict[str, Any]] = []
    if "sqlite" in wanted:
        for clients in SIZES:
            home = CACHE / f"sqlite-{_key(clients)}"
            env = child_env(home)
            _build(home, env, clients)
            rows += _measure(home, env)
    pg_bin = _pg_bin()
    if "postgresql" in wanted and pg_bin is not None:
        with _pg_cluster(pg_bin) as server:
            clients = max(SIZES)
            home = CACHE / f"pg-{_key(clients)}"
            home.mkdir(parents=True, exist_ok=True)
            env = child_env(home, _pg_database(server, f"kontora_{_key(clients).replace('-', '_')}", home))
            _build(home, env, clients)
            rows += _measure(home, env)
    verdicts = _verdicts(rows)
    print("\n".join(verdicts), file=sys.stderr)
    out = ROOT / "build" / "bench-card.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"rows": rows, "verdicts": verdicts}, ensure_ascii=False, indent=1))
    return [Result(f"card/{row['vendor']}", row["measure"], row["value"], row["baseline"], row["unit"],
                   row["sizes"]) for row in rows]


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"] or len(sys.argv) != 3:
        sys.exit("usage: python -m bench.card measure KONTORA_HOME  (or: python -m bench card)")
    print(json.dumps(_measure_all(sys.argv[2])))
