"""The Informer's tips (ORG-06) and each session's walk through them."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from kontora.core.selectors import informer
from tests.support.texts import texts_problems


@pytest.mark.feature("ORG-06")
def test_informer_has_at_least_24_tips_each_in_russian_and_english():
    assert len(informer.TIPS) >= 24
    for tip in informer.TIPS:
        assert set(tip) - {"for"} == {"ru", "en"} and tip.get("for", "admin") == "admin"
        assert tip["ru"].strip() and tip["en"].strip()
        assert re.search("[а-яё]", tip["ru"], re.IGNORECASE)
        assert not re.search("[а-яё]", tip["en"].replace("Русский", "").replace("АМ", ""), re.IGNORECASE)
    assert len({tip["ru"] for tip in informer.TIPS}) == len(informer.TIPS)


def test_informer_state_survives_changed_tips(monkeypatch):
    # given: a session that walked an older, longer list of tips
    session = {"informer_order": list(range(len(informer.TIPS) + 3)), "informer_pos": 2}
    # when
    index = informer.next_tip(session)
    # then: a fresh walk over the current tips
    assert 0 <= index < len(informer.TIPS)
    assert sorted(session["informer_order"]) == list(range(len(informer.TIPS)))
    assert session["informer_pos"] == 0


@pytest.mark.feature("ORG-06")
def test_the_tips_a_manager_is_shown_read_as_russian() -> None:
    # given the tips a manager is shown (not an administrator's: servers, backups, the command line)
    manager = SimpleNamespace(is_admin=False)
    shown = [informer.TIPS[index]["ru"] for index in informer.tips_for(manager)]
    # then none has an English word outside the allow-list, nor speaks of servers (PostgreSQL, Redis, «kontora
    # serve» are not his), which the administrators' tips do
    assert shown and texts_problems(shown) == []
    servers = ("PostgreSQL", "Redis", "kontora serve", "KONTORA_")
    assert not [text for text in shown if any(name in text for name in servers)]
    assert all(any(name in tip["ru"] for tip in informer.TIPS) for name in servers)
