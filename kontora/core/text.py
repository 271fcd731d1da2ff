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
