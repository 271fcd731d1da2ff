"""Runs every benchmark module (or those named on the command line) and prints one table."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import bench
from bench import HELPER_MODULES, Result, table

# Run only when named (`python -m bench registry`, `… load`, `… card`, `… writes`): they build million-client
# bases, far past make bench's budget.
ON_REQUEST = {"registry", "load", "card", "writes", "activity", "pipeline", "bulk", "billing"}


def main(argv: list[str] | None = None) -> int:
    names = sorted(
        info.name for info in pkgutil.iter_modules(bench.__path__)
        if not info.name.startswith("_") and info.name not in HELPER_MODULES
    )
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("only", nargs="*", choices=[[], *names], metavar="NAME", help=f"one of: {', '.join(names)}")
    args = parser.parse_args(argv)
    results: list[Result] = []
    for name in args.only or [name for name in names if name not in ON_REQUEST]:
        module = importlib.import_module(f"bench.{name}")
        if hasattr(module, "run"):
            print(f"running bench.{name} …", file=sys.stderr, flush=True)
            results.extend(module.run())
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
