"""Fixtures of the clients' tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.accounts.factories import UserFactory

# --- the registry side (the registry, search, exports, the Flexi-filter) ------------------------------------


@pytest.fixture
def two_managers(db: Any) -> tuple[Any, Any]:
    """Two managers in the "own" mode, each the curator of own clients."""
    return (UserFactory(login="m1", full_name="Первый Менеджер"), UserFactory(login="m2", full_name="Второй Менеджер"))


@pytest.fixture
def colleagues(db: Any) -> tuple[Any, Any, Any]:
    """Two managers and a supervisor; every one sees all clients (full mode) unless a test says otherwise."""
    return (
        UserFactory(login="m1", full_name="Первый Менеджер", client_scope="full"),
        UserFactory(login="m2", full_name="Второй Менеджер", client_scope="full"),
        UserFactory(login="boss", full_name="Начальник Отдела", role="supervisor", client_scope="full"),
    )


@pytest.fixture
def colleague(db: Any) -> Any:
    """Another user who sees every client (full mode)."""
    return UserFactory(login="colleague", full_name="Ольга Коллегова", client_scope="full")
