"""The spine is used, not copied: the audit is `core.audit.audit_record` rows written inside the service's
transaction (no `kontora.audit` log lines, which were written even when the transaction rolled back), and
numbers come from `core.numbering` (no MAX(...) + 1).

Each allow-list may only shrink: an entry that no longer breaks its rule fails the test until removed.
"""

from __future__ import annotations

import ast

from tests.support.codebase import calls, dotted, modules

NUMBERED = ("code", "number")  # columns that number records (an ordinal of display order is not a number)
AUDIT_LOG_ALLOWED: frozenset[str] = frozenset()
MAX_PLUS_ONE_ALLOWED: frozenset[str] = frozenset()


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


def _check(found: set[str], allowed: frozenset[str], name: str) -> None:
    assert sorted(found - allowed) == []
    assert sorted(allowed - found) == [], f"mended: remove these from {name}"


def test_the_audit_is_written_as_rows_not_log_lines() -> None:
    _check(_audit_log_lines(), AUDIT_LOG_ALLOWED, "AUDIT_LOG_ALLOWED")


def test_numbers_come_from_the_numbering_service() -> None:
    _check(_max_plus_one(), MAX_PLUS_ONE_ALLOWED, "MAX_PLUS_ONE_ALLOWED")
