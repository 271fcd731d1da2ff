"""The Flexi-filter's heavy text conditions (issue 11, F5): the finding's 200 "a contact's name contains …"
conditions on 2,000 clients, through the trigram index against the regular expression alone (the path before).

`run()` makes a fresh SQLite base (`kontora upgrade`, `kontora demo --clients 2000`) and measures in a child
process: the registry's capped count under the filter (the query the panel's count and the registry's counter run),
built as today and as before, alternated; medians. The baseline is the path before, so a ratio under 1 is the gain.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from bench import ROOT, Result, child_env, django_in

CLIENTS = 2_000
CONDITIONS = 200
ROUNDS = 3


def _measure_all(home: str) -> list[dict[str, Any]]:
    django_in(home)
    from django.db.models import Exists, OuterRef, Q

    from kontora.accounts.models import User
    from kontora.clients.flexi.selectors import conditions
    from kontora.clients.models import ContactPerson
    from kontora.clients.selectors import registry as selectors
    from kontora.core.text import search_key

    admin = User.objects.filter(login="bench-admin").first() or User.objects.create(
        login="bench-admin", login_key="bench-admin", full_name="Администратор", role="admin", client_scope="full")
    names = list(ContactPerson.objects.values_list("full_name", flat=True))
    # As in the finding: most conditions match nobody, so every one of them is asked about every client.
    fragments = sorted({part[:6] for name in names for part in name.split() if len(part) >= 6})[:10]
    values = fragments + [f"Никогдаев{number:03d}" for number in range(CONDITIONS - len(fragments))]

    def before(value: str) -> Q:  # the path before: the expression alone, in an EXISTS per client
        condition = conditions._regex_q("full_name", "contains", search_key(value))
        return Q(Exists(ContactPerson.objects.filter(condition, client=OuterRef("pk"))))

    def combined(build: Any) -> Q:
        q = Q()
        for value in values:
            q |= build(value)
        return q

    now_q = combined(lambda value: conditions.contact_name("contains", value, admin))
    before_q = combined(before)
    counts = {selectors.registry_count(fetched_by=admin, filter_q=now_q),
              selectors.registry_count(fetched_by=admin, filter_q=before_q)}
    assert len(counts) == 1, counts  # the same answer both ways
    ours, theirs = [], []
    for _round in range(ROUNDS):
        started = time.perf_counter()
        selectors.registry_count(fetched_by=admin, filter_q=now_q)
        middle = time.perf_counter()
        selectors.registry_count(fetched_by=admin, filter_q=before_q)
        theirs.append((time.perf_counter() - middle) * 1000)
        ours.append((middle - started) * 1000)
    return [{
        "measure": f"{len(values)} «contact's name contains» conditions, OR, capped count (median)",
        "value": statistics.median(ours), "baseline": statistics.median(theirs), "unit": "ms",
        "sizes": f"{CLIENTS:,} clients, {len(names):,} contacts; baseline: the regular expression alone; sqlite",
    }]


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="kontora-bench-") as home:
        env = child_env(home)
        subprocess.run([sys.executable, "-m", "kontora.cli", "upgrade"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "kontora.cli", "demo", "--clients", str(CLIENTS), "--events", "0",
                        "--tasks", "0"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        child = subprocess.run([sys.executable, "-m", "bench.flexi", "measure", home], env=env, cwd=ROOT,
                               check=True, capture_output=True, text=True)
    return [Result("flexi", **row) for row in json.loads(child.stdout)]


if __name__ == "__main__" and sys.argv[1:2] == ["measure"]:
    print(json.dumps(_measure_all(sys.argv[2])))
