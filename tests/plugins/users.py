"""The users most tests act as: an administrator, a manager and a supervisor, and signed-in test clients."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.support.http import signed_in


@pytest.fixture
def admin_user(db: Any) -> Any:
    return UserFactory(login="admin", full_name="Администратор Системы", role="admin", client_scope="full")


@pytest.fixture
def manager_user(db: Any) -> Any:
    return UserFactory(login="manager", full_name="Алексей Менеджеров", role="manager", doc_prefix="АМ")


@pytest.fixture
def supervisor_user(db: Any) -> Any:
    return UserFactory(login="super", full_name="Сергей Супервизоров", role="supervisor")


@pytest.fixture
def admin_client(admin_user: Any) -> Client:
    return signed_in(admin_user)


@pytest.fixture
def manager_client(manager_user: Any, admin_user: Any) -> Client:
    return signed_in(manager_user)
