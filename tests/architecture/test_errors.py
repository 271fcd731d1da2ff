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
}
RAISES_ALLOWED: frozenset[str] = frozenset({
    'kontora/clients/services/admin.py: raises PermissionError',
    'kontora/clients/services/card.py: raises PermissionDenied',
    'kontora/core/services/settings.py: raises PermissionDenied',
    'kontora/directories/nomenclature/services.py: raises PermissionDenied',
    'kontora/directories/services.py: raises PermissionDenied',
    'kontora/processes/services.py: raises PermissionError',
})
EXCEPTIONS_ALLOWED: frozenset[str] = frozenset({
    'kontora/accounts/services/setup.py: SetupAlreadyDone',
    'kontora/accounts/services/signin.py: SignInRefused',
    'kontora/cli/common.py: Failure',
    'kontora/core/services/organisation.py: OrganisationRefused',
    'kontora/directories/nomenclature/services.py: NomenclatureRefused',
    'kontora/directories/services.py: DirectoryItemInUse',
})
UNTYPED_ALLOWED: frozenset[str] = frozenset({
    'kontora/clients/services/admin.py: _record_moves',
    'kontora/clients/services/admin.py: clients_change_curator',
    'kontora/clients/services/card.py: _save_attributes',
    'kontora/clients/services/card.py: _save_contact',
    'kontora/clients/services/card.py: client_create',
    'kontora/clients/services/card.py: client_set_access',
    'kontora/clients/services/card.py: client_update',
    'kontora/clients/services/card.py: contact_create',
    'kontora/clients/services/card.py: contact_delete',
    'kontora/clients/services/card.py: contact_update',
    'kontora/core/services/organisation.py: _make_default_entity',
    'kontora/core/services/organisation.py: _touch',
    'kontora/core/services/organisation.py: bank_account_create',
    'kontora/core/services/organisation.py: bank_account_delete',
    'kontora/core/services/organisation.py: bank_account_set_default',
    'kontora/core/services/organisation.py: bank_account_update',
    'kontora/core/services/organisation.py: legal_entity_create',
    'kontora/core/services/organisation.py: legal_entity_delete',
    'kontora/core/services/organisation.py: legal_entity_set_default',
    'kontora/core/services/organisation.py: legal_entity_update',
    'kontora/core/services/settings.py: system_settings_update',
    'kontora/core/services/settings.py: user_language_set',
    'kontora/core/services/settings.py: user_parameters_update',
    'kontora/core/services/structure.py: department_delete',
    'kontora/core/services/structure.py: department_save',
    'kontora/core/services/structure.py: position_delete',
    'kontora/core/services/structure.py: position_save',
    'kontora/directories/attributes/services.py: attribute_delete',
    'kontora/directories/attributes/services.py: attribute_save',
    'kontora/directories/attributes/services.py: attribute_values_save',
    'kontora/directories/attributes/services.py: option_delete',
    'kontora/directories/attributes/services.py: option_save',
    'kontora/directories/services.py: _check_right',
    'kontora/directories/services.py: directory_item_delete',
    'kontora/directories/services.py: directory_item_save',
    'kontora/directories/services.py: directory_item_set_active',
    'kontora/processes/services.py: _notify',
    'kontora/processes/services.py: _require_designer',
    'kontora/processes/services.py: process_delete',
    'kontora/processes/services.py: process_save',
    'kontora/processes/services.py: result_delete',
    'kontora/processes/services.py: result_save',
    'kontora/processes/services.py: run_delete',
    'kontora/processes/services.py: run_progress',
    'kontora/processes/services.py: run_start',
    'kontora/processes/services.py: stage_delete',
    'kontora/processes/services.py: stage_save',
})

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
