"""Tests mirror the code: `tests/<app>/{services,selectors,views,browser}/test_<topic>.py`, fixtures from conftest
plugins, plain helpers from `tests/support`, factories from `tests/<app>/factories.py` — and a test module never
imports another test module (or a conftest).

Each allow-list may only shrink: an entry that no longer breaks its rule fails the test until removed.
"""

from __future__ import annotations

from tests.support.codebase import APPS, sources_of_tests

KINDS = frozenset({"services", "selectors", "views", "browser"})
# Tests of the whole program rather than of one app's rooms.
WHOLE = frozenset({"architecture", "cli"})

PLACEMENT_ALLOWED: frozenset[str] = frozenset()
IMPORTS_ALLOWED: frozenset[str] = frozenset()


def _misplaced() -> set[str]:
    found = set()
    for module in sources_of_tests():
        if not module.stem.startswith("test_"):
            continue
        parts = module.name.split(".")[1:]  # tests.<app>.<kind>.test_x → [app, kind, test_x]
        if parts and parts[0] in WHOLE and len(parts) == 2:
            continue
        if len(parts) == 3 and parts[0] in APPS and parts[1] in KINDS:
            continue
        found.add(f"{module.rel}: not under tests/<app>/<services|selectors|views|browser>/")
    return found


def _imports_between_tests() -> set[str]:
    found = set()
    for module in sources_of_tests():
        for imported in module.imports:
            stem = imported.target.rsplit(".", 1)[-1]
            if imported.target.startswith("tests.") and (stem.startswith("test_") or stem == "conftest"):
                found.add(f"{module.rel}: imports {imported.target}")
    return found


def test_test_modules_sit_in_their_apps_room() -> None:
    found = _misplaced()
    assert sorted(found - PLACEMENT_ALLOWED) == []
    assert sorted(PLACEMENT_ALLOWED - found) == [], "mended: remove these from PLACEMENT_ALLOWED"


def test_no_test_module_imports_another() -> None:
    found = _imports_between_tests()
    assert sorted(found - IMPORTS_ALLOWED) == []
    assert sorted(IMPORTS_ALLOWED - found) == [], "mended: remove these from IMPORTS_ALLOWED"
