"""Fixtures of activity's tests: an author and an assignee who both open the author's client «Юпитер»."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation

from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory


@pytest.fixture
def english() -> Iterator[None]:
    """The services' exact messages are asserted in their msgid form; the Russian is checked by the view tests."""
    with translation.override("en"):
        yield


@pytest.fixture
def team(manager_user: Any) -> SimpleNamespace:
    """The manager (`author`, curator of «Юпитер») and Ivanov (`assignee`, a manager of his own clients and the
    client's specialist, so he opens it)."""
    ivanov = UserFactory(login="ivanov", full_name="Иванов И. И.")
    client = ClientFactory(curator=manager_user, specialist=ivanov, short_name="Юпитер")
    return SimpleNamespace(author=manager_user, assignee=ivanov, client=client)
