"""Fixtures of the import tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture
def small_batches(settings: Any) -> None:
    """Three rows per batch: a few rows exercise several batches, their checkpoints and gaps."""
    settings.IMPORT_BATCH_ROWS = 3


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield
