"""Fixtures of the billing tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def russian() -> Iterator[None]:
    """Messages are asserted as the user reads them: in Russian, the interface's first language."""
    with translation.override("ru"):
        yield


@pytest.fixture
def our_entity(db: object) -> object:
    """Our default legal entity (the general tax regime: none stated) with its default account."""
    from tests.billing.factories import payee

    return payee()
