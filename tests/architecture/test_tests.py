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

PLACEMENT_ALLOWED: frozenset[str] = frozenset({
    'tests/browser/test_attributes_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_backups_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_banks_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_client_card_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_client_files_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_client_security_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_client_tabs_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_dir_picker_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_login_page.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_main_window_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_nomenclature_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_notifications_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_processes_progress_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_processes_runs_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_processes_setup_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_setup_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_story_clients.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_story_foundation.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/browser/test_users_browser.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_about.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_access_exits.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_access_matrix.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_admin_urls.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_attributes.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_autosubstitution.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_backup.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_banks.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_card_tabs.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_cli.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_client_access_card.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_client_attributes_tab.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_client_bank.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_client_card.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_client_duplicates.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_client_files.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_client_history.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_client_mailing.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_client_registration.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_client_security.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_client_shipping.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_clients_admin.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_constants.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_demo.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_dir_engine.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_dir_initial.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_dir_rights.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_directions.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_functionality.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_http.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_jobs.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_lockout.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_main_window.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_nomenclature.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_notifications.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_parameters.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_processes_progress.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_processes_runs.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_processes_services.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_processes_setup.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_requisites.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_rights.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_sessions.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_settlements.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_setup_wizard.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_signin.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_structure.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_text.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_users.py: not under tests/<app>/<services|selectors|views|browser>/',
    'tests/test_xlsx.py: not under tests/<app>/<services|selectors|views|browser>/',
})
IMPORTS_ALLOWED: frozenset[str] = frozenset({
    'tests/browser/test_backups_browser.py: imports tests.browser.test_story_foundation',
    'tests/browser/test_banks_browser.py: imports tests.browser.test_story_foundation',
    'tests/browser/test_banks_browser.py: imports tests.test_banks',
    'tests/browser/test_client_card_browser.py: imports tests.test_client_card',
    'tests/browser/test_client_files_browser.py: imports tests.browser.test_client_card_browser',
    'tests/browser/test_client_files_browser.py: imports tests.test_client_card',
    'tests/browser/test_client_security_browser.py: imports tests.browser.test_client_card_browser',
    'tests/browser/test_client_security_browser.py: imports tests.test_client_card',
    'tests/browser/test_client_tabs_browser.py: imports tests.browser.test_client_card_browser',
    'tests/browser/test_client_tabs_browser.py: imports tests.test_client_bank',
    'tests/browser/test_client_tabs_browser.py: imports tests.test_client_card',
    'tests/browser/test_client_tabs_browser.py: imports tests.test_client_registration',
    'tests/browser/test_nomenclature_browser.py: imports tests.browser.test_story_foundation',
    'tests/browser/test_processes_progress_browser.py: imports tests.browser.test_client_card_browser',
    'tests/browser/test_processes_progress_browser.py: imports tests.test_processes_services',
    'tests/browser/test_processes_runs_browser.py: imports tests.browser.test_client_card_browser',
    'tests/browser/test_processes_runs_browser.py: imports tests.test_client_card',
    'tests/browser/test_processes_setup_browser.py: imports tests.browser.test_client_card_browser',
    'tests/browser/test_story_clients.py: imports tests.browser.test_client_card_browser',
    'tests/browser/test_story_clients.py: imports tests.test_client_card',
    'tests/browser/test_story_foundation.py: imports tests.browser.test_setup_browser',
    'tests/test_backup.py: imports tests.test_cli',
    'tests/test_card_tabs.py: imports tests.test_client_card',
    'tests/test_client_access_card.py: imports tests.test_client_card',
    'tests/test_client_attributes_tab.py: imports tests.test_client_card',
    'tests/test_client_bank.py: imports tests.test_client_card',
    'tests/test_client_duplicates.py: imports tests.test_client_card',
    'tests/test_client_files.py: imports tests.test_client_card',
    'tests/test_client_history.py: imports tests.test_client_card',
    'tests/test_client_mailing.py: imports tests.test_client_card',
    'tests/test_client_registration.py: imports tests.test_client_card',
    'tests/test_client_security.py: imports tests.test_client_card',
    'tests/test_client_shipping.py: imports tests.test_client_card',
    'tests/test_processes_progress.py: imports tests.test_processes_services',
    'tests/test_processes_runs.py: imports tests.test_processes_services',
    'tests/test_processes_setup.py: imports tests.test_processes_services',
})


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
