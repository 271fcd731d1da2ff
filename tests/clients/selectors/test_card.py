"""The card's tab strip: which plugged-in tabs and journals (CLI-14) a card shows."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.selectors import card as selectors
from kontora.core.selectors.settings import system_settings
from tests.clients.factories import ClientFactory


def _codes(user: Any, client: Any, kind: str = "company") -> list[str]:
    return [tab.code for tab in selectors.card_tabs(user, client, kind=kind, system=system_settings)]


@pytest.mark.feature("CLI-14")
def test_a_journal_is_left_out_for_other_client_kinds_when_its_condition_fails_and_on_a_new_card(
    manager_user: Any, journal: dict[str, bool],
) -> None:
    company = ClientFactory(curator=manager_user, short_name="Ромашка")
    person = ClientFactory(curator=manager_user, short_name="Петров Пётр", kind="person")

    assert "test-journal" in _codes(manager_user, company)
    assert "test-journal" not in _codes(manager_user, person, "person")
    # a new card has only the parts of its form that can be filled in before it is saved, no journal
    new = selectors.card_tabs(manager_user, None, kind="company", system=system_settings)
    assert [tab.code for tab in new] == ["operational", "registration", "access"]
    assert all(tab.part is not None and tab.part.on_new_card for tab in new)
    journal["on"] = False
    assert "test-journal" not in _codes(manager_user, company)
