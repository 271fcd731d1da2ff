"""Import (issue 17): reading and the automatic processing of 100,000 client rows beside calamine's bare read.

`run()` makes a fresh SQLite base with `kontora upgrade` (the settlements directory as a new installation has it),
writes a 100,000-row × 14-column .xlsx in the manual's layout A–N (XlsxWriter, constant memory; phones, postal
codes and a third of the INNs as number cells, a thousand cities of the directory and a few it lacks), then runs
each measure in a child process of its own (`python -m bench.imports measure WHAT HOME FILE`), so each child's
peak resident memory (ru_maxrss) is its own:

- `bare` — calamine's own read: every row of the sheet iterated, nothing converted (the baseline);
- `read` — `sheets.table_open(…).rows()`: every cell as text, number cells as their digits;
- `clean` — the same rows through `cleaning.rows_clean` with every option on (the directory read in batches).

- `import` — the import as a whole (issue 17: ≤ 60 s, ≤ 500 MB): `import_load` (read, processed, staged),
  `import_check` by INN (the dry run against the base), then the writing job's work (`import_write`, batches of
  `IMPORT_BATCH_ROWS`), each timed; the clients created counted. With KONTORA_BENCH_DATABASES naming
  postgresql, the same again into a fresh base of bench.registry's PostgreSQL cluster.

- `match` (issue 17: ≤ 120 s) — the same whole import in matching mode against the 1,000,000-client demo base
  (bench.registry's, built once and cached; the import runs on a copy of it, so the cache stays as built): a
  100,000-row file of which every other row names a client of the base by its INN (its own names, a new address,
  phone and e-mail: an update) and the rest are new clients; the dry run matches by INN among the million.
  Run only when KONTORA_BENCH_IMPORT_MATCH is set: the million bases take minutes each to build the first time.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import ROOT, Result, child_env, django_in

ROWS = int(os.environ.get("KONTORA_BENCH_IMPORT_ROWS", "100000"))
_NAMES = ["Альфа", "Вега", "Гранит", "Дельта", "Ёлка", "Заря", "Исток", "Кедр", "Лотос", "Меридиан", "Орион"]
_PEOPLE = ["ГРИШИНА оксана викторовна", "Иванов И.И.", "петров пётр петрович", "Сидорова-Крылова Анна"]


def write_file(path: Path, count: int, cities: list[tuple[str, str]]) -> None:
    import xlsxwriter

    from kontora.core.requisites import inn_check_digits

    rng = random.Random(17)  # the same rows every run
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Клиенты")
    for n in range(count):
        region, city = cities[n % len(cities)] if n % 50 else ("Хакасия Респ.", "Тмутаракань")
        body = f"{770000000 + n:09d}"
        inn = body + inn_check_digits(body)
        row: list[Any] = [
            f'ООО "{rng.choice(_NAMES)} {n}"', "", region, city, "Центральный", 600000 + n % 99999,
            f"ул. Ленина, {n % 200 + 1}, офис {n % 50}", 73900000000 + n, f"(3902) {n % 1000:03d}-{n % 100:02d}",
            f"info{n}@example.ru" if n % 97 else f"info{n}@@example", f"www.site{n}.ru", "Клиент  из  выставки",
            rng.choice(_PEOPLE), f"person{n}@example.ru",
        ]
        for column, value in enumerate(row):
            if isinstance(value, int):
                sheet.write_number(n, column, value)
            else:
                sheet.write_string(n, column, value)
        sheet.write_string(n, 14, inn) if n % 3 else sheet.write_number(n, 14, int(inn))
    book.close()


def write_match_file(path: Path, count: int) -> None:
    """The matching bench's file, read from the million base this process runs on: every other row one of its
    clients (spread evenly over the ids: its INN, KPP and names; a new address, phone and e-mail), the others new."""
    from django.db.models import F

    from kontora.clients.models import Client
    from kontora.directories.models import Settlement

    places = list(Settlement.objects.order_by("id").values_list("region__name", "name")[:1000])
    write_file(path, count, places)  # the new rows; the matched ones are written over them below
    top = Client.objects.order_by("-id").values_list("id", flat=True).first() or 0
    step = max(1, top // max(1, count // 2))
    picked = list(Client.objects.annotate(every=F("id") % step).filter(every=0, kind=Client.Kind.COMPANY)
                  .exclude(inn="").order_by("id").values_list("inn", "kpp", "full_name", "short_name")[: count // 2])
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    with path.open("rb") as handle:
        rows = CalamineWorkbook.from_filelike(handle).get_sheet_by_index(0).to_python()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Клиенты")
    for n, cells in enumerate(rows):
        row: list[Any] = list(cells)
        if n % 2 == 0 and n // 2 < len(picked):
            inn, _kpp, full_name, short_name = picked[n // 2]
            row = [full_name, short_name, *row[2:14], inn]
        for column, value in enumerate(row):
            if isinstance(value, float):
                sheet.write_number(n, column, value)
            else:
                sheet.write_string(n, column, str(value))
    book.close()


def _measure(what: str, path: str) -> dict[str, float]:
    from python_calamine import CalamineWorkbook

    from kontora.imports.selectors.cleaning import rows_clean
    from kontora.imports.selectors.columns import mapping_check, mapping_default
    from kontora.imports.selectors.sheets import table_open

    started = time.perf_counter()
    count = 0
    problems = 0
    if what == "bare":
        with Path(path).open("rb") as handle:
            workbook = CalamineWorkbook.from_filelike(handle)
        for _row in workbook.get_sheet_by_index(0).iter_rows():
            count += 1
    elif what == "read":
        with table_open(path) as table:
            for _cells in table.rows():
                count += 1
    elif what in ("import", "match"):
        return _import(path)
    else:
        mapping = mapping_check({**mapping_default(), 14: "inn"})
        with table_open(path) as table:
            for row in rows_clean(table.rows(), mapping=mapping, filename="clients.xlsx",
                                  imported_on=datetime.date.today()):
                count += 1
                problems += len(row.problems)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rows": count, "problems": problems}


def _import(path: str) -> dict[str, float]:
    from kontora.accounts.models import User
    from kontora.clients.models import Client
    from kontora.imports.selectors.columns import mapping_default
    from kontora.imports.services.checking import import_check
    from kontora.imports.services.loading import import_load
    from kontora.imports.services.writing import import_start, import_write

    user = User.objects.create(login="bench-importer", full_name="Импорт Бенч", role="admin", client_scope="full")
    started = time.perf_counter()
    run = import_load(acting_user=user, source=path, mapping={**mapping_default(), 14: "inn"}, header=False)
    loaded = time.perf_counter()
    import_check(acting_user=user, import_id=run.pk, match_key="inn")
    checked = time.perf_counter()
    run = import_start(acting_user=user, import_id=run.pk)
    import_write(import_id=run.pk)
    written = time.perf_counter()
    run.refresh_from_db()
    return {"seconds": written - started, "load": loaded - started, "check": checked - loaded,
            "write": written - checked, "rows": run.rows_total, "created": run.created, "updated": run.updated,
            "clients": Client.objects.count(),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child(what: str, home: str, path: Path, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-m", "bench.imports", "measure", what, home, str(path)], env=env,
                          cwd=ROOT, check=True, capture_output=True, text=True)
    measured: dict[str, float] = json.loads(done.stdout)
    return measured


def _on_postgresql(path: Path) -> dict[str, float] | None:
    """The whole import into a fresh PostgreSQL base of bench.registry's throwaway cluster, when
    KONTORA_BENCH_DATABASES names it (and PostgreSQL is installed)."""
    import psycopg

    from bench.registry import _pg_bin, _pg_cluster

    pg_bin = _pg_bin()
    if "postgresql" not in os.environ.get("KONTORA_BENCH_DATABASES", "sqlite").split(",") or pg_bin is None:
        return None
    with _pg_cluster(pg_bin) as server, tempfile.TemporaryDirectory(prefix="kontora-bench-imports-pg-") as home:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute('DROP DATABASE IF EXISTS "kontora_bench_imports"')
            conn.execute('CREATE DATABASE "kontora_bench_imports"')
        env = child_env(home, f"{server}/kontora_bench_imports")
        subprocess.run([sys.executable, "-m", "kontora.cli", "upgrade"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        return _child("import", home, path, env)


def _million_copies() -> Any:
    """(vendor, env) of a throwaway copy of each million-client demo base of bench.registry (built first if need
    be) that KONTORA_BENCH_DATABASES names."""
    import shutil

    import psycopg

    from bench.registry import CACHE, _build, _key, _pg_bin, _pg_cluster, _pg_database

    wanted = os.environ.get("KONTORA_BENCH_DATABASES", "sqlite").split(",")
    if "sqlite" in wanted:
        home = CACHE / f"sqlite-{_key()}"
        _build(home, child_env(home))
        with tempfile.TemporaryDirectory(prefix="kontora-bench-match-") as copy:
            shutil.copytree(home, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("static"))
            yield "sqlite", child_env(copy)
    pg_bin = _pg_bin()
    if "postgresql" in wanted and pg_bin is not None:
        with _pg_cluster(pg_bin) as server:
            home = CACHE / f"pg-{_key()}"
            home.mkdir(parents=True, exist_ok=True)
            name = f"kontora_{_key().replace('-', '_')}"
            _build(home, child_env(home, _pg_database(server, name, home)))
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute('DROP DATABASE IF EXISTS "kontora_bench_match"')
                conn.execute(f'CREATE DATABASE "kontora_bench_match" TEMPLATE "{name}"')
            try:
                with tempfile.TemporaryDirectory(prefix="kontora-bench-match-pg-") as copy:
                    shutil.copytree(home, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("static"))
                    yield "postgresql", child_env(copy, f"{server}/kontora_bench_match")
            finally:
                with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                    conn.execute('DROP DATABASE IF EXISTS "kontora_bench_match"')


def run_match() -> list[Result]:
    """The import in matching mode against the million-client demo base, beside calamine's bare read of its file."""
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="kontora-bench-match-file-") as folder:
        path = Path(folder) / "clients.xlsx"
        for vendor, env in _million_copies():
            if not path.exists():  # the same file for both databases: the demo's seed makes the same clients
                subprocess.run([sys.executable, "-m", "bench.imports", "write-match", env["KONTORA_HOME"], str(path),
                                str(ROWS)], env=env, cwd=ROOT, check=True)
                bare = _child("bare", env["KONTORA_HOME"], path, env)
            done = _child("match", env["KONTORA_HOME"], path, env)
            sized = (f"{ROWS:,} rows against {int(done['clients'] - done['created']):,} clients; "
                     f"{int(done['updated']):,} updated, {int(done['created']):,} created; load {done['load']:.1f} s, "
                     f"dry run by INN {done['check']:.1f} s, write {done['write']:.1f} s")
            results += [
                Result(f"imports-match/{vendor}", "import matching by INN against a million / calamine's bare read",
                       done["seconds"], bare["seconds"], "s", sized),
                Result(f"imports-match/{vendor}", "peak memory: import / bare", done["peak_mb"], bare["peak_mb"],
                       "MB", sized)]
    return results


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="kontora-bench-imports-") as home:
        env = child_env(home)
        subprocess.run([sys.executable, "-m", "kontora.cli", "upgrade"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        path = Path(home) / "clients.xlsx"
        subprocess.run([sys.executable, "-m", "bench.imports", "write", home, str(path), str(ROWS)], env=env,
                       cwd=ROOT, check=True)
        bare, read, clean, whole = (_child(what, home, path, env) for what in ("bare", "read", "clean", "import"))
        on_pg = _on_postgresql(path)
    matching = run_match() if os.environ.get("KONTORA_BENCH_IMPORT_MATCH") else []
    sized = f"{ROWS:,} rows × 15 columns, {int(clean['problems']):,} problems"
    pg = [] if on_pg is None else [
        Result("imports/postgresql", "import: load + dry run + write / calamine's bare iteration", on_pg["seconds"],
               bare["seconds"], "s", f"{sized}; load {on_pg['load']:.1f} s, dry run {on_pg['check']:.1f} s, "
               f"write {on_pg['write']:.1f} s, {int(on_pg['created']):,} clients created"),
        Result("imports/postgresql", "peak memory: import / bare", on_pg["peak_mb"], bare["peak_mb"], "MB", sized)]
    return [
        *matching,
        *pg,
        Result("imports", "read as text / calamine's bare iteration", read["seconds"], bare["seconds"], "s", sized),
        Result("imports", "read and process / calamine's bare iteration", clean["seconds"], bare["seconds"], "s",
               sized),
        Result("imports", "peak memory: read and process / bare", clean["peak_mb"], bare["peak_mb"], "MB", sized),
        Result("imports", "import: load + dry run + write / calamine's bare iteration", whole["seconds"],
               bare["seconds"], "s", f"{sized}; load {whole['load']:.1f} s, dry run {whole['check']:.1f} s, "
               f"write {whole['write']:.1f} s, {int(whole['created']):,} clients created"),
        Result("imports", "peak memory: import / bare", whole["peak_mb"], bare["peak_mb"], "MB", sized),
    ]


def main(argv: list[str]) -> int:
    if argv[:1] == ["write"] and len(argv) == 4:
        django_in(argv[1])
        from kontora.directories.models import Settlement

        # A thousand places of the directory, their regions written both ways: «Республика Хакасия», «Хакасия Респ.».
        rows = Settlement.objects.order_by("id").values_list("region__name", "region__short_name", "name")[:1000]
        cities = [(full if n % 2 else f"{short} Респ." if full.startswith("Республика") else full, city)
                  for n, (full, short, city) in enumerate(rows)]
        write_file(Path(argv[2]), int(argv[3]), cities)
        return 0
    if argv[:1] == ["write-match"] and len(argv) == 4:
        django_in(argv[1])
        write_match_file(Path(argv[2]), int(argv[3]))
        return 0
    if argv[:1] == ["measure"] and len(argv) == 4 and argv[1] in ("bare", "read", "clean", "import", "match"):
        django_in(argv[2])
        print(json.dumps(_measure(argv[1], argv[3])))
        return 0
    print("usage: python -m bench.imports write|write-match HOME FILE ROWS | measure bare|read|clean|import|match "
          "HOME FILE",
          file=sys.stderr)
    return 2

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
