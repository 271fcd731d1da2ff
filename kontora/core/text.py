"""Search forms of text kept in `*_key` columns: SQLite's LOWER()/LIKE do not fold Cyrillic; ids and lists of
networks read from what a person typed."""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any

_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D+")


def search_key(text: str) -> str:
    """Casefolded, ё→е, punctuation dropped, spaces collapsed: «ООО "Ёлка"» → «ооо елка»."""
    folded = (text or "").casefold().replace("ё", "е")
    return _SPACES.sub(" ", _PUNCT.sub(" ", folded)).strip()


# Legal forms a name may carry before (or after) its meaningful part, as search keys, longest first; «ООО
# «Юпитер»» is looked for as «юпитер» too (issue 13, item 8).
LEGAL_FORMS = tuple(sorted((
    "общество с ограниченной ответственностью", "закрытое акционерное общество", "открытое акционерное общество",
    "публичное акционерное общество", "непубличное акционерное общество", "акционерное общество",
    "индивидуальный предприниматель", "автономная некоммерческая организация", "некоммерческая организация",
    "товарищество с ограниченной ответственностью", "федеральное государственное унитарное предприятие",
    "государственное унитарное предприятие", "муниципальное унитарное предприятие",
    "крестьянское фермерское хозяйство", "потребительский кооператив", "производственный кооператив",
    "ооо", "зао", "оао", "пао", "нао", "ао", "ип", "нко", "ано", "тоо", "чп", "муп", "гуп", "фгуп", "кфх", "пбоюл",
    "llc", "ltd", "inc", "gmbh",
), key=len, reverse=True))
_FORM_HEAD = re.compile(r"^(?:(?:" + "|".join(map(re.escape, LEGAL_FORMS)) + r")(?: |$))+")
_FORM_TAIL = re.compile(r"(?:^| )(?:" + "|".join(map(re.escape, LEGAL_FORMS)) + r")$")


def name_core(key: str) -> str:
    """The meaningful part of a name's search key: the legal forms before it (and one after it) dropped —
    «ооо юпитер» → «юпитер», «юпитер ооо» → «юпитер»; a key that is nothing but a form stays as it is."""
    core = _FORM_TAIL.sub("", _FORM_HEAD.sub("", key)).strip()
    return core or key


WORDS_MAX = 16  # words of a text whose tails are indexed; later words are found only as part of a tail
TAIL_MAX = 64  # characters of a tail kept: a longer typed text is compared on its first TAIL_MAX characters


def word_tails(*keys: str) -> list[str]:
    """Each word of the keys with the rest of its text after it («бумага svetocopy a4» → itself, «svetocopy a4»,
    «a4»): a prefix range over the tails finds a text by the start of any of its words, and by a phrase."""
    tails: list[str] = []
    for key in keys:
        words = key.split()
        for start in range(min(len(words), WORDS_MAX)):
            tail = " ".join(words[start:])[:TAIL_MAX]
            if tail not in tails:
                tails.append(tail)
    return tails


def tail_bounds(key: str) -> tuple[str, str]:
    """The prefix range of the word tails that start with the typed key (cut to what a tail keeps)."""
    return prefix_bounds(key[:TAIL_MAX])


def prefix_bounds(prefix: str) -> tuple[str, str]:
    """[low, high) range of keys starting with `prefix`, for an index range scan instead of LIKE."""
    return prefix, prefix + "\U0010ffff"


def inner_quotes(value: object) -> str:
    """A name to put inside a message's «…»: its own «» become „“, as Russian nests quotes — «Клиент «1 · ООО
    „Ромашка“» сохранён», not «…«…»»», which reads as two quotations."""
    return str(value).replace("«", "„").replace("»", "“")


def digits(text: str) -> str:
    return _NON_DIGITS.sub("", text or "")


ID_MAX = 2**63 - 1  # the largest primary key either database stores (a bigint)


def count_param(value: object) -> int | None:
    """A whole number from 0 from a request parameter (or one already an int): ASCII digits within a bigint; None
    for anything else — the parser of `id_param`, for counts and positions that may be 0."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value <= ID_MAX else None
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if number <= ID_MAX else None


def id_param(value: object) -> int | None:
    """A positive id from a request parameter (or an id already an int); None for anything else: "", "abc", "-1",
    "0", " 5", "²" and "٣" (Unicode digits `int()` refuses or reads), numbers past a bigint (issue 11, F6–F7)."""
    number = count_param(value)
    return number if number else None


JSON_DEPTH = 100  # deeper than any form or cursor of ours nests, far below what Python's decoder survives


def json_param(raw: str | bytes) -> Any:
    """JSON from a request parameter (a filter, a cursor); ValueError for anything else: not JSON, not UTF-8, a NUL
    in a text, or nested past `JSON_DEPTH` — 1,100 levels overflowed Python's decoder, a 500 (issue 11, F8)."""
    try:
        value = json.loads(raw)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:  # iterative: the check itself must not recurse
        node, depth = stack.pop()
        if isinstance(node, str) and "\x00" in node:  # no text of ours holds one; PostgreSQL refuses it
            raise ValueError("NUL in JSON")
        if isinstance(node, dict):
            stack.extend((key, depth) for key in node)
        if isinstance(node, dict | list):
            if depth > JSON_DEPTH:
                raise ValueError("JSON nested too deeply")
            stack.extend((item, depth + 1) for item in (node.values() if isinstance(node, dict) else node))
    return value


Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_LIST_SEPARATORS = re.compile(r"[\s,;]+")


def ip_networks(text: str) -> tuple[list[Network], list[str]]:
    """The networks of a typed list ("192.168.0.0/24, 10.1.2.3" — commas, semicolons, spaces or lines between
    them; a bare address is a network of one), and the entries that are none."""
    networks: list[Network] = []
    bad: list[str] = []
    for item in _LIST_SEPARATORS.split(text or ""):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            bad.append(item)
    return networks, bad


def ip_within(address: str, networks: list[Network]) -> bool:
    """Whether an address lies in one of the networks; an address that is none lies in none."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
