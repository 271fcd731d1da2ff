"""One hierarchy of domain errors (core.errors) and typed acting users.

- services raise `ValidationError` for fields and `core.errors` types for the rest — never the built-in
  `PermissionError` nor Django's `PermissionDenied` (that one is `NotAllowed`'s base, for views);
- no app defines its own exception types outside `core/errors.py` but those listed below, with the reason;
- a service's `acting_user` is typed (the user model or core's `Actor`), never `Any`.

Each allow-list may only shrink: an entry that no longer breaks its rule fails the test until removed.
"""

from __future__ import annotations

import ast

from tests.support.codebase import dotted, modules

# Exceptions that are not domain errors, and why.
OWN_EXCEPTIONS = {
    "kontora/config.py: ConfigError",  # a wrong environment variable: the command line prints it and exits 2
    "kontora/core/backup/archive.py: BackupError",  # an archive the command line or the page refuses to restore
    "kontora/core/backup/locks.py: LockHeld",  # another process holds the base: the command line says which
    "kontora/core/services/jobs.py: JobCancelled",  # control flow inside a job handler, caught by the runner
    "kontora/core/services/jobs.py: JobLost",  # control flow: a run whose job was taken over stops, rolling back
    "kontora/cli/common.py: Failure",  # a command's end: main() prints its one line and exits with its code
}
RAISES_ALLOWED: frozenset[str] = frozenset()
EXCEPTIONS_ALLOWED: frozenset[str] = frozenset()
UNTYPED_ALLOWED: frozenset[str] = frozenset()

FORBIDDEN_RAISES = ("PermissionError", "PermissionDenied")


def _raises_in_services() -> set[str]:
    found = set()
    for module in modules():
        if not module.in_room("services"):
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                name = dotted(node.exc.func if isinstance(node.exc, ast.Call) else node.exc).removesuffix("()")
                if name.rsplit(".", 1)[-1] in FORBIDDEN_RAISES:
                    found.add(f"{module.rel}: raises {name}")
    return found


def _own_exceptions() -> set[str]:
    found = set()
    for module in modules():
        if module.name == "kontora.core.errors":
            continue
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ClassDef) and any(
                dotted(base).endswith(("Exception", "Error", "Refused", "Denied")) for base in node.bases
            ):
                entry = f"{module.rel}: {node.name}"
                if entry not in OWN_EXCEPTIONS:
                    found.add(entry)
    return found


def _untyped_acting_users() -> set[str]:
    found = set()
    for module in modules():
        if not module.in_room("services"):
            continue
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            for arg in [*node.args.args, *node.args.kwonlyargs]:
                if arg.arg == "acting_user" and (arg.annotation is None or dotted(arg.annotation) == "Any"):
                    found.add(f"{module.rel}: {node.name}")
    return found


def _check(found: set[str], allowed: frozenset[str], name: str) -> None:
    assert sorted(found - allowed) == []
    assert sorted(allowed - found) == [], f"mended: remove these from {name}"


def test_services_raise_domain_errors() -> None:
    _check(_raises_in_services(), RAISES_ALLOWED, "RAISES_ALLOWED")


def test_no_app_defines_its_own_error_types() -> None:
    _check(_own_exceptions(), EXCEPTIONS_ALLOWED, "EXCEPTIONS_ALLOWED")


def test_acting_users_are_typed() -> None:
    _check(_untyped_acting_users(), UNTYPED_ALLOWED, "UNTYPED_ALLOWED")
