"""Search forms of text kept in `*_key` columns: SQLite's LOWER()/LIKE do not fold Cyrillic."""

from __future__ import annotations

import re

_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D+")


def search_key(text: str) -> str:
    """Casefolded, ё→е, punctuation dropped, spaces collapsed: «ООО "Ёлка"» → «ооо елка»."""
    folded = (text or "").casefold().replace("ё", "е")
    return _SPACES.sub(" ", _PUNCT.sub(" ", folded)).strip()


def prefix_bounds(prefix: str) -> tuple[str, str]:
    """[low, high) range of keys starting with `prefix`, for an index range scan instead of LIKE."""
    return prefix, prefix + "\U0010ffff"


def digits(text: str) -> str:
    return _NON_DIGITS.sub("", text or "")


def id_param(value: str | None) -> int | None:
    """A positive id from a request parameter; None for anything else ("", "abc", "-1", "0", "²")."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None
