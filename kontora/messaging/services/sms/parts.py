"""How an SMS is measured and cut (GRP-04): the GSM 03.38 default alphabet when every character has a septet, else
UCS-2; 160 septets (70 UCS-2 units) fit one message, a longer text goes as concatenated parts of 153 (67) behind a
6-octet user data header. The browser's counter (static/kontora/behaviours/sms-count.js) counts the same way: keep
the two in step (tests/messaging/services/test_sms_parts.py runs both on the same texts).

A part never splits an escape pair (an extension character is two septets) nor a surrogate pair (a character
outside the BMP is two UTF-16 units): the greedy cut below is the one both counters use.
"""

from __future__ import annotations

import random
from typing import NamedTuple

GSM7, UCS2 = "gsm7", "ucs2"
DATA_CODING = {GSM7: 0x00, UCS2: 0x08}  # SMPP data_coding: the SMSC's default alphabet, ISO/IEC 10646 (UCS-2)
SINGLE = {GSM7: 160, UCS2: 70}
PART = {GSM7: 153, UCS2: 67}
MAX_PARTS = 255  # the header counts parts in one octet

# The default alphabet in code order; position 0x1B is the escape to the extension table, never typed itself.
BASIC = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
         "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
EXTENSION = {"\f": 0x0A, "^": 0x14, "{": 0x28, "}": 0x29, "\\": 0x2F, "[": 0x3C, "~": 0x3D, "]": 0x3E, "|": 0x40,
             "€": 0x65}
_BASIC_CODES = {char: code for code, char in enumerate(BASIC) if code != 0x1B}


class Measure(NamedTuple):
    encoding: str  # GSM7 or UCS2
    characters: int  # septets (GSM-7) or UTF-16 units (UCS-2)
    parts: int


def normalised(text: str) -> str:
    """The text as it is sent: a browser posts a textarea's line breaks as CR LF but counts them as LF."""
    return text.replace("\r\n", "\n")


def encoding_of(text: str) -> str:
    return GSM7 if all(char in _BASIC_CODES or char in EXTENSION for char in text) else UCS2


def _weights(text: str, encoding: str) -> list[int]:
    if encoding == GSM7:
        return [2 if char in EXTENSION else 1 for char in text]
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def _cut(weights: list[int], encoding: str) -> list[tuple[int, int]]:
    """[start, end) character ranges of the parts: greedy, never splitting a character's units."""
    if sum(weights) <= SINGLE[encoding]:
        return [(0, len(weights))]
    ranges, start, used = [], 0, 0
    for index, weight in enumerate(weights):
        if used + weight > PART[encoding]:
            ranges.append((start, index))
            start, used = index, 0
        used += weight
    ranges.append((start, len(weights)))
    return ranges


def measure(text: str) -> Measure:
    text = normalised(text)
    encoding = encoding_of(text)
    weights = _weights(text, encoding)
    return Measure(encoding, sum(weights), len(_cut(weights, encoding)) if text else 0)


def encode(text: str, encoding: str) -> bytes:
    """GSM-7 as unpacked septets, one an octet (SMPP's default alphabet); UCS-2 big-endian."""
    if encoding == UCS2:
        return text.encode("utf-16-be")
    return bytes(code for char in text for code in (
        (0x1B, EXTENSION[char]) if char in EXTENSION else (_BASIC_CODES[char],)))


def decode(data: bytes, data_coding: int) -> str:
    """The inverse of encode (used for what a gateway sends back, and by the tests' SMSC)."""
    if data_coding == DATA_CODING[UCS2]:
        return data.decode("utf-16-be")
    extension = {code: char for char, code in EXTENSION.items()}
    chars, escaped = [], False
    for code in data:
        if escaped:
            chars.append(extension.get(code, " "))
            escaped = False
        elif code == 0x1B:
            escaped = True
        else:
            chars.append(BASIC[code & 0x7F])
    return "".join(chars)


class Segments(NamedTuple):
    encoding: str
    payloads: list[bytes]  # each part's short_message, with its header when there are several
    udhi: bool  # esm_class must carry UDHI (0x40)


def segments(text: str, reference: int | None = None) -> Segments:
    """The text cut into what each submit_sm carries: one plain message, or parts behind the concatenation header
    (IEI 0x00: 8-bit reference, count, number)."""
    text = normalised(text)
    encoding = encoding_of(text)
    ranges = _cut(_weights(text, encoding), encoding)
    if len(ranges) == 1:
        return Segments(encoding, [encode(text, encoding)], False)
    if len(ranges) > MAX_PARTS:
        raise ValueError("more than 255 parts")
    ref = random.randrange(256) if reference is None else reference  # noqa: S311 — not a secret, a part group's tag
    return Segments(encoding, [bytes((0x05, 0x00, 0x03, ref, len(ranges), number)) + encode(text[a:b], encoding)
                               for number, (a, b) in enumerate(ranges, start=1)], True)
