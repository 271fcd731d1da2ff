"""The card's tab strip: plugged-in tabs and journals (CLI-14) take their place among the card's own tabs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kontora.clients import hooks
from kontora.clients.models import Client
from kontora.clients.selectors import card as selectors
from tests.test_client_card import html, make_client


@pytest.fixture
def journal() -> Iterator[dict[str, bool]]:
    """A journal a later feature would register: companies only, shown while its switch is on."""
    switch = {"on": True}
    tab = hooks.CardTab("test-journal", "Журнал испытаний", "clients:files", order=200,
                            kinds=frozenset({Client.Kind.COMPANY}), predicate=lambda user, client: switch["on"])
    hooks.CARD_TABS.register(tab)
    yield switch
    hooks.CARD_TABS.unregister(tab.code)


@pytest.mark.feature("CLI-14")
def test_a_registered_journal_is_loaded_into_the_card_after_the_cards_own_tabs(
    manager_user: Any, manager_client: Any, journal: dict[str, bool],
) -> None:
    client = make_client(manager_user, "Ромашка")

    page = html(manager_client.get(f"/clients/{client.pk}/"))

    order = [code for code in ("tab-general", "tab-bank", "tab-service", "tab-files", "tab-test-journal")
             if f'data-testid="{code}"' in page]
    assert order == ["tab-general", "tab-bank", "tab-service", "tab-files", "tab-test-journal"]
    assert [page.index(f'data-testid="{code}"') for code in order] == sorted(
        page.index(f'data-testid="{code}"') for code in order)
    assert f'hx-get="/clients/{client.pk}/files/"' in page  # each plugged tab loads from its own URL


@pytest.mark.feature("CLI-14")
def test_a_journal_is_left_out_for_other_client_kinds_when_its_condition_fails_and_on_a_new_card(
    manager_user: Any, journal: dict[str, bool],
) -> None:
    company = make_client(manager_user, "Ромашка")
    person = make_client(manager_user, "Петров Пётр", kind="person")

    assert "test-journal" in [tab["code"] for tab in selectors.card_tabs(manager_user, company)]
    assert "test-journal" not in [tab["code"] for tab in selectors.card_tabs(manager_user, person)]
    assert selectors.card_tabs(manager_user, None) == []
    journal["on"] = False
    assert "test-journal" not in [tab["code"] for tab in selectors.card_tabs(manager_user, company)]
