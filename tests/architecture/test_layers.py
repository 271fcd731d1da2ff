"""The dependency order of the apps (docs/architecture.md, "Layers") and where imports may be deferred.

An app imports only apps on layers below its own; what flows upward (a card tab, a report, a goal kind)
arrives through `hooks.py` registrations. Imports inside functions hide cycles: they are allowed only in
`apps.py`, `hooks.py` and `tasks.py`, which run when the apps are ready.

Each allow-list may only shrink: an entry that no longer breaks the rule fails the test until removed.
"""

from __future__ import annotations

from tests.support.codebase import APPS, RANK, app_of, modules

# "<module path>: imports <module>" that break the layer order, each with the reason it is still here.
LAYER_ALLOWED: frozenset[str] = frozenset()

# "<module path>: imports <module>" inside a function outside apps.py, hooks.py and tasks.py.
# The backup engine is imported by the CLI before Django is set up (`kontora serve` takes the base lock first, and
# every command's error handler names BackupError), so it reaches the models of its runs only when it runs.
DEFERRED_ALLOWED: frozenset[str] = frozenset({
    "kontora/core/backup/create.py: imports kontora.core.services.storage",
    "kontora/core/backup/restore.py: imports kontora.core.services.storage",
    "kontora/core/backup/restore.py: imports kontora.core.selectors.servers",
    "kontora/core/backup/restore.py: imports kontora.core.services.servers",
})

DEFERRING_MODULES = frozenset({"apps", "hooks", "tasks"})


def _layer_breaks() -> set[str]:
    found = set()
    for module in modules():
        own = module.app
        for imported in module.imports:
            other = app_of(imported.target)
            if other in (None, own, "project") or own == "project":
                continue
            if RANK[other] > RANK[own] or (RANK[other] == RANK[own] and other != own):
                found.add(f"{module.rel}: imports {imported.target}")
    return found


def _deferred_imports() -> set[str]:
    found = set()
    for module in modules():
        if module.stem in DEFERRING_MODULES or module.app == "cli":
            continue
        for imported in module.imports:
            if imported.in_function and app_of(imported.target) is not None:
                found.add(f"{module.rel}: imports {imported.target}")
    return found


def test_every_app_has_a_layer() -> None:
    apps = {module.app for module in modules()} - {"project"}
    assert apps <= set(RANK), f"apps without a layer: {sorted(apps - set(RANK))}"
    assert set(APPS) >= apps - {"cli"}


def test_apps_import_only_the_layers_below_them() -> None:
    found = _layer_breaks()
    assert sorted(found - LAYER_ALLOWED) == []
    assert sorted(LAYER_ALLOWED - found) == [], "mended: remove these from LAYER_ALLOWED"


def test_imports_are_deferred_only_where_apps_get_ready() -> None:
    found = _deferred_imports()
    assert sorted(found - DEFERRED_ALLOWED) == []
    assert sorted(DEFERRED_ALLOWED - found) == [], "mended: remove these from DEFERRED_ALLOWED"


def test_the_layer_rule_sees_an_upward_import() -> None:
    # A positive control: a core module importing clients would be reported.
    core = next(module for module in modules() if module.name == "kontora.core.selectors")
    assert RANK[app_of("kontora.clients.access") or ""] > RANK[core.app]
