"""The spine is used, not copied: the audit is `core.audit.audit_record` rows written inside the service's
transaction (no `kontora.audit` log lines, which were written even when the transaction rolled back), and
numbers come from `core.numbering` (no MAX(...) + 1), and periodic tasks are declared with `core.tasks.periodic`,
which claims each scheduled run in the base (Huey's own decorators would run it once per worker).

Each allow-list may only shrink: an entry that no longer breaks its rule fails the test until removed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import replace

from tests.support.codebase import Module, calls, dotted, modules

NUMBERED = ("code", "number")  # columns that number records (an ordinal of display order is not a number)
AUDIT_LOG_ALLOWED: frozenset[str] = frozenset()
MAX_PLUS_ONE_ALLOWED: frozenset[str] = frozenset()
PERIODIC_DECORATORS = ("db_periodic_task", "periodic_task")


def _audit_log_lines() -> set[str]:
    found = set()
    for module in modules():
        for call in calls(module.tree):
            if dotted(call.func).endswith("getLogger") and call.args and isinstance(call.args[0], ast.Constant) and (
                call.args[0].value == "kontora.audit"
            ):
                found.add(f"{module.rel}: kontora.audit logger")
    return found


def _max_plus_one() -> set[str]:
    """`(… aggregate(top=Max("code"))["top"] or 0) + 1`: a number taken as the maximum plus one."""
    found = set()
    for module in modules():
        if module.name == "kontora.core.numbering":
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and any(
                isinstance(sub, ast.Call) and dotted(sub.func) == "Max" and sub.args
                and isinstance(sub.args[0], ast.Constant) and sub.args[0].value in NUMBERED
                for sub in ast.walk(node.left)
            ):
                found.add(f"{module.rel}: MAX + 1")
    return found


def _unclaimed_periodic_tasks(among: Iterable[Module]) -> set[str]:
    """Periodic tasks declared with Huey's decorators anywhere but inside `core.tasks.periodic`."""
    found = set()
    for module in among:
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or (
                module.name == "kontora.core.tasks" and node.name == "periodic"
            ):
                continue
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if dotted(target).rsplit(".", 1)[-1] in PERIODIC_DECORATORS:
                    found.add(f"{module.rel}: {node.name}")
    return found


def _check(found: set[str], allowed: frozenset[str], name: str) -> None:
    assert sorted(found - allowed) == []
    assert sorted(allowed - found) == [], f"mended: remove these from {name}"


def test_the_audit_is_written_as_rows_not_log_lines() -> None:
    _check(_audit_log_lines(), AUDIT_LOG_ALLOWED, "AUDIT_LOG_ALLOWED")


def test_numbers_come_from_the_numbering_service() -> None:
    _check(_max_plus_one(), MAX_PLUS_ONE_ALLOWED, "MAX_PLUS_ONE_ALLOWED")


def test_periodic_tasks_are_claimed_once_per_schedule() -> None:
    assert _unclaimed_periodic_tasks(modules()) == set()


def test_the_periodic_rule_sees_a_task_declared_with_hueys_decorator() -> None:
    # A positive control: an app's tasks.py declaring its periodic task with Huey's decorator is reported.
    tasks = next(module for module in modules() if module.name == "kontora.accounts.tasks")
    source = "@db_periodic_task(crontab(minute='*/15'))\ndef prune() -> None:\n    pass\n"
    planted = replace(tasks, tree=ast.parse(source))
    assert _unclaimed_periodic_tasks([planted]) == {"kontora/accounts/tasks.py: prune"}
