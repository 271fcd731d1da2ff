from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kontora.core.text import digits, prefix_bounds, search_key


def test_search_key_folds_cyrillic_yo_and_punctuation():
    assert search_key('ООО «Ёлка-Плюс»,  г. Абакан') == "ооо елка плюс г абакан"


def test_digits_keeps_only_digits():
    assert digits("+7 (900) 123-45-67") == "79001234567"


@given(st.text(min_size=1, max_size=20), st.text(st.characters(max_codepoint=0xFFFF), max_size=20))
def test_every_key_with_the_prefix_falls_in_its_bounds(prefix, rest):
    low, high = prefix_bounds(prefix)
    assert low <= prefix + rest < high
