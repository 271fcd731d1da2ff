"""Activity (issue 14): the card's History, the task journal, the two planners, the events report with a word and the
Flexi-filter's activity conditions; issue 15's event and personal statistics and «Задачи на контроле». On the demo
base (`kontora demo`: 50 users, 5 events and a task per client), at 1,000,000 clients by default — 5,000,000 events
and 1,000,000 tasks — on SQLite, and on PostgreSQL when KONTORA_BENCH_DATABASES names it.

Each page case is a whole GET through Django's handler in-process (the test client, DEBUG off), then its selector
alone (as in a request: inside the access memo); each alternated call by call with the very statements it sent,
replayed on the driver's cursor (bench.clients' method). A request is held to the issue's time, a selector to
RAW_FACTOR times its SQL. The Flexi case is the registry's first page under the filter, its selector beside its SQL.
Medians. Bases are bench.registry's (built once with `kontora upgrade` + `kontora demo`, cached by size, seed and
migrations); the demo's own time to fill the events is read from the build's output.
KONTORA_BENCH_ACTIVITY_SIZES=100000 measures a smaller base; KONTORA_BENCH_ACTIVITY_CASES=event_statistics,… only
the cases named (by their start).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import ROOT, Result, child_env, django_in
from bench.card import _get
from bench.clients import _compare
from bench.registry import CACHE, RAW_FACTOR, _build, _key, _pg_bin, _pg_cluster, _pg_database

SIZES = tuple(int(size) for size in os.environ.get("KONTORA_BENCH_ACTIVITY_SIZES", "1000000").split(","))
# The targets, ms of median server time.
TARGETS = {"card_history": 20.0, "task_journal": 30.0, "fortnight": 100.0, "day": 30.0, "events_report": 300.0,
           "flexi": 100.0, "event_statistics": 1000.0, "personal_statistics": 300.0}
# Only the cases whose names start with one of these (comma-separated; all when unset).
ONLY = tuple(filter(None, os.environ.get("KONTORA_BENCH_ACTIVITY_CASES", "").split(",")))
SAMPLE = 5


def _measure_all(home: str) -> list[dict[str, Any]]:
    django_in(home)
    import datetime

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client as HttpClient
    from django.urls import reverse
    from django.utils import timezone

    from kontora.accounts.models import User
    from kontora.activity.models import Event, Task
    from kontora.activity.selectors import events_report, journal, planner
    from kontora.activity.selectors.events import client_events_page
    from kontora.clients.flexi.selectors.specs import parse, to_q
    from kontora.clients.models import Client
    from kontora.clients.selectors import registry as registry_selectors
    from kontora.clients.selectors.sorting import default_sort
    from kontora.core.permissions import decisions
    from kontora.core.selectors.calendar import with_clock, working_days
    from kontora.directories.models import EventType

    assert not settings.DEBUG
    # Users read as a request reads its user (accounts.backends): with their clock, so that their time zone costs
    # no query of its own.
    users = with_clock(User.objects.all())
    admin = users.get(login="bench-admin")
    total, events, tasks = Client.objects.count(), Event.objects.count(), Task.objects.count()
    busiest = Task.objects.values("assignee").annotate(n=Count("id")).order_by("-n").first()
    assert busiest is not None, "the bench's base has no tasks"
    manager = users.get(pk=busiest["assignee"])
    step = max(total // SAMPLE, 1)
    ids = list(Client.objects.filter(code__in=[step // 2 + i * step for i in range(SAMPLE)])
               .values_list("pk", flat=True))
    today = timezone.localdate()
    # The day planner's day: the latest working day up to today (a Saturday's plan is empty, and measures nothing).
    worked = working_days(today - datetime.timedelta(days=7), today)
    workday = max(day for day, working in worked.items() if working)
    year_ago = today - datetime.timedelta(days=365)
    latest = Event.objects.order_by("-id").values_list("description", flat=True).first() or "звонок"
    word = re.sub(r"\W", "", latest.split()[0])
    sizes = f"{total:,} clients, {events:,} events, {tasks:,} tasks"
    as_admin, as_manager = HttpClient(SERVER_NAME="localhost"), HttpClient(SERVER_NAME="localhost")
    as_admin.force_login(admin)
    as_manager.force_login(manager)
    for http in (as_admin, as_manager):  # the first request after signing in writes the session; measured ones read
        http.get(reverse("activity:task_journal"))
    call_type = EventType.objects.order_by("order", "id").first()
    assert call_type is not None
    month_start = today.replace(day=1)
    spec = parse({"op": "and", "items": [
        {"field": "next_contact_date", "operator": "overdue", "value": None},
        {"field": "events", "operator": "exists", "value": {
            "items": [call_type.pk], "from": month_start.isoformat(), "to": today.isoformat()}},
    ]}, user=admin)
    flexi_q, sort = to_q(spec, user=admin), default_sort(admin)
    def selector(call: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            with decisions():  # as in a request: an access answer asked twice is read once
                return call()
        return run

    clients = list(Client.objects.filter(pk__in=ids))
    report_params = events_report.Parameters(date_from=year_ago, date_to=today, words=word)
    # Each case: the whole request, then its selector alone — each beside the very statements it sent.
    cases: list[tuple[str, str, list[Callable[[], object]]]] = [
        ("card_history", "GET the card's History pane (first page, newest first), administrator",
         [_get(as_admin, reverse("activity:card_events", args=[pk])) for pk in ids]),
        ("card_history/selector", "activity.selectors.events.client_events_page, first page",
         [selector(lambda client=client: client_events_page(client, cursor={}).rows) for client in clients]),
        ("task_journal", "GET the task journal, first page, of the manager with the most tasks",
         [_get(as_manager, reverse("activity:task_journal"))]),
        ("task_journal/selector", "activity.selectors.journal.journal_page, the same manager",
         [selector(lambda: journal.journal_page(manager, journal.TaskChoice(), cursor={}).rows)]),
        ("fortnight", "GET the two-week planner of all 50 users, administrator",
         [_get(as_admin, reverse("activity:fortnight"))]),
        ("fortnight/selector", "activity.selectors.planner.fortnight, 50 users",
         [selector(lambda: planner.fortnight(admin, planner.week_start(today), today))]),
        ("day", f"GET the day planner of the busiest manager on {workday:%d.%m.%Y}, administrator",
         [_get(as_admin, f"{reverse('activity:day')}?user={manager.pk}&date={workday.isoformat()}")]),
        ("day/selector", "activity.selectors.planner.day_tasks, the busiest manager",
         [selector(lambda: planner.day_tasks(admin, manager, workday))]),
        ("events_report", f"GET the events report over a year with the word «{word}», administrator",
         [_get(as_admin, f"{reverse('reports:report', args=('events',))}?run=1&words={word}"
                         f"&date_from={year_ago.isoformat()}&date_to={today.isoformat()}")]),
        ("events_report/selector", "activity.selectors.events_report.report, the same choice",
         [selector(lambda: events_report.report(admin, report_params, cursor={}).page.rows)]),
        # Issue 15's statistics reports and the control report, as whole requests (each beside its statements).
        ("event_statistics", "GET «Статистика по событиям», 50 users over a year, administrator",
         [_get(as_admin, f"{reverse('reports:report', args=('event-statistics',))}?run=1"
                         f"&date_from={year_ago.isoformat()}&date_to={today.isoformat()}")]),
        ("personal_statistics", "GET «Персональная статистика» of the busiest manager over a month, administrator",
         [_get(as_admin, f"{reverse('reports:report', args=('personal-statistics',))}?run=1&employee={manager.pk}"
                         f"&date_from={month_start.isoformat()}&date_to={today.isoformat()}")]),
        ("task_control", "GET «Задачи на контроле», first page, of the manager with the most tasks",
         [_get(as_manager, f"{reverse('reports:report', args=('tasks-under-control',))}?run=1")]),
        # Information: the least a read through the ORM costs beside its SQL (no model, no join: one index seek).
        ("orm_floor", "the ORM's floor: ids and dates of one client's events (values_list) beside its SQL",
         [selector(lambda pk=pk: list(Event.objects.filter(client_id=pk).order_by("-created_at", "-id")
                                      .values_list("id", "created_at")[:51])) for pk in ids]),
        ("flexi", "the registry's first page under «next contact overdue + events of a type this month»",
         [selector(lambda: registry_selectors.registry_page(fetched_by=admin, sort=sort, filter_q=flexi_q).rows)]),
    ]
    rows = []
    for case, label, calls in cases:
        if ONLY and not case.startswith(ONLY):
            continue
        print(f"  {connection.vendor} {total:,}: {case} …", file=sys.stderr, flush=True)
        rows.append({"case": case, "clients": total, "vendor": connection.vendor, **_compare(label, calls, sizes)})
    return rows


def _verdicts(rows: list[dict[str, Any]], builds: dict[str, dict[str, Any]]) -> list[str]:
    lines = []
    for row in rows:
        value, base = row["value"], row["baseline"]
        ratio = value / base if base else float("inf")
        if row["case"] in TARGETS:  # a whole request (and the Flexi selector): its time
            target = TARGETS[row["case"]]
            verdict = f"≤ {target:g} ms {'PASS' if value <= target else 'FAIL'}"
        elif row["case"] == "orm_floor":
            verdict = "(information: the ORM's own cost)"
        else:  # a selector: beside its SQL
            verdict = f"ratio ≤ {RAW_FACTOR:g} {'PASS' if ratio <= RAW_FACTOR else 'FAIL'}"
        lines.append(f"{row['vendor']:<10} {row['clients']:>9,} {row['case']:<23} {value:8.2f} ms  raw SQL "
                     f"{base:7.3f} ms  ratio {ratio:6.2f}  {verdict}")
    for name, record in builds.items():
        fill = re.search(r"added (\d+) events .*? in ([\d.]+) s", record.get("demo_output", ""))
        lines.append(f"{name}: demo built in {record['demo_seconds']:.0f} s"
                     + (f" (events and tasks: {fill.group(2)} s for {int(fill.group(1)):,} events)" if fill else ""))
    return lines


def _measure(home: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    child = subprocess.run([sys.executable, "-m", "bench.activity", "measure", str(home)], env=env, cwd=ROOT,
                           check=True, stdout=subprocess.PIPE, text=True)
    rows: list[dict[str, Any]] = json.loads(child.stdout)
    return rows


def run() -> list[Result]:
    wanted = set(os.environ.get("KONTORA_BENCH_DATABASES", "sqlite").split(","))
    rows: list[dict[str, Any]] = []
    builds: dict[str, dict[str, Any]] = {}
    if "sqlite" in wanted:
        for clients in SIZES:
            home = CACHE / f"sqlite-history-{_key(clients)}"
            env = child_env(home)
            builds[f"sqlite {clients:,}"] = _build(home, env, clients, history=True)
            rows += _measure(home, env)
    pg_bin = _pg_bin()
    if "postgresql" in wanted and pg_bin is not None:
        with _pg_cluster(pg_bin) as server:
            clients = max(SIZES)
            home = CACHE / f"pg-history-{_key(clients)}"
            home.mkdir(parents=True, exist_ok=True)
            env = child_env(home, _pg_database(server, f"kontora_history_{_key(clients).replace('-', '_')}", home))
            builds[f"postgresql {clients:,}"] = _build(home, env, clients, history=True)
            rows += _measure(home, env)
    verdicts = _verdicts(rows, builds)
    print("\n".join(verdicts), file=sys.stderr)
    out = ROOT / "build" / "bench-activity.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"rows": rows, "verdicts": verdicts}, ensure_ascii=False, indent=1))
    return [Result(f"activity/{row['vendor']}", row["measure"], row["value"], row["baseline"], row["unit"],
                   row["sizes"]) for row in rows]


if __name__ == "__main__":
    if sys.argv[1:2] != ["measure"] or len(sys.argv) != 3:
        sys.exit("usage: python -m bench.activity measure KONTORA_HOME  (or: python -m bench activity)")
    print(json.dumps(_measure_all(sys.argv[2])))
