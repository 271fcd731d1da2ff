"""Group processing (issue 16, GRP-01, GRP-02, GRP-05): 500 clients given a classifier, a curator and a task each,
and another user's card save while such a run goes on.

(a) The run: the `bulk_run` job, run as a worker runs it (`core.services.jobs.job_run`), over 500 clients of a
    10,000-client demo base — each client in its own transaction through the card's, the ladder's and activity's
    services, with its outcome row and the job's checkpoint, and the job's progress read and written. Baseline:
    the same writes by the bare ORM, one transaction a client (an UPDATE of the two columns and a task's INSERT):
    what the database costs without the services' rights, history rows and outcomes. Target ≤ 5 s. Rounds
    alternate, each with other values, so every round changes every client.
(c) The letters: 500 individual letters of a mailing (a placeholder filled per recipient) sent through a local
    SMTP server (aiosmtpd with STARTTLS and AUTH, as the tests start it, in a process of its own) by the outbox's
    worker round (`outbox.letters_send_due`): each claimed, passed through the marketing gate (subscribed, limits,
    window, the author's right), sent over the round's one connection and recorded. Baseline: the same 500 letters
    each sent by `smtp_deliver` over a connection of its own (TLS handshake and sign-in each time), recording
    nothing. Target ≤ 10 s.
(b) The card save: another process saves a client's card (`client_update`, a note changed) every 20 ms while a run
    goes on in this one; its slowest save beside the median of the same save with the base idle. Target: the
    slowest save ≤ 200 ms (it waits at most one client's transaction on SQLite's one writer; on PostgreSQL it
    locks another row).

The base is bench.registry's, at 10,000 clients (built once, cached by size, seed and migrations); each round's
writes stay in it (a run adds its outcomes and tasks), which changes no figure of a later round. SQLite, and
PostgreSQL when KONTORA_BENCH_DATABASES names it.
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import ROOT, Result, child_env, django_in
from bench.registry import CACHE, _build, _key, _pg_bin, _pg_cluster, _pg_database

CLIENTS = 10_000
BATCH = 500
ROUNDS = int(os.environ.get("KONTORA_BENCH_BULK_ROUNDS", "3"))
RUN_TARGET_S = 5.0
LETTERS_TARGET_S = 10.0
SAVE_TARGET_MS = 200.0
SAVE_EVERY_S = 0.02


# --- in the child ----------------------------------------------------------------------------------------------

def _world() -> dict[str, Any]:
    from kontora.accounts.models import User
    from kontora.clients.models import Client
    from kontora.directories.models import Priority

    admin = User.objects.get(login="bench-admin")
    curators = list(User.objects.filter(role="manager", disabled=False).exclude(login="bench-manager")
                    .order_by("pk")[:2])
    priorities = list(Priority.objects.filter(is_active=True).order_by("pk")[:2])
    # Not other curators' private clients: nobody may change those, the administrator included.
    ids = list(Client.objects.filter(is_private=False).order_by("pk").values_list("pk", flat=True)[:BATCH])
    return {"admin": admin, "curators": curators, "priorities": priorities, "ids": ids}


def _plan(world: dict[str, Any], turn: int) -> Any:
    from django.utils import timezone

    from kontora.bulk.services.plan import Plan, TaskPlan

    starts = timezone.now() + datetime.timedelta(days=1)
    return Plan(values={"priority": world["priorities"][turn % 2], "curator": world["curators"][turn % 2]},
                task=TaskPlan(assignee=world["admin"], importance="normal", requires_report=False,
                              description=f"Позвонить ({turn})", starts_at=starts,
                              due_at=starts + datetime.timedelta(hours=2), duration_minutes=0, spread=False))


def _kontora_run(world: dict[str, Any], turn: int) -> float:
    from kontora.bulk.models import BulkOutcome
    from kontora.bulk.services.runs import bulk_run_start
    from kontora.core.models import Job
    from kontora.core.services.jobs import job_run

    run = bulk_run_start(acting_user=world["admin"], client_ids=world["ids"], selection="bench",
                         plan=_plan(world, turn))
    assert run.job_id is not None
    started = time.perf_counter()
    # The worker's whole job, in this process: claimed, each client with its checkpoint, progress read and written.
    job = job_run(job_id=run.job_id)
    seconds = time.perf_counter() - started
    assert job is not None and job.status == Job.Status.DONE, job
    assert BulkOutcome.objects.filter(run=run, result=BulkOutcome.Result.CHANGED).count() == BATCH
    return seconds


def _bare_run(world: dict[str, Any], turn: int) -> float:
    from django.db import transaction
    from django.utils import timezone

    from kontora.activity.models import Task
    from kontora.clients.models import Client

    admin, starts = world["admin"], timezone.now() + datetime.timedelta(days=1)
    priority, curator = world["priorities"][turn % 2], world["curators"][turn % 2]
    started = time.perf_counter()
    for pk in world["ids"]:
        with transaction.atomic():
            Client.objects.filter(pk=pk).update(priority=priority, curator=curator)
            Task.objects.create(kind=Task.Kind.REMINDER, client_id=pk, author=admin, assignee=admin,
                                starts_at=starts, due_at=starts, duration_minutes=0, description="Позвонить",
                                state=Task.State.NEW, changed_by=admin, created_at=timezone.now())
    return time.perf_counter() - started


def _measure_runs(home: str) -> list[dict[str, Any]]:
    django_in(home)
    world = _world()
    ours, bare = [], []
    for turn in range(ROUNDS):
        ours.append(_kontora_run(world, turn))
        bare.append(_bare_run(world, turn + 1))
    sizes = f"{BATCH} of {CLIENTS:,} clients; priority, curator and a task each"
    return [{"case": "run", "measure": "group processing of 500 clients (classifier + curator + task)",
             "value": statistics.median(ours), "baseline": statistics.median(bare), "unit": "s", "sizes": sizes}]


def _saver(home: str, client_id: int, seconds: float) -> list[float]:
    """Saves the client's card (its note) every SAVE_EVERY_S for `seconds`: each save's milliseconds."""
    django_in(home)
    from kontora.accounts.models import User
    from kontora.clients.models import Client
    from kontora.clients.services.card import client_update

    user = User.objects.get(login="bench-admin")
    times: list[float] = []
    end = time.monotonic() + seconds
    turn = 0
    while time.monotonic() < end:
        client = Client.objects.get(pk=client_id)
        started = time.perf_counter()
        client_update(acting_user=user, client=client, values={"notes": f"bench save {os.getpid()} {turn}"})
        times.append((time.perf_counter() - started) * 1000)
        turn += 1
        time.sleep(SAVE_EVERY_S)
    return times


def _measure_save(home: str, env: dict[str, str]) -> list[dict[str, Any]]:
    """The card saves alone, then beside a run of this process (the saves run in a child process)."""
    django_in(home)
    from kontora.clients.models import Client

    world = _world()
    outside = Client.objects.filter(is_private=False).order_by("-pk").values_list("pk", flat=True).first()
    idle = _saver(home, int(outside or 0), 3.0)

    worst: list[float] = []
    for turn in range(ROUNDS):
        saver = subprocess.Popen([sys.executable, "-m", "bench.bulk", "saver", home, str(outside), "20"], env=env,
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True)
        time.sleep(1.0)  # the saver has started Django and saves
        _kontora_run(world, turn + 7)
        output, _ = saver.communicate(timeout=120)
        worst.append(max(json.loads(output)))
    sizes = f"a run over {BATCH} clients in another process; saves every {int(SAVE_EVERY_S * 1000)} ms"
    return [{"case": "save", "measure": "another user's card save during a run: the slowest, beside an idle save",
             "value": max(worst), "baseline": statistics.median(idle), "unit": "ms", "sizes": sizes}]


# The SMTP server of (c), in a process of its own (as a mail server is): the tests' aiosmtpd with STARTTLS and AUTH.
SMTP_SERVER = """
import logging, sys, types
from pathlib import Path
from tests.messaging.support import make_certificate, serve
logging.getLogger("mail.log").setLevel(logging.ERROR)
holder = types.SimpleNamespace()
server = serve(make_certificate(Path(sys.argv[1])), holder, "starttls")
print(next(server).port, holder.MAIL_CA_FILE, flush=True)
sys.stdin.read()
"""


def _measure_letters(home: str) -> list[dict[str, Any]]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen([sys.executable, "-c", SMTP_SERVER, folder], cwd=ROOT, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        try:
            port, authority = (server.stdout.readline() if server.stdout else "").split()
            os.environ["KONTORA_MAIL_CA_FILE"] = authority
            return _send_letters(home, int(port))
        finally:
            server.kill()
            server.wait()


def _send_letters(home: str, port: int) -> list[dict[str, Any]]:
    django_in(home)
    from django.conf import settings
    from django.db import transaction

    from kontora.clients.models import Client, ClientMailingAddress
    from kontora.messaging.models import Letter
    from kontora.messaging.services.mailboxes import mailbox_save, server_of
    from kontora.messaging.services.marketing import mailing_create, marketing_letter_queue
    from kontora.messaging.services.outbox import letters_send_due, message_of
    from kontora.messaging.services.smtp import smtp_deliver
    from tests.messaging.support import LOGIN, PASSWORD

    world = _world()
    admin = world["admin"]
    settings.PUBLIC_URL = "https://crm.bench.test"
    values = {"host": "localhost", "port": port, "security": "starttls", "login": LOGIN, "password": PASSWORD}
    mailbox = mailbox_save(acting_user=admin, values={
        **values, "address": LOGIN, "limit_minute": 0, "limit_hour": 0, "limit_day": 0,
        "window_from": datetime.time(0), "window_to": datetime.time(0)})
    clients = list(Client.objects.filter(pk__in=world["ids"]))
    with transaction.atomic():
        for client in clients:
            ClientMailingAddress.objects.get_or_create(
                client=client, kind="email", value_key=f"bench{client.pk}@example.test",
                defaults={"value": f"bench{client.pk}@example.test"})
    ours, bare = [], []
    for turn in range(ROUNDS):
        mailing = mailing_create(acting_user=admin, subject=f"Новости ({turn})", individual=True, html="",
                                 text="Здравствуйте, {контакт}! Ваш менеджер — {куратор}.", attachments=())
        with transaction.atomic():
            letters = [marketing_letter_queue(mailing=mailing, client=client,
                                              recipient=f"bench{client.pk}@example.test",
                                              values={"contact": "Иван Петрович", "curator": "Анна"})
                       for client in clients]
        started = time.perf_counter()
        letters_send_due(rounds=50)
        ours.append(time.perf_counter() - started)
        assert Letter.objects.filter(mailing=mailing, state=Letter.State.SENT).count() == BATCH
        messages = [message_of(letter, mailbox) for letter in letters]
        started = time.perf_counter()
        for message in messages:
            assert smtp_deliver(server_of(values, None), message).sent
        bare.append(time.perf_counter() - started)
    sizes = f"{BATCH} individual letters; STARTTLS and AUTH on 127.0.0.1, the server in its own process"
    return [{"case": "letters", "measure": "500 individual letters sent through the local SMTP server",
             "value": statistics.median(ours), "baseline": statistics.median(bare), "unit": "s", "sizes": sizes}]


# --- in the parent ---------------------------------------------------------------------------------------------

def _measure(vendor: str, home: Path, env: dict[str, str]) -> list[dict[str, Any]]:
    _build(home, env, CLIENTS)
    rows: list[dict[str, Any]] = []
    for command in ("runs", "save", "letters"):
        child = subprocess.run([sys.executable, "-m", "bench.bulk", command, str(home)], env=env, cwd=ROOT,
                               check=True, stdout=subprocess.PIPE, text=True)
        rows += json.loads(child.stdout)
    for row in rows:
        row["vendor"] = vendor
    return rows


def run() -> list[Result]:
    wanted = set(os.environ.get("KONTORA_BENCH_DATABASES", "sqlite").split(","))
    rows: list[dict[str, Any]] = []
    if "sqlite" in wanted:
        home = CACHE / f"sqlite-{_key(CLIENTS)}"
        rows += _measure("sqlite", home, child_env(home))
    pg_bin = _pg_bin()
    if "postgresql" in wanted and pg_bin is not None:
        with _pg_cluster(pg_bin) as server:
            home = CACHE / f"pg-{_key(CLIENTS)}"
            home.mkdir(parents=True, exist_ok=True)
            url = _pg_database(server, f"kontora_{_key(CLIENTS).replace('-', '_')}", home)
            rows += _measure("postgresql", home, child_env(home, url))
    for row in rows:
        target = {"run": RUN_TARGET_S, "save": SAVE_TARGET_MS, "letters": LETTERS_TARGET_S}[row["case"]]
        print(f"{row['vendor']}: {row['measure']}: {row['value']:.3f} {row['unit']} "
              f"(baseline {row['baseline']:.3f}, target ≤ {target:g})", file=sys.stderr)
    return [Result(f"bulk/{row['vendor']}", row["measure"], row["value"], row["baseline"], row["unit"],
                   row["sizes"]) for row in rows]


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["runs"] and len(sys.argv) == 3:
        print(json.dumps(_measure_runs(sys.argv[2])))
    elif command == ["letters"] and len(sys.argv) == 3:
        print(json.dumps(_measure_letters(sys.argv[2])))
    elif command == ["save"] and len(sys.argv) == 3:
        print(json.dumps(_measure_save(sys.argv[2], {**os.environ})))
    elif command == ["saver"] and len(sys.argv) == 5:
        print(json.dumps(_saver(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))))
    else:
        sys.exit("usage: python -m bench.bulk runs|save|letters HOME | saver HOME CLIENT SECONDS  "
                 "(or: python -m bench bulk)")
