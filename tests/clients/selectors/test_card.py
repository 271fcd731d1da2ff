"""The card's tab strip: which plugged-in tabs and journals (CLI-14) a card shows."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.clients.selectors import card as selectors
from tests.clients.factories import ClientFactory


@pytest.mark.feature("CLI-14")
def test_a_journal_is_left_out_for_other_client_kinds_when_its_condition_fails_and_on_a_new_card(
    manager_user: Any, journal: dict[str, bool],
) -> None:
    company = ClientFactory(curator=manager_user, short_name="Ромашка")
    person = ClientFactory(curator=manager_user, short_name="Петров Пётр", kind="person")

    assert "test-journal" in [tab["code"] for tab in selectors.card_tabs(manager_user, company)]
    assert "test-journal" not in [tab["code"] for tab in selectors.card_tabs(manager_user, person)]
    assert selectors.card_tabs(manager_user, None) == []
    journal["on"] = False
    assert "test-journal" not in [tab["code"] for tab in selectors.card_tabs(manager_user, company)]
