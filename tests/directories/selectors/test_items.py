"""Reads of directory items (DIR-07): the picker's matches."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.directories.selectors import registry
from kontora.directories.selectors.items import directory_pick
from kontora.directories.services.items import directory_item_save


def save(user: Any, key: str, data: dict[str, Any]) -> Any:
    return directory_item_save(acting_user=user, directory=registry.get(key), pk=None, data=data)


@pytest.mark.feature("DIR-07")
def test_picker_offers_active_matches_best_first(admin_user: Any) -> None:
    # given
    longer = save(admin_user, "competitors", {"name": "Ромашка-Трейд"})
    exact = save(admin_user, "competitors", {"name": "Ромашка"})
    save(admin_user, "competitors", {"name": "Лютик"})

    # when
    found = directory_pick(directory=registry.get("competitors"), fetched_by=admin_user, query="РОМАШКА")

    # then
    assert found[:2] == [exact, longer]
    assert all(item.name.startswith("Ромашка") for item in found)  # type: ignore[attr-defined]
