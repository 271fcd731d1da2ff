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
