"""Fixtures of the group processing tests."""

from __future__ import annotations

import pytest

from kontora.bulk.services import runs


@pytest.fixture
def progress_every_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run reports its progress after every client (not every PROGRESS_S): a test's progress callback can stop
    it after a given client, as a worker dying there would."""
    monkeypatch.setattr(runs, "PROGRESS_S", 0.0)
