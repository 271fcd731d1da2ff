from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kontora.core.text import digits, id_param, json_param, prefix_bounds, search_key


def test_search_key_folds_cyrillic_yo_and_punctuation():
    assert search_key('ООО «Ёлка-Плюс»,  г. Абакан') == "ооо елка плюс г абакан"


def test_digits_keeps_only_digits():
    assert digits("+7 (900) 123-45-67") == "79001234567"


@given(st.text(min_size=1, max_size=20), st.text(st.characters(max_codepoint=0xFFFF), max_size=20))
def test_every_key_with_the_prefix_falls_in_its_bounds(prefix, rest):
    low, high = prefix_bounds(prefix)
    assert low <= prefix + rest < high


# Hostile ids of the outside probe (F6, F7): Unicode digits int() refuses ("²") or reads ("٣", "３"), numbers past
# a bigint, signs, spaces, NUL — each would have been a 500 (or another row) where a view trusted isdigit().
HOSTILE_IDS = ["²", "٣", "３", "1²", "9" * 19, str(2**63), "1" + "0" * 30, "-1", "0", "+5", " 5", "5 ", "5\x00", "",
               "0x10", "1e3", "5.0", None, True, 3.0, -4, 2**63]


@pytest.mark.parametrize("value", HOSTILE_IDS, ids=repr)
def test_a_hostile_id_is_no_id(value: object) -> None:
    assert id_param(value) is None


def test_a_plain_id_is_read_as_typed_or_given() -> None:
    assert [id_param("1"), id_param("007"), id_param(str(2**63 - 1)), id_param(42)] == [1, 7, 2**63 - 1, 42]


@pytest.mark.parametrize("raw", ["[" * 1100 + "]" * 1100, '{"a":' * 101 + "1" + "}" * 101, "{", "\x00", b"\xff"],
                         ids=["1,100 levels", "101 levels", "broken", "NUL", "not UTF-8"])
def test_json_that_is_too_deep_or_broken_is_refused_as_a_value_error(raw: str | bytes) -> None:
    # F8: the filter endpoints and the pager's cursors gave a 500 (RecursionError) on JSON nested 1,100 levels
    with pytest.raises(ValueError):
        json_param(raw)


def test_json_within_the_depth_is_read() -> None:
    assert json_param('{"a":' * 99 + "1" + "}" * 99) is not None and json_param(b'[1, "x"]') == [1, "x"]


def test_name_core_drops_the_legal_form_before_or_after_the_name():
    from kontora.core.text import name_core

    assert name_core(search_key("ООО «Юпитер»")) == "юпитер"
    assert name_core(search_key("Общество с ограниченной ответственностью «Юпитер-Строй»")) == "юпитер строй"
    assert name_core(search_key("Юпитер, ЗАО")) == "юпитер"
    assert name_core(search_key("ИП Иванов И. И.")) == "иванов и и"
    # a form inside a word, or a name that is nothing but a form, stays
    assert name_core(search_key("Аои Трейд")) == "аои трейд"
    assert name_core(search_key("ООО")) == "ооо"


def test_word_tails_start_at_every_word():
    from kontora.core.text import word_tails

    assert word_tails("бумага svetocopy a4", "а4 0517") == ["бумага svetocopy a4", "svetocopy a4", "a4", "а4 0517",
                                                           "0517"]
