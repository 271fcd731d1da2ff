"""Collects @pytest.mark.feature("ID") results into build/features.json (or $KONTORA_FEATURES_OUT), and sets the
test environment.

Loaded with `-p tests.plugin_features` before Django is configured, so the environment below
is in place when settings are read.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("KONTORA_HUEY_IMMEDIATE", "1")
# Tests never touch the operator's home (the Makefile exports KONTORA_HOME=./var for `make run`).
os.environ["KONTORA_HOME"] = tempfile.mkdtemp(prefix="kontora-test-home-")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # Playwright's sync API runs an event loop

_results: dict[str, dict[str, list[str]]] = {}


def _features(item: pytest.Item) -> list[str]:
    ids: list[str] = []
    for mark in item.iter_markers(name="feature"):
        ids.extend(str(a) for a in mark.args)
    return ids


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    outcome = yield
    report = outcome.get_result()
    ids = _features(item)
    if not ids:
        return
    failed = report.failed
    done = (report.when == "call") or (failed and report.when in {"setup", "teardown"})
    if not done:
        return
    for fid in ids:
        bucket = _results.setdefault(fid, {"passed": [], "failed": []})
        target = bucket["failed"] if failed else bucket["passed"]
        if report.when == "teardown" and item.nodeid in bucket["passed"]:
            bucket["passed"].remove(item.nodeid)
        if item.nodeid not in target:
            target.append(item.nodeid)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ["KONTORA_HOME"], ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput"):
        return
    # Two runs side by side (CI: SQLite and PostgreSQL at once) each name their own file.
    out = Path(os.environ.get("KONTORA_FEATURES_OUT") or ROOT / "build" / "features.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(dict(sorted(_results.items())), ensure_ascii=False, indent=1))
