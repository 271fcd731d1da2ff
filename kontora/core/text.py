"""Search forms of text kept in `*_key` columns: SQLite's LOWER()/LIKE do not fold Cyrillic; ids and lists of
networks read from what a person typed."""

from __future__ import annotations

import ipaddress
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


ID_MAX = 2**63 - 1  # the largest primary key either database stores (a bigint)


def id_param(value: object) -> int | None:
    """A positive id from a request parameter (or an id already an int); None for anything else: "", "abc", "-1",
    "0", " 5", "²" and "٣" (Unicode digits `int()` refuses or reads), numbers past a bigint (issue 11, F6–F7)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= ID_MAX else None
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= ID_MAX else None


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
