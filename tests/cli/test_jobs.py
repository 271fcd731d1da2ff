"""Jobs across workers: a job whose worker is killed outright is taken over by another worker and finished from its
last checkpoint, each step applied once (SYS-10). Two real `kontora worker` processes share the queue of one home
(its SQLite queue file, or a Redis server started here)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.cli.support import DJANGO_PRELUDE, ROOT, Home, query, redis_server, wait_for

pytestmark = [pytest.mark.feature("SYS-10"), pytest.mark.feature("DIR-03")]

BANKS = 12
BATCH = 2
LEASE = 3  # seconds: the other worker takes the job over this long after the kill

# `kontora worker` as the operator runs it, with the BIK import's batches made small and slow, so that the test
# can kill the worker between two of them. Nothing else of the worker or of the import is changed.
SLOW_WORKER = DJANGO_PRELUDE + f"""
import sys, time
from kontora.directories.services import banks
banks.BATCH_SIZE = {BATCH}
apply = banks._apply
def slow_apply(records, existing):
    time.sleep(0.4)
    return apply(records, existing)
banks._apply = slow_apply
from kontora.cli import main
sys.exit(main(["worker", "--threads", "1"]))
"""

START_IMPORT = DJANGO_PRELUDE + f"""
import io
from kontora.accounts.models import User
from kontora.directories.services.banks import banks_import_start
from tests.directories.support import ACCOUNT, ed807
entries = [{{"bik": f"0445{{n:05d}}", "name": f"Банк №{{n}}", "regn": str(n), "ind": "117312", "city": "Москва",
            "adr": "ул Вавилова, 19", "status": "PSAC",
            "accounts": ACCOUNT.format(account=f"30101810{{n:012d}}", kind="CRSA", status="ACAC")}}
           for n in range(1, {BANKS} + 1)]
job = banks_import_start(acting_user=User.objects.get(login="admin"), upload=io.BytesIO(ed807(*entries)),
                         filename="ed807.xml")
print(job.pk)
"""


def job_row(home: Home, job_id: int) -> dict[str, Any]:
    columns = ("status", "worker_pid", "attempts", "checkpoint", "errors")
    row = query(home, f"SELECT {', '.join(columns)} FROM core_job WHERE id = ?", job_id)[0]
    found = dict(zip(columns, row, strict=True))
    for key in ("checkpoint", "errors"):
        if isinstance(found[key], str):
            found[key] = json.loads(found[key])
    return found


@pytest.fixture
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(params=["sqlite queue", "redis queue"])
def queue_env(request: pytest.FixtureRequest) -> dict[str, str]:
    if request.param == "redis queue":
        return {"KONTORA_REDIS_URL": request.getfixturevalue("redis_url")}
    return {}


def test_a_job_whose_worker_is_killed_is_finished_by_the_other_worker_each_batch_once(
    home: Home, queue_env: dict[str, str]
) -> None:
    # given: two workers on one base and one queue, with short leases
    env = {**home.env, **queue_env, "KONTORA_JOB_LEASE_SECONDS": str(LEASE), "KONTORA_JOB_HEARTBEAT_SECONDS": "0.5"}
    workers: list[subprocess.Popen[bytes]] = []
    # Each worker's log goes to a file: a pipe nobody reads fills at 64 KB (a loaded machine's retried lease
    # tracebacks) and stops the worker at its next line.
    logs = [home.path / f"worker-{n}.log" for n in range(2)]
    try:
        for log in logs:
            with log.open("wb") as output:
                workers.append(subprocess.Popen([sys.executable, "-c", SLOW_WORKER], env=env, cwd=ROOT,
                                                stdout=subprocess.DEVNULL, stderr=output))
        # when: an administrator imports a BIK file of 12 banks (6 batches)
        started = subprocess.run([sys.executable, "-c", START_IMPORT], env=env, cwd=ROOT, capture_output=True,
                                 text=True, timeout=120, check=False)
        assert started.returncode == 0, started.stderr
        job_id = int(started.stdout.strip())
        # ... and the worker running it is killed outright after its second batch
        wait_for(lambda: job_row(home, job_id)["checkpoint"].get("next", 0) >= 2 * BATCH, seconds=90)
        first = job_row(home, job_id)
        assert first["status"] == "running"
        victim = next(worker for worker in workers if worker.pid == first["worker_pid"])
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        survivor = next(worker for worker in workers if worker is not victim)
        # then: the other worker takes it over once the lease runs out, and finishes it
        try:
            wait_for(lambda: job_row(home, job_id)["status"] not in ("queued", "running"), seconds=90)
        except AssertionError:
            told = logs[workers.index(survivor)].read_text(errors="replace")[-4000:]
            raise AssertionError(f"not finished: {job_row(home, job_id)}; the survivor's log ends:\n{told}") from None
        done = job_row(home, job_id)
        assert (done["status"], done["errors"]) == ("done", [])
        assert done["worker_pid"] == survivor.pid
        assert done["attempts"] == 2
        # ... every bank written once: the import counts each as created, none as changed by a second pass
        assert query(home, "SELECT count(*) FROM directories_bank")[0][0] == BANKS
        audits = query(home, "SELECT extra FROM core_auditevent WHERE event = 'directories.bank.import'")
        assert len(audits) == 1
        extra = json.loads(audits[0][0]) if isinstance(audits[0][0], str) else audits[0][0]
        assert extra == {
            "total": BANKS, "created": BANKS, "updated": 0, "deactivated": 0, "directory_date": "2026-11-27",
        }
        assert not list((home.path / "files" / "imports").glob("banks-*"))  # the kept upload is removed
        assert survivor.poll() is None
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            worker.wait()
