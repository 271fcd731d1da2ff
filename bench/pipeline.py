"""The sales ladder board at a million clients (LAD-04, issue 15): its first load, unfiltered, with exact counts
(target ≤ 200 ms), for an administrator ("full" mode: every client in scope) and a manager ("own" mode, 5,000
clients); each beside the very statements it sent replayed raw (bench.clients' method), and the whole request.

The base is bench.registry's million-client SQLite base (built once and cached there); this bench spreads its
clients over the seeded ladder's stages (a tenth off the ladder), once, marked in the base's home. PostgreSQL is
measured when KONTORA_BENCH_DATABASES names it (its base is bench.registry's too).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from bench import ROOT, Result, child_env, django_in
from bench.clients import _compare
from bench.registry import CACHE, _build, _key, _pg_bin, _pg_cluster, _pg_database

MARKER = "pipeline-ready.json"
TARGET_MS = 200.0


def _spread() -> dict[str, Any]:
    """Every client on a stage by its id (id mod 10: 0 off the ladder, else one of the active stages in turn)."""
    from django.db import connection, transaction

    from kontora.clients.demo import _analyze
    from kontora.directories.models import LadderStage

    stages = list(LadderStage.objects.filter(is_active=True).order_by("order", "name", "id").values_list("pk",
                                                                                                      flat=True))
    # One pass: every UPDATE rewrites its rows and every index of the table (on PostgreSQL a new row version), so
    # eight statements cost eight times one.
    turns = " ".join(f"WHEN {index} THEN {int(stage)}" for index, stage in enumerate(stages))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE clients_client SET ladder_stage_id = CASE WHEN id - (id / 10) * 10 = 0 THEN NULL "
                       f"ELSE CASE (id - (id / 10) * 10 - 1) %% %s {turns} END END", [len(stages)])
    if connection.vendor == "postgresql":
        # The UPDATE left a dead version of every row and every index entry: the stage index measured 183 MB against
        # 69 MB rebuilt, and the board's counts read it whole. No office's base has every row rewritten at once.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM clients_client")
            cursor.execute("REINDEX INDEX clients_ladder_seek")
    _analyze()
    return {"stages": len(stages)}


def _measure_all(home: str) -> list[dict[str, Any]]:
    django_in(home)
    from django.db import connection
    from django.test import Client as HttpClient

    from kontora.accounts.models import User
    from kontora.clients.models import Client
    from kontora.pipeline import selectors

    admin = User.objects.get(login="bench-admin")
    manager = User.objects.get(login="bench-manager")
    total = Client.objects.count()

    def first_load(user: Any) -> Any:
        def call() -> object:
            columns = selectors.stages()
            return selectors.counts(user, None, columns, exact=False), selectors.first_cards(user, None, columns)
        return call

    def request(user: Any) -> Any:
        http = HttpClient(SERVER_NAME="localhost")
        http.force_login(user)

        def call() -> object:
            response = http.get("/pipeline/board/")
            assert response.status_code == 200, response.status_code
            return response.content

        call()  # the first request after signing in writes its session; the measured ones only read
        return call

    columns = len(selectors.stages())
    sizes = f"{total:,} clients, {columns} columns of {selectors.PAGE} cards"
    cases = [
        ("admin", "board first load: exact counts and every column's first cards, administrator (full mode)",
         first_load(admin), sizes),
        ("manager", "board first load, manager in own mode", first_load(manager),
         f"{sizes}; {selectors.scoped(manager, None).count():,} of them the manager's"),
        ("view", "GET /pipeline/board/ (middleware, session, template), administrator", request(admin), sizes),
    ]
    rows = []
    for case, label, call, case_sizes in cases:
        print(f"  {connection.vendor}: {case} …", file=sys.stderr, flush=True)
        rows.append({"case": case, **_compare(label, [call], case_sizes)})
    return rows


def _measure(vendor: str, home: Any, env: dict[str, str]) -> list[dict[str, Any]]:
    import subprocess

    _build(home, env)
    if not (home / MARKER).exists():
        subprocess.run([sys.executable, "-m", "bench.pipeline", "setup", str(home)], env=env, cwd=ROOT, check=True)
    child = subprocess.run([sys.executable, "-m", "bench.pipeline", "measure", str(home)], env=env, cwd=ROOT,
                           check=True, stdout=subprocess.PIPE, text=True)
    rows: list[dict[str, Any]] = json.loads(child.stdout)
    for row in rows:
        row["vendor"] = vendor
    return rows


def run() -> list[Result]:
    wanted = set(os.environ.get("KONTORA_BENCH_DATABASES", "sqlite").split(","))
    rows: list[dict[str, Any]] = []
    if "sqlite" in wanted:
        home = CACHE / f"sqlite-{_key()}"
        rows += _measure("sqlite", home, child_env(home))
    pg_bin = _pg_bin()
    if "postgresql" in wanted and pg_bin is not None:
        with _pg_cluster(pg_bin) as server:
            home = CACHE / f"pg-{_key()}"
            home.mkdir(parents=True, exist_ok=True)
            rows += _measure("postgresql", home,
                             child_env(home, _pg_database(server, f"kontora_{_key().replace('-', '_')}", home)))
    results = []
    for row in rows:
        baseline, unit = row["baseline"], row["unit"]
        if row["case"] == "view":  # a whole request: milliseconds beside the target
            baseline = TARGET_MS
        results.append(Result(f"pipeline/{row['vendor']}", row["measure"], row["value"], baseline, unit,
                              row["sizes"]))
    return results


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command not in (["measure"], ["setup"]) or len(sys.argv) != 3:
        sys.exit("usage: python -m bench.pipeline measure|setup KONTORA_HOME  (or: python -m bench pipeline)")
    if command == ["setup"]:
        django_in(sys.argv[2])
        from pathlib import Path

        figures = _spread()
        (Path(sys.argv[2]) / MARKER).write_text(json.dumps(figures))
    else:
        print(json.dumps(_measure_all(sys.argv[2])))
