"""Every app has the same rooms (docs/architecture.md, "Rooms"), and each kind of code lives in its room.

- an app's top level holds only rooms, Django's plumbing, its engines (sub-packages with rooms of their own)
  and the few named modules below;
- ORM writes only in `services` (and the spine's writers, migrations, the command line, the demo fill);
  a selector never writes;
- `transaction.atomic` never in views: a view calls one service, the service owns the transaction;
- `select_for_update` only in `locks.py`;
- form classes (forms, fields, widgets) only in `forms`.

Each allow-list may only shrink: an entry that no longer breaks its rule fails the test until removed.
"""

from __future__ import annotations

import ast

from tests.support.codebase import PACKAGE, PLUMBING, ROOMS, Module, calls, dotted, modules

# Sub-packages with rooms of their own (the attributes and nomenclature pages, the Flexi-filter engine).
ENGINES = frozenset({"clients/flexi", "directories/attributes", "directories/nomenclature"})
# Named modules outside the rooms, and why.
NAMED = {
    # the spine every app uses (architecture.md, "Spine")
    "core/audit.py", "core/numbering.py", "core/errors.py", "core/permissions.py", "core/hooks.py",
    "core/htmx.py", "core/prepared.py", "core/conflicts.py",
    # the time budget of requests and the per-user cap on heavy ones (its middleware and its slot rows)
    "core/budget.py",
    # the UI kit every app draws with: the keyset pager, the form submit helper (architecture.md, "UI kit")
    "core/ui",
    # core's toolbox of pure functions: texts and keys, money, Russian requisites, the XLSX writer, the charts
    "core/text.py", "core/money.py", "core/requisites.py", "core/xlsx.py", "core/charts.py", "core/csvfile.py",
    # the one print module: a template drawn to PDF by WeasyPrint (reports and billing print through it)
    "core/printing",
    # the schema version of the base (About, `kontora upgrade`) and the backup engine
    "core/schema.py", "core/backup",
    # Django plumbing of the project: context processors and middleware, the SQLite engine (a fair writers' wait)
    "core/context_processors.py", "core/middleware.py", "accounts/middleware.py", "accounts/backends.py",
    "core/sqlite",
    # reference data shipped with the program
    "directories/data", "core/data",
    # DESIGN names it: the one answer to "may this user see / open / edit this client"
    "clients/access.py",
    # the report framework (the declared report, its result, one renderer per format) and the report definitions,
    # one module per area, that the framework serves (architecture.md, "Reports")
    "reports/framework", "reports/definitions",
    # `kontora demo`: fills a base with generated clients, their history and tasks, their invoices, sales and works
    "clients/demo.py", "activity/demo.py", "billing/demo",
}

ROOMS_ALLOWED: frozenset[str] = frozenset()
WRITES_ALLOWED: frozenset[str] = frozenset()
ATOMIC_ALLOWED: frozenset[str] = frozenset()
LOCKS_ALLOWED: frozenset[str] = frozenset()
FORMS_ALLOWED: frozenset[str] = frozenset()

# core.budget writes only its own slot rows (core.HeavyRequest), taken and freed around a heavy request.
WRITERS = frozenset({"kontora.core.audit", "kontora.core.numbering", "kontora.core.budget", "kontora.clients.demo",
                     "kontora.activity.demo", "kontora.billing.demo"})
QUERYSET_HINTS = ("objects", "_default_manager", "filter()", "exclude()", "all()", "select_for_update()",
                  "order_by()", "using()")
NOT_THE_BASE = ("session", "cache", "storage", "workbook", "book", "sheet", "image", "zip", "tar", "archive")
SQL_WRITES = ("INSERT", "UPDATE", "DELETE")


def _entries(directory: str) -> set[str]:
    base = PACKAGE / directory
    return {
        f"{directory}/{path.name}" for path in base.iterdir()
        if not path.name.startswith((".", "__pycache__")) and (path.is_dir() or path.suffix == ".py")
    }


def _misplaced() -> set[str]:
    found = set()
    apps = [path.name for path in PACKAGE.iterdir() if (path / "apps.py").exists()]
    for place in [*apps, *ENGINES]:
        for entry in _entries(place):
            name = entry.rsplit("/", 1)[1].removesuffix(".py")
            if name in ROOMS or name in PLUMBING or entry in ENGINES or entry in NAMED:
                continue
            found.add(f"kontora/{entry}: not a room")
    return found


def _sql(call: ast.Call) -> str:
    if not call.args:
        return ""
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    if isinstance(first, ast.JoinedStr):
        return "".join(v.value for v in first.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return ""


def _writes(module: Module) -> set[str]:
    found = set()
    for call in calls(module.tree):
        if not isinstance(call.func, ast.Attribute):
            continue
        method, receiver = call.func.attr, dotted(call.func.value)
        lowered = receiver.lower()
        if method in ("save", "delete") and receiver and not any(word in lowered for word in NOT_THE_BASE):
            found.add(f"{module.rel}: {receiver}.{method}()")
        elif method in ("create", "bulk_create", "bulk_update", "update_or_create", "get_or_create", "update") and (
            any(hint in receiver for hint in QUERYSET_HINTS)
        ):
            found.add(f"{module.rel}: {receiver}.{method}()")
        elif method in ("execute", "executemany") and _sql(call).lstrip().upper().startswith(SQL_WRITES):
            found.add(f"{module.rel}: SQL {_sql(call).split()[0].upper()}")
    return found


def _writes_outside_services() -> set[str]:
    found = set()
    for module in modules():
        if module.in_room("services") or module.name in WRITERS or module.app == "cli":
            continue
        found |= _writes(module)
    return found


def _atomic_in_views() -> set[str]:
    found = set()
    for module in modules():
        if not module.in_room("views"):
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Attribute) and node.attr == "atomic":
                found.add(f"{module.rel}: transaction.atomic")
            elif isinstance(node, ast.ImportFrom) and node.module == "django.db.transaction":
                found.add(f"{module.rel}: transaction.atomic")
    return found


def _locks_outside_locks() -> set[str]:
    found = set()
    for module in modules():
        if module.stem == "locks":
            continue
        for call in calls(module.tree):
            if isinstance(call.func, ast.Attribute) and call.func.attr == "select_for_update":
                found.add(f"{module.rel}: select_for_update")
    return found


FORM_BASES = ("Form", "FormSet", "Field", "Widget", "Input", "Select", "FormMixin")


def _forms_outside_forms() -> set[str]:
    found = set()
    for module in modules():
        if module.in_room("forms"):
            continue
        for node in ast.walk(module.tree):
            # A model field (`models.BigIntegerField`) is the ORM's, not a form's: `core.money.MoneyField`.
            if isinstance(node, ast.ClassDef) and any(
                dotted(base).endswith(FORM_BASES) and not dotted(base).startswith("models.") for base in node.bases
            ):
                found.add(f"{module.rel}: class {node.name}")
    return found


def _check(found: set[str], allowed: frozenset[str], name: str) -> None:
    assert sorted(found - allowed) == []
    assert sorted(allowed - found) == [], f"mended: remove these from {name}"


def test_apps_hold_only_their_rooms() -> None:
    _check(_misplaced(), ROOMS_ALLOWED, "ROOMS_ALLOWED")


def test_only_services_write() -> None:
    _check(_writes_outside_services(), WRITES_ALLOWED, "WRITES_ALLOWED")


def test_views_leave_transactions_to_services() -> None:
    _check(_atomic_in_views(), ATOMIC_ALLOWED, "ATOMIC_ALLOWED")


def test_row_locks_are_taken_only_in_locks_modules() -> None:
    _check(_locks_outside_locks(), LOCKS_ALLOWED, "LOCKS_ALLOWED")


def test_form_classes_live_in_forms() -> None:
    _check(_forms_outside_forms(), FORMS_ALLOWED, "FORMS_ALLOWED")


def test_the_write_rule_sees_writes_and_passes_over_other_saves() -> None:
    # Positive controls of the detector: the service module writes, the session save is not the base's.
    source = (
        "Client.objects.filter(pk=1).update(flag=True)\n"
        "client.save(update_fields=['flag'])\n"
        "request.session.save()\n"
        "context.update(extra)\n"
        "cursor.execute('UPDATE t SET a = 1')\n"
    )
    probe = Module(PACKAGE / "probe.py", "kontora.probe", ast.parse(source))
    assert _writes(probe) == {
        "kontora/probe.py: Client.objects.filter().update()",
        "kontora/probe.py: client.save()",
        "kontora/probe.py: SQL UPDATE",
    }
