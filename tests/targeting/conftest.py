"""Targeting's test fixtures: event types and a result to set goals by."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.directories.models import EventResult, EventType


@pytest.fixture
def kinds() -> dict[str, Any]:
    offer = EventType.objects.create(name="Коммерческое предложение", name_key="коммерческое предложение")
    meeting = EventType.objects.create(name="Встреча", name_key="встреча")
    signed = EventResult.objects.create(name="Договор подписан", name_key="договор подписан")
    return {"offer": offer, "meeting": meeting, "signed": signed}
