"""Word search in event descriptions: the same prefix semantics on SQLite (FTS5) and PostgreSQL (GIN, `simple`)."""

from __future__ import annotations

import pytest

from kontora.activity.models import Event
from kontora.activity.selectors.events_search import description_matches, fts_query, search_words, ts_query
from kontora.core.text import search_key
from tests.activity.factories import EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.feature("HIS-03")]


def _found(text: str) -> set[str]:
    return set(Event.objects.filter(description_matches(text)).values_list("description", flat=True))


@pytest.fixture
def events() -> list[Event]:
    texts = ["Звонил клиенту по поводу счёта", "Ёлочные игрушки: обсудили поставку", "Встреча в офисе",
             "Отправил КП на 15% скидку", "Клиент заказал звонок"]
    return [EventFactory(description=text) for text in texts]


def test_every_word_is_a_prefix_and_all_words_must_match(events: list[Event]) -> None:
    assert _found("звон") == {"Звонил клиенту по поводу счёта", "Клиент заказал звонок"}
    assert _found("ЗВОН клиент") == {"Звонил клиенту по поводу счёта", "Клиент заказал звонок"}
    assert _found("звон счет") == {"Звонил клиенту по поводу счёта"}
    assert _found("звон встреча") == set()


def test_case_and_yo_are_folded_and_nothing_is_stemmed(events: list[Event]) -> None:
    # given: «Ёлочные» is kept as «елочные»
    assert _found("елоч") == {"Ёлочные игрушки: обсудили поставку"}
    assert _found("ЁЛОЧ") == {"Ёлочные игрушки: обсудили поставку"}
    # no stemming: the word's end is not cut away on either database
    assert _found("встречи") == set()
    assert _found("встреча") == {"Встреча в офисе"}
    # a prefix matches a word's beginning only
    assert _found("лочные") == set()


def test_query_syntax_in_the_typed_text_is_only_text(events: list[Event]) -> None:
    for hostile in ['"звон', "звон*", "звон OR встреча", "звон:* | встреча", "'; DROP TABLE x; --", "NEAR(звон)",
                    "15%", "!встреча & (офис)", "\\", "a' | 'b"]:
        _found(hostile)  # never an error
    assert _found("'; DROP TABLE x; --") == set()
    assert _found("!встреча & (офис)") == {"Встреча в офисе"}
    assert _found("15%") == {"Отправил КП на 15% скидку"}
    assert _found("звон OR встреча") == set()  # "or" is a word like any other, all are required


def test_text_without_words_narrows_nothing(events: list[Event]) -> None:
    assert _found("!!! ...") == {event.description for event in events}


def test_the_index_follows_changes_and_deletions(events: list[Event]) -> None:
    # given
    event = events[2]
    # when: the description changes (the services keep the key), then another event is deleted
    Event.objects.filter(pk=event.pk).update(description="Переговоры", description_key=search_key("Переговоры"))
    events[4].delete()
    # then
    assert _found("встреча") == set()
    assert _found("переговор") == {"Переговоры"}
    assert _found("заказал") == set()


def test_words_are_quoted_for_both_query_languages() -> None:
    words = search_words("Звонок, «КП» звонок _x_ 42")
    assert words == ["звонок", "кп", "x", "42"]
    assert fts_query(words) == '"звонок"* AND "кп"* AND "x"* AND "42"*'
    assert ts_query(words) == "'звонок':* & 'кп':* & 'x':* & '42':*"


def test_a_plan_without_a_method_holds_inside_only() -> None:
    from django.db import connection

    from kontora.activity.selectors.events_search import planned_with

    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan')")
            return str(cursor.fetchone()[0])

    if connection.vendor != "postgresql":  # nothing to set: the body runs as it is
        with planned_with(enable_seqscan="off"):
            assert Event.objects.count() == 0
        return
    assert setting() == "on"
    with planned_with(enable_seqscan="off"):
        assert setting() == "off"
    assert setting() == "on"
    with pytest.raises(ZeroDivisionError), planned_with(enable_seqscan="off"):
        1 / 0  # noqa: B018
    assert setting() == "on"


def test_the_share_of_words_comes_from_the_statistics_of_their_beginnings() -> None:
    from django.db import connection

    from kontora.activity.selectors.events_search import words_share

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statistics of the stored words (SQLite counts in its FTS index)")
    assert words_share(["звон"]) is None  # no statistics yet: nothing is claimed
    for number in range(40):
        EventFactory(description=f"Звонок клиенту {number}" if number < 30 else "Встреча в офисе")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE activity_event")
    calls, meetings = words_share(["звон"]), words_share(["встреч"])
    assert calls == pytest.approx(0.75, abs=0.01) and meetings == pytest.approx(0.25, abs=0.01)
    assert words_share(["звон", "встреч"]) == pytest.approx(0.75 * 0.25, abs=0.01)
    assert words_share(["зелен"]) == 0  # rarer than every common lexeme: read from the index
