"""`kontora demo`: fills the base with demonstration clients."""

from __future__ import annotations

import argparse
import time

from kontora.cli.common import EXIT_OK
from kontora.cli.database import prepare, require_current_schema


def cmd_demo(args: argparse.Namespace) -> int:
    prepare()
    require_current_schema()
    from kontora.clients.demo import demo_fill

    started = time.monotonic()
    result = demo_fill(clients=args.clients, seed=args.seed, password=args.password)
    print(f"added {result.clients} clients (codes from {result.first_code}) with {result.contacts} contact persons, "
          f"curated by {result.users} demo users, in {time.monotonic() - started:.1f} s")
    return EXIT_OK
